"""Wall time and peak memory of a build's steps, for the progress report and the benchmark."""

from __future__ import annotations

import resource
import time
from contextlib import contextmanager

__all__ = ["Clock", "peak_mb"]


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Clock:
    """Seconds spent in each named step, added up over repeated entries, and the peak memory after it.

    Examples
    --------
    >>> clock = Clock()
    >>> for _ in range(2):
    ...     with clock("export.kg.nt"):
    ...         pass
    >>> list(clock.seconds), clock.seconds["export.kg.nt"] >= 0
    (['export.kg.nt'], True)
    """

    FRESH = 0.01  # seconds: a peak read this recently is used again (a step entered per quote would otherwise
    # ask the kernel 27,000 times at 10k documents, about a second)

    def __init__(self):
        self._seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self._peak, self._peak_read_at = 0.0, float("-inf")

    @property
    def seconds(self) -> dict[str, float]:
        return {name: round(seconds, 4) for name, seconds in self._seconds.items()}

    @contextmanager
    def __call__(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float, peak: float | None = None) -> None:
        self._seconds[name] = self._seconds.get(name, 0.0) + seconds
        if peak is None:
            now = time.perf_counter()
            if now - self._peak_read_at > self.FRESH:
                self._peak, self._peak_read_at = peak_mb(), now
            peak = self._peak
        self.peak_mb[name] = peak
