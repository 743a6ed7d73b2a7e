"""Drawn charts kept outside ``out/``, keyed by their data and the drawing code, so unchanged charts cost no matplotlib.

Drawing the report's four charts costs about a second of CPU, most of it
importing matplotlib; a rebuild whose charts show the same data as before
finds them here instead. An entry's key is the SHA-256 of the chart's name,
its data (canonical JSON), the source of :mod:`.chart_drawing` and the
versions of the libraries that draw it (matplotlib; networkx and numpy for
the network layout), so any change to what the chart shows or how it is
drawn draws it again. A drawing is deterministic, so a found chart has the
same bytes as a fresh one.

The cache is ``charts/`` beside the query stores (:func:`graph.cache.cache_base`:
``$KG_CACHE_DIR``, else ``~/.cache/faction-kg``), marked as the build cache's folder is: a
folder of that name that the project did not make is never written to or pruned, and only
files named by a chart key are ever removed. Each entry is written to a
temporary file and renamed into place, and holds the SHA-256 of its SVG on
its first line: a truncated or altered entry is drawn again and replaced.
When the cache cannot be written, the chart is drawn and the build goes on.
Only the ``MAX_ENTRIES`` most recently used entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

__all__ = ["MAX_ENTRIES", "cache_folder", "chart_key", "drawn_chart"]

MAX_ENTRIES = 64
_SUFFIX = ".svg"
_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}\.svg$")  # a chart key: the only files pruning may remove


def cache_folder() -> Path:
    """Where drawn charts are kept: ``charts/`` beside the query stores' folder.

    Examples
    --------
    >>> from graph.cache import cache_base
    >>> cache_folder() == cache_base() / "charts"
    True
    """
    from ..cache import cache_base

    return cache_base() / "charts"


@lru_cache(maxsize=1)
def _drawing_version() -> str:
    """The drawing code and the libraries that draw: a change to any of them draws every chart again."""
    source = (Path(__file__).parent / "chart_drawing.py").read_bytes()
    versions = [f"{name}={metadata.version(name)}" for name in ("matplotlib", "networkx", "numpy")]
    return hashlib.sha256(source).hexdigest() + ";" + ";".join(versions)


def chart_key(name: str, data: dict) -> str:
    """The cache key of chart ``name`` drawn from ``data``: any change to either gives another key.

    Examples
    --------
    >>> chart_key("threats", {"rows": []}) == chart_key("threats", {"rows": []})
    True
    >>> chart_key("threats", {"rows": []}) == chart_key("threats", {"rows": [], "window": 30})
    False
    """
    text = json.dumps([name, data, _drawing_version()], sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(entry: Path) -> str | None:
    """The SVG kept in ``entry``, or None if it is missing or does not match its checksum."""
    try:
        digest, svg = entry.read_text(encoding="utf-8").split("\n", 1)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if hashlib.sha256(svg.encode("utf-8")).hexdigest() != digest:
        return None
    try:
        os.utime(entry)  # most recently used: kept longest
    except OSError:
        pass
    return svg


def _write(folder: Path, entry: Path, svg: str) -> None:
    """Keep ``svg`` as ``entry``, atomically; then drop all but the ``MAX_ENTRIES`` most recently used."""
    from ..cache import claim_cache_folder

    if not claim_cache_folder(folder):
        return  # someone else's folder, or not writable: the chart is drawn, not kept
    try:
        handle, temporary = tempfile.mkstemp(prefix=".drawing-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(hashlib.sha256(svg.encode("utf-8")).hexdigest() + "\n" + svg)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        entries = sorted((path for path in folder.glob("*" + _SUFFIX) if _ENTRY_NAME.match(path.name)),
                         key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for stale in entries[MAX_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs the next build a drawing


def drawn_chart(name: str, data: dict) -> str:
    """Chart ``name`` drawn from ``data`` as SVG text: found in the cache, or drawn now and kept there."""
    folder = cache_folder()
    entry = folder / (chart_key(name, data) + _SUFFIX)
    svg = _read(entry)
    if svg is None:
        from .chart_drawing import draw

        svg = draw(name, data)
        _write(folder, entry, svg)
    return svg
