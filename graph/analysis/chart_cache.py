"""Drawn charts kept outside ``out/``, keyed by their data and the drawing code, so unchanged charts cost no matplotlib.

Drawing the report's four charts costs about a second of CPU, most of it
importing matplotlib; a rebuild whose charts show the same data as before
finds them here instead. An entry's key is the SHA-256 of the chart's name,
its data (canonical JSON), the source of :mod:`.chart_drawing` and the
versions of the libraries that draw it (matplotlib; networkx and numpy for
the network layout), so any change to what the chart shows or how it is
drawn draws it again. A drawing is deterministic, so a found chart has the
same bytes as a fresh one.

The cache is ``charts/`` beside the query stores, a
:class:`~graph.content_cache.ContentCache`: marked as ours, written
atomically, each entry checked against its SHA-256, a damaged one drawn
again. When the cache cannot be written, the chart is drawn and the build
goes on. Only the ``MAX_ENTRIES`` most recently used entries are kept.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..content_cache import ContentCache, code_and_libraries, content_key

__all__ = ["MAX_ENTRIES", "cache_folder", "chart_key", "drawn_chart"]

MAX_ENTRIES = 64


def _cache() -> ContentCache:
    return ContentCache("charts", ".svg", MAX_ENTRIES)


def cache_folder() -> Path:
    """Where drawn charts are kept: ``charts/`` beside the query stores' folder.

    Examples
    --------
    >>> from graph.cache import cache_base
    >>> cache_folder() == cache_base() / "charts"
    True
    """
    return _cache().folder


@lru_cache(maxsize=1)
def _drawing_version() -> str:
    """The drawing code and the libraries that draw: a change to any of them draws every chart again."""
    return code_and_libraries(Path(__file__).parent / "chart_drawing.py", ("matplotlib", "networkx", "numpy"))


def chart_key(name: str, data: dict) -> str:
    """The cache key of chart ``name`` drawn from ``data``: any change to either gives another key.

    Examples
    --------
    >>> chart_key("threats", {"rows": []}) == chart_key("threats", {"rows": []})
    True
    >>> chart_key("threats", {"rows": []}) == chart_key("threats", {"rows": [], "window": 30})
    False
    """
    return content_key(name, data, _drawing_version())


def drawn_chart(name: str, data: dict) -> str:
    """Chart ``name`` drawn from ``data`` as SVG text: found in the cache, or drawn now and kept there."""
    def drawing() -> str:
        from .chart_drawing import draw

        return draw(name, data)

    return _cache().get_or_make(chart_key(name, data), drawing)
