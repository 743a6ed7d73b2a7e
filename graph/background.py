"""Child processes that never outlive their parent.

A query run with a time limit runs in a forked child (``graph.sparql``), and
``kg serve`` starts the Oxigraph server as a child (``graph.serve``). On Linux
each asks the kernel for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``),
even when the parent itself was killed with SIGKILL: :func:`die_with_parent`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent"]

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
