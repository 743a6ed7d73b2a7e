"""The interactive exploration page and the source pages (issue 4).

``out/graph.html`` is a Pyvis/vis-network page that works from disk with no
network: entities, events and statements coloured and shaped by type, sized
by centrality, links styled by relation kind and status; search by any
alias, filters by type, relation, status and date, an N-hop focus mode and a
details panel whose every entry links to ``out/sources/<doc-id>.html``, the
document with every quoted passage highlighted and anchored.

Modules: ``data`` (what to show), ``layout`` (positions), ``style``
(colours, shapes, line styles), ``page`` (the Pyvis page), ``sources_pages``
(the document pages), ``html`` (safe templating and JSON embedding),
``screenshot`` (the README's picture, with Playwright and Chromium). The
page's own script and styles are ``templates/graph.js`` and ``graph.css``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..clock import Clock
from ..errors import MissingBuild
from ..model import Corpus
from ..triples import TripleIndex
from .data import DEFAULT_HOPS, DEFAULT_MAX_NODES, read_metrics, resolve_entity, view_graph
from .errors import ViewError

__all__ = ["write_view", "write_focused_page", "focused_page_name", "view_graph", "ViewError",
           "DEFAULT_HOPS", "DEFAULT_MAX_NODES", "PAGE", "SOURCES_FOLDER"]

PAGE = "graph.html"
SOURCES_FOLDER = "sources"


def write_view(out: Path, rdf: Graph | TripleIndex, corpus: Corpus, max_nodes: int = DEFAULT_MAX_NODES,
               typed=None, clock: Clock | None = None) -> list[Path]:
    """The build's view stage: ``graph.html``, ``sources/<doc-id>.html`` and ``entities/<id>.html`` in ``out``.

    Nodes are sized by ``out/metrics.json`` (written by the analysis stage)
    when it is there, else by degree. ``typed`` is the RDF's typed multigraph,
    when the caller has already built it (the view adds attributes to it).
    Pages that show what a build showed before are found in the ``views``
    cache (:mod:`.view_cache`) and written byte for byte.
    """
    from .page import write_page
    from .profiles import PROFILES_FOLDER, write_profiles
    from .sources_pages import write_source_pages
    from .view_cache import view_cache, view_key

    out = Path(out)
    clock = clock or Clock()
    with clock("view.graph"):
        graph = view_graph(rdf, typed)
    texts = {doc_id: document.text for doc_id, document in corpus.documents.items()}
    titles = {doc_id: document.title for doc_id, document in corpus.documents.items()}
    said = {f"id/{r.id}": min(r.date_texts) for r in corpus.records.values() if r.date_texts}
    cache = view_cache()
    with clock("view.cached"):
        key = view_key(graph, out / "metrics.json", texts, titles, said, max_nodes)
        found = cache.restore_files(key, out) if key is not None else None
    if found is not None:
        for folder in (SOURCES_FOLDER, PROFILES_FOLDER):  # made even when empty, as the pages' writers make them
            (out / folder).mkdir(exist_ok=True)
        return found
    with clock("view.page"):
        page = write_page(out / PAGE, graph, metrics=read_metrics(out / "metrics.json"), max_nodes=max_nodes)
    with clock("view.sources"):
        sources = write_source_pages(out / SOURCES_FOLDER, graph, texts, titles)
    with clock("view.profiles"):
        written = [page, *sources, *write_profiles(out / PROFILES_FOLDER, graph, texts, said)]
    if key is not None:
        with clock("view.cached"):
            cache.keep_files(key, out, [path.relative_to(out).as_posix() for path in written])
    return written


def focused_page_name(focus: str | None, hops: int) -> str:
    """The file ``kg view`` writes.

    Examples
    --------
    >>> focused_page_name("id/al-nujaba", 2), focused_page_name(None, 2)
    ('graph-al-nujaba-2hops.html', 'graph.html')
    """
    if focus is None:
        return PAGE
    return f"graph-{focus.rsplit('/', 1)[-1]}-{hops}hops.html"


def write_focused_page(out: Path, focus: str | None = None, hops: int = DEFAULT_HOPS,
                       max_nodes: int = DEFAULT_MAX_NODES) -> Path:
    """``kg view``: write a page from an existing build, focused on one entity if asked.

    Parameters
    ----------
    out : Path
        The build folder (it must hold ``kg.nt``); the page is written into
        it, next to ``sources/``, so the source links work.
    focus : str, optional
        An entity's id or any of its names; the page shows its ``hops``-hop
        neighbourhood and is named ``graph-<id>-<hops>hops.html``. Without
        it, ``graph.html`` is written again (e.g. with another ``max_nodes``).
    hops : int
        Radius of the neighbourhood.
    max_nodes : int
        Above this many nodes, show the most central ones and say so.

    The cycle collector is paused throughout, as in the build (:mod:`graph.collector`).
    """
    from ..collector import collector_paused
    from ..network import load_rdf
    from .page import write_page

    out = Path(out)
    if not (out / "kg.nt").is_file():
        raise MissingBuild(f"no built graph at {out / 'kg.nt'}; run the build first: python build.py (or kg build)")
    with collector_paused():
        graph = view_graph(load_rdf(out))
        key = resolve_entity(graph, focus) if focus is not None else None
        return write_page(out / focused_page_name(key, hops), graph, metrics=read_metrics(out / "metrics.json"),
                          focus=key, hops=hops, max_nodes=max_nodes)
