"""The view stage's pages kept outside ``out/``, keyed by everything they show.

``graph.html``, ``sources/<doc-id>.html`` and ``entities/<id>.html`` are a
function of the view graph, ``metrics.json``, the documents' texts and
titles, the source's words for each record's date, the size limit of the
page, the package's code and the libraries that lay out and render. A
rebuild in which none of these changed, as after a curator's note, finds
every page here and writes them byte for byte, instead of rendering 13,704
pages (at 10,000 documents) one by one.

The key is :func:`~graph.content_cache.graph_digest` of the view graph,
the SHA-256 of ``metrics.json``'s bytes and :func:`~graph.content_cache.content_key`
of the rest. A view graph JSON cannot key is rendered and not kept. The
cache is ``views/`` beside the query stores, a
:class:`~graph.content_cache.ContentCache` of one entry per build's pages
(:meth:`~graph.content_cache.ContentCache.keep_files`), marked as ours and
checked against its SHA-256. The ``MAX_SETS`` most recently used are kept.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ..content_cache import ContentCache, content_key, graph_digest, package_and_libraries

__all__ = ["MAX_SETS", "view_cache", "view_key"]

#: Builds whose pages are kept: this one and the one before (two output folders built in turn share them).
MAX_SETS = 2


def view_cache() -> ContentCache:
    """The ``views`` cache: one entry per build's pages."""
    return ContentCache("views", ".files", MAX_SETS)


@lru_cache(maxsize=1)
def _view_version() -> str:
    return package_and_libraries(("pyvis", "jinja2", "markupsafe", "networkx", "rustworkx", "numpy", "scipy"))


def view_key(graph: nx.MultiDiGraph, metrics: Path, texts: dict[str, str], titles: dict[str, str],
             said: dict[str, str], max_nodes: int) -> str | None:
    """The key of the pages of ``graph`` with ``metrics`` (a path, which may be missing) and the documents.

    None for a graph JSON cannot key.

    Examples
    --------
    >>> graph = nx.MultiDiGraph(value_facts={})
    >>> key = view_key(graph, Path("no-metrics.json"), {"d": "Text."}, {"d": "Title"}, {}, 2000)
    >>> key == view_key(graph, Path("no-metrics.json"), {"d": "Text!"}, {"d": "Title"}, {}, 2000)
    False
    """
    try:
        digest = graph_digest(graph)
    except (ValueError, TypeError):
        return None
    try:
        metrics_digest = hashlib.sha256(Path(metrics).read_bytes()).hexdigest()
    except OSError:
        metrics_digest = None
    documents = hashlib.sha256()
    for doc_id in sorted(texts):  # one text at a time: at 10,000 documents they are tens of megabytes
        documents.update(content_key(doc_id, texts[doc_id]).encode("ascii"))
    return content_key("view", digest, metrics_digest, documents.hexdigest(), titles, said, max_nodes,
                       _view_version())
