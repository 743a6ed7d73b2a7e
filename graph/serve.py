"""A real SPARQL endpoint for the build, and publishing to any Graph Store.

``kg serve`` loads the current build into an Oxigraph store folder and starts
the Oxigraph server (the binary shipped by the ``oxigraph`` package) in
read-only mode on 127.0.0.1. A small gate (:mod:`graph.serve_gate`) listens
on the user's port: it enforces the query timeout and, unless federation is
allowed, refuses queries with ``SERVICE``, which the server itself would
send on. The server dies with the process that started it, even one killed
with SIGKILL (:func:`graph.background.die_with_parent`).

A store folder is one the project made (:mod:`graph.folders`, kind
``"store"``): a missing or empty folder is made and marked, a marked one is
replaced, anything else is refused. A temporary store is removed on exit,
and the temporary stores of killed servers at the next start.

``kg publish`` sends the build, one named graph per source document, to any
store that speaks the SPARQL 1.1 Graph Store HTTP Protocol, and checks the
triple counts (:mod:`graph.publish`).
"""

from __future__ import annotations

import errno
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .background import die_with_parent
from .errors import KGError, MissingBuild
from .folders import check_replaceable, is_ours, mark

__all__ = ["oxigraph_binary", "load_store", "Server", "start_server", "free_port", "check_port", "PortError",
           "remove_stale_temporary_stores", "DEFAULT_PORT", "DEFAULT_TIMEOUT"]

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
_TEMPORARY_PREFIX = "kg-oxigraph-"


class PortError(KGError):
    """The port cannot be served on: out of range, 0, reserved, or already in use."""


def oxigraph_binary() -> str:
    """The Oxigraph server binary, from the active environment first."""
    beside_python = Path(sys.executable).parent / "oxigraph"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("oxigraph")
    if not found:
        raise KGError("the Oxigraph server binary was not found; install it with: pip install oxigraph")
    return found


def _trig(out: Path) -> Path:
    trig = Path(out) / "kg.trig"
    if not trig.is_file():
        raise MissingBuild(f"no built graph at {trig}; run the build first: python build.py (or kg build)")
    return trig


def check_port(port: int) -> None:
    """Raise :class:`PortError` unless 127.0.0.1:``port`` can be listened on now.

    Examples
    --------
    >>> check_port(0)
    Traceback (most recent call last):
    ...
    graph.serve.PortError: port 0 is not a port to serve on (it would let the system pick one); choose one with --port, for example --port 7878
    """
    if port == 0:
        raise PortError("port 0 is not a port to serve on (it would let the system pick one); "
                        f"choose one with --port, for example --port {DEFAULT_PORT}")
    if not 1 <= port <= 65535:
        raise PortError(f"port {port} is out of range; choose one from 1024 to 65535 with --port, "
                        f"for example --port {DEFAULT_PORT}")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise _port_error(port, error) from None


def _port_error(port: int, error: OSError) -> PortError:
    if error.errno == errno.EADDRINUSE:
        return PortError(f"port {port} is already in use; choose another with --port")
    if error.errno == errno.EACCES:
        return PortError(f"port {port} needs administrator rights; choose one from 1024 to 65535 with --port")
    return PortError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}; choose another port with --port")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporary_stores() -> list[Path]:
    """Delete the marked temporary stores whose ``kg serve`` is gone (killed before it could clean up).

    A temporary store is named after the process that made it; one whose
    process still runs, or that has no store marker, is left alone.

    Examples
    --------
    >>> import tempfile
    >>> live = Path(tempfile.mkdtemp(prefix=f"kg-oxigraph-{os.getpid()}-"))
    >>> _ = mark(live, "store")
    >>> live in remove_stale_temporary_stores(), live.is_dir()
    (False, True)
    >>> shutil.rmtree(live)
    """
    removed = []
    for entry in Path(tempfile.gettempdir()).glob(_TEMPORARY_PREFIX + "*"):
        match = re.match(re.escape(_TEMPORARY_PREFIX) + r"(\d+)-", entry.name)
        if match and entry.is_dir() and not entry.is_symlink() and is_ours(entry, "store") \
                and not _pid_alive(int(match[1])):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _prepare_store(store: Path | None) -> tuple[Path, bool]:
    """The store folder to load into, empty and marked, and whether it is a temporary one."""
    if store is None:
        remove_stale_temporary_stores()
        folder = Path(tempfile.mkdtemp(prefix=f"{_TEMPORARY_PREFIX}{os.getpid()}-"))
        mark(folder, "store")
        return folder, True
    folder = check_replaceable(Path(store), "store")
    if folder.exists() and is_ours(folder, "store"):
        shutil.rmtree(folder)
    mark(folder, "store")
    return folder, False


def load_store(out: Path, store: Path) -> None:
    """Load the build's TriG into an empty Oxigraph store folder."""
    trig = _trig(out)
    # Named graphs from the TriG, and the merge (kg.nt) as the default graph, so
    # that a triple stated by two documents is one triple to a query.
    result = subprocess.run([oxigraph_binary(), "load", "--location", str(store),
                             "--file", str(trig), str(trig.with_name("kg.nt"))], capture_output=True, text=True,
                            preexec_fn=die_with_parent)
    if result.returncode != 0:
        raise KGError(f"oxigraph load failed: {result.stderr.strip()}")


