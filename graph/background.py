"""Run one build stage in a forked child while the parent goes on with the next.

SHACL validation only needs the checked corpus, and so do the exports, the
analysis and the view; on a machine with two or more cores the build forks a
child that makes the graph and validates it while the parent writes. The
child inherits what it needs through ``fork`` (nothing is pickled); only its
small result comes back through a pipe. Where ``fork`` is not available, or
on one core, the stage simply runs in the parent first.

A child never outlives its parent: on Linux it asks the kernel for SIGKILL
when the parent dies (``PR_SET_PDEATHSIG``), even when the parent itself was
killed with SIGKILL. The Oxigraph server of ``kg serve`` is started the same
way (:func:`die_with_parent`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from .clock import peak_mb

__all__ = ["Task", "can_fork", "die_with_parent"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(signum: int = signal.SIGKILL, parent: int | None = None) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies (Linux only).

    Call it first thing in a child process, or pass it as ``preexec_fn`` to
    :class:`subprocess.Popen`. Returns whether the request was made; a
    child whose parent (``parent``, a process id, or the current parent) is
    already gone exits at once. Elsewhere than on Linux
    it does nothing and returns False.

    Examples
    --------
    >>> import subprocess
    >>> subprocess.run(["true"], preexec_fn=die_with_parent).returncode
    0
    """
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid() if parent is None else parent
    libc = ctypes.CDLL(None, use_errno=True)  # the C library is already loaded into Python
    if libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    return True


def can_fork() -> bool:
    """Whether a forked child can run beside the parent: Linux, and at least two usable cores."""
    if not sys.platform.startswith("linux"):
        return False  # macOS and Windows do not fork safely or at all
    return len(os.sched_getaffinity(0)) >= 2


class Task:
    """``work()`` running in a forked child (``fork=True``) or run at once in this process.

    ``wait()`` gives ``(result, seconds, peak_mb)``: the work's result, how
    long it took, and the child's peak resident memory (0 when it ran here).
    An exception in the child is raised again by ``wait()``, with the child's
    traceback in its message. ``cancel()`` stops a child that is no longer
    wanted (the parent failed first).

    Examples
    --------
    >>> Task(lambda: 6 * 7, fork=False).wait()[0]
    42
    """

    def __init__(self, work: Callable[[], Any], *, fork: bool):
        self._process = None
        self._process_exitcode = None
        if not fork:
            started = time.perf_counter()
            self._outcome = (work(), time.perf_counter() - started, 0.0)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)

        parent = os.getpid()

        def child() -> None:
            die_with_parent(parent=parent)
            self._receiver.close()
            started = time.perf_counter()
            try:
                status, payload = "ok", work()
            except BaseException:  # noqa: BLE001 - every failure must reach the parent
                status, payload = "error", traceback.format_exc()
            sender.send((status, payload, time.perf_counter() - started, peak_mb()))
            sender.close()

        # The child shares the parent's objects page by page until either writes
        # to them. The build pauses the cycle collector (which would touch every
        # object) before it forks, and the child inherits the pause.
        self._process = context.Process(target=child, name="kg-build-child", daemon=True)
        try:
            self._process.start()
        except BaseException:
            self._receiver.close()
            self._process = None
            raise
        finally:
            sender.close()

    def wait(self) -> tuple[Any, float, float]:
        if self._process is None:
            return self._outcome
        try:
            status, payload, seconds, child_peak_mb = self._receiver.recv()
        except EOFError:
            self._finish()
            raise RuntimeError(f"a build step in a child process ended without a result "
                               f"(exit code {self._process_exitcode})") from None
        except BaseException:  # interrupted while waiting: the child's result is no longer wanted
            self.cancel()
            raise
        self._finish()
        if status == "error":
            raise RuntimeError(f"a build step in a child process failed:\n{payload}")
        return payload, seconds, child_peak_mb

    def cancel(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._finish()

    def _finish(self) -> None:
        self._process.join()
        self._process_exitcode = self._process.exitcode
        self._receiver.close()
        self._process = None
        self._outcome = None
