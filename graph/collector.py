"""Python's cycle collector paused while a command builds a large graph that lives until it ends.

The build, ``kg report`` and ``kg view`` allocate millions of small objects
(RDF terms, NetworkX dictionaries) that all live to the end of the command
and hold no reference cycles worth collecting; each full collection would
walk all of them again, which at 10,000 documents costs more than the work.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused():
    """Pause the cycle collector inside the ``with`` block; it is enabled again after, if it was before.

    Examples
    --------
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
