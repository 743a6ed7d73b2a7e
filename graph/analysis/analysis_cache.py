"""The analysis files kept outside ``out/``, keyed by the typed graph they were computed from.

Everything the analysis stage writes (:data:`~graph.analysis.outputs.ANALYSIS_FILES`)
is a function of the typed multigraph, the settings, the package's code and
the libraries that compute and draw. A rebuild whose typed graph is what it
was, node for node and link for link in the same order, finds the files here
and neither analyses nor draws: after a curator's note, say, which the typed
graph does not hold. At 10,000 documents that is about 18 s of metrics,
report and graph files, against under a second to key the graph.

The key is the SHA-256 of the typed graph as canonical JSON (nodes with
their attributes, then links with their keys and attributes, then the value
facts), the settings and :func:`~graph.content_cache.package_and_libraries`.
A graph JSON cannot key (a NaN, a value that is not JSON) is analysed and
not kept. The cache is ``analyses/`` beside the query stores, a
:class:`~graph.content_cache.ContentCache`: marked as ours, one entry per
analysis holding its files (:meth:`~graph.content_cache.ContentCache.keep_files`),
checked against its SHA-256; a damaged entry is computed again. The
``MAX_SETS`` most recently used analyses are kept.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import networkx as nx

from ..content_cache import ContentCache, content_key, graph_digest, package_and_libraries
from .settings import AnalysisSettings

__all__ = ["MAX_SETS", "analysis_cache", "analysis_key"]

#: Analyses whose files are kept: this build's and the one before, and a ``kg report --window`` run.
MAX_SETS = 3


def analysis_cache() -> ContentCache:
    """The ``analyses`` cache: one entry per analysis, holding all its files."""
    return ContentCache("analyses", ".files", MAX_SETS)


@lru_cache(maxsize=1)
def _analysis_version() -> str:
    return package_and_libraries(("networkx", "rustworkx", "numpy", "scipy", "matplotlib"))


def analysis_key(typed: nx.MultiDiGraph, settings: AnalysisSettings) -> str | None:
    """The key of the analysis files of ``typed`` under ``settings``; None for a graph JSON cannot key.

    Examples
    --------
    >>> typed = nx.MultiDiGraph(value_facts={})
    >>> analysis_key(typed, AnalysisSettings()) == analysis_key(typed, AnalysisSettings(window_days=7))
    False
    >>> typed.add_node("x", weight=float("nan"))
    >>> analysis_key(typed, AnalysisSettings()) is None
    True
    """
    try:
        digest = graph_digest(typed)
    except (ValueError, TypeError):
        return None
    return content_key("analysis", digest, dataclasses.asdict(settings), _analysis_version())