class Server:
    """A running Oxigraph server: the URL clients use, its store, and the gate in front of it.

    On a query timeout the gate asks for a restart; a keeper thread (which
    lives as long as the server, so that the new process, too, dies with
    this one) replaces the busy process with a fresh one on the same port.
    """

    def __init__(self, command: list[str], url: str, store: Path, owns_store: bool, server_port: int):
        self.command = command
        self.url = url
        self.store = store
        self.owns_store = owns_store
        self.server_port = server_port
        self.gate = None
        self.restarts = 0
        self._log = tempfile.TemporaryFile()
        self._lock = threading.Lock()
        self._restart_wanted = threading.Event()
        self._stopping = threading.Event()
        self._keeper: threading.Thread | None = None
        self.process = self._spawn()

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
                                preexec_fn=die_with_parent)

    def wait_until_ready(self, wait_seconds: float = 30) -> None:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.messages()
                if "Address already in use" in message or "AddrInUse" in message:
                    raise PortError(f"port {self.server_port} is already in use; choose another with --port")
                last = message.splitlines()[-1] if message else "no message"
                raise KGError(f"the Oxigraph server stopped at start: {last}")
            try:
                with socket.create_connection(("127.0.0.1", self.server_port), timeout=0.5):
                    pass
            except OSError:
                time.sleep(0.05)
                continue
            if self.process.poll() is None:  # the answer came from our server, not from another on the port
                return
        raise KGError(f"the Oxigraph server did not answer on port {self.server_port} within {wait_seconds:g} s")

    def open_gate(self, port: int, *, query_timeout: float, allow_service: bool, cors: tuple[str, ...] = ()) -> None:
        from .serve_gate import Gate

        try:
            self.gate = Gate(port, self.server_port, query_timeout=query_timeout, allow_service=allow_service,
                             on_timeout=self.restart, cors=cors)
        except OSError as error:
            raise _port_error(port, error) from None
        self._keeper = threading.Thread(target=self._keep, name="kg-serve-keeper", daemon=True)
        self._keeper.start()

    def restart(self) -> None:
        """Replace the server process (still busy with a query that ran out of time) with a fresh one."""
        self._restart_wanted.set()

    def _keep(self) -> None:
        while True:
            self._restart_wanted.wait()
            if self._stopping.is_set():
                return
            with self._lock:
                self._restart_wanted.clear()
                _end(self.process)
                self.process = self._spawn()
                self.restarts += 1
            try:
                self.wait_until_ready()
            except KGError:
                return  # wait() sees the process gone and returns

    def wait(self) -> int:
        """Block until the server stops of its own accord (not for a restart); return its exit code."""
        while not self._stopping.is_set():
            with self._lock:
                code = self.process.poll()
            if code is not None and not self._restart_wanted.is_set():
                return code
            time.sleep(0.2)
        return 0

    def stop(self) -> None:
        self._stopping.set()
        self._restart_wanted.set()
        if self._keeper is not None:
            self._keeper.join()
        if self.gate is not None:
            self.gate.close()
            self.gate = None
        _end(self.process)
        self._log.close()
        if self.owns_store:
            shutil.rmtree(self.store, ignore_errors=True)

    def messages(self) -> str:
        """What the server wrote to its error stream so far."""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_server(out: Path, port: int = DEFAULT_PORT, store: Path | None = None, *, read_only: bool = True,
                 load: bool = True, timeout: float = DEFAULT_TIMEOUT, allow_service: bool = False,
                 cors: tuple[str, ...] = (), wait_seconds: float = 30) -> Server:
    """Load the build and start Oxigraph on 127.0.0.1:``port``; return once it answers.

    A read-only server is reached through the gate (:mod:`graph.serve_gate`),
    which stops an answer after ``timeout`` seconds and refuses ``SERVICE``
    queries unless ``allow_service``; browser pages from this machine, and from
    the origins in ``cors``, may read its answers. ``read_only=False, load=False`` starts
    an empty read-write store with no gate, a target for
    :func:`graph.publish.publish`. Nothing is left behind when it fails: no
    process, no temporary folder.
    """
    check_port(port)
    if not timeout > 0:
        raise KGError(f"the query timeout must be more than 0 seconds, not {timeout:g}; use --timeout 30, for example")
    folder, owns_store = _prepare_store(store)
    server = None
    try:
        if load:
            load_store(out, folder)
        server_port = free_port() if read_only else port
        command = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--location", str(folder),
                   "--bind", f"127.0.0.1:{server_port}", "--timeout-s", str(max(1, math.ceil(timeout)))]
        server = Server(command, f"http://127.0.0.1:{port}", folder, owns_store, server_port)
        server.wait_until_ready(wait_seconds)
        if read_only:
            server.open_gate(port, query_timeout=timeout, allow_service=allow_service, cors=cors)
        return server
    except BaseException:
        if server is not None:
            server.stop()
        elif owns_store:
            shutil.rmtree(folder, ignore_errors=True)
        raise
