"""A real SPARQL endpoint for the build, and publishing to any Graph Store.

``kg serve`` loads the current build into an Oxigraph store folder and starts
the Oxigraph server (the binary shipped by the ``oxigraph`` package) in
read-only mode on 127.0.0.1. ``kg publish`` sends the build, one named graph
per source document, to any store that speaks the SPARQL 1.1 Graph Store
HTTP Protocol, and checks the triple counts.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import KGError, MissingBuild

__all__ = ["oxigraph_binary", "load_store", "Server", "start_server", "publish", "PublishedGraph", "free_port"]


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


def load_store(out: Path, store: Path) -> None:
    """Load the build's TriG into an Oxigraph store folder (replacing it)."""
    trig = _trig(out)
    if store.exists():
        shutil.rmtree(store)
    store.mkdir(parents=True)
    # Named graphs from the TriG, and the merge (kg.nt) as the default graph, so
    # that a triple stated by two documents is one triple to a query.
    result = subprocess.run([oxigraph_binary(), "load", "--location", str(store),
                             "--file", str(trig), str(trig.with_name("kg.nt"))], capture_output=True, text=True)
    if result.returncode != 0:
        raise KGError(f"oxigraph load failed: {result.stderr.strip()}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    store: Path
    owns_store: bool

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.owns_store:
            shutil.rmtree(self.store, ignore_errors=True)


def start_server(out: Path, port: int = 7878, store: Path | None = None, *, read_only: bool = True,
                 load: bool = True, wait_seconds: float = 30) -> Server:
    """Load the build and start Oxigraph on 127.0.0.1:``port``; return once it answers.

    ``read_only=False, load=False`` starts an empty read-write store, a target
    for :func:`publish`.
    """
    owns_store = store is None
    store = Path(store) if store else Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
    if load:
        load_store(out, store)
    command = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--location", str(store),
               "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = Server(process, f"http://127.0.0.1:{port}", store, owns_store)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = process.stderr.read().strip() if process.stderr else ""
            server.stop()
            raise KGError(f"the Oxigraph server stopped at start: {message or 'no message'}"
                          f" (is port {port} already in use? try --port)")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise KGError(f"the Oxigraph server did not answer on port {port} within {wait_seconds:g} s")


@dataclass(frozen=True)
class PublishedGraph:
    graph: str
    sent: int
    stored: int

    @property
    def ok(self) -> bool:
        return self.sent == self.stored


def _request(method: str, url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60) -> bytes:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise KGError(f"{method} {url} was refused: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise KGError(f"cannot reach {url}: {exc.reason}; check the --endpoint URL and that the store is running") from None


def _graph_url(endpoint: str, graph: str) -> str:
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"


def publish(out: Path, endpoint: str, graph: str | None = None, timeout: float = 120) -> list[PublishedGraph]:
    """PUT the build to a Graph Store endpoint, one named graph per source graph.

    With ``graph``, everything goes into that one graph instead. Each graph
    is then read back and its triples counted.
    """
    import pyoxigraph as ox

    trig = _trig(out)
    groups: dict[str, list] = {}
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        name = graph or (quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None)
        if name is None:
            raise KGError("the build has triples outside any named graph; rebuild with this version")
        groups.setdefault(name, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    results = []
    for name in sorted(groups):
        triples = set(groups[name])
        body = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
        url = _graph_url(endpoint, name)
        _request("PUT", url, body, {"Content-Type": "application/n-triples"}, timeout)
        back = _request("GET", url, None, {"Accept": "application/n-triples"}, timeout)
        stored = sum(1 for _ in ox.parse(back, format=ox.RdfFormat.N_TRIPLES))
        results.append(PublishedGraph(name, len(triples), stored))
    return results
