"""``graph.html``: the interactive page, generated with Pyvis, offline and safe.

Pyvis holds the network (nodes, edges, vis-network options) and renders it
through a template, but three of its defaults do not fit here, so:

* its templates load Bootstrap or vis-network from CDNs: this page uses its
  own template (``templates/graph.html.j2``) with vis-network inlined from
  the copy *bundled in the pyvis package*, and no Bootstrap;
* ``add_node``/``add_edge`` scan Python lists (quadratic): the node and edge
  records are handed to the network in bulk;
* node ``title`` tooltips and the heading can run markup from the data: no
  titles are set, the heading is escaped, data goes in as escaped JSON and
  the details panel is built with ``textContent`` only; a
  Content-Security-Policy runs only the page's own scripts, by hash.

Layout is computed in Python (``layout.py``); physics is off until the reader
turns it on. A rendered page is kept in the ``pages`` content cache
(:mod:`graph.content_cache`), keyed by what it shows and the code: a rebuild
whose page shows the same graph neither imports Pyvis nor renders again.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ..analysis.charts import COMMUNITY_COLOURS
from ..content_cache import ContentCache, content_key, package_and_libraries
from .data import DEFAULT_HOPS, DEFAULT_MAX_NODES, label_size, view_model
from .html import environment, packaged, vendored, vis_network_js
from .style import (EDGE_DEFAULTS, NODE_STYLES, OTHER_NODE, RELATION_KIND_COLOURS, RELATION_KIND_LABELS,
                    STATUS_LABELS, STATUS_STYLES, border_colour, node_style)

__all__ = ["vis_options", "build_network", "render_page", "write_page", "page_key"]

BIG = 1000  # above this many edges, hide edges while dragging and zooming
MAX_PAGES = 16  # pages kept in the cache: the main page and kg view's focused pages of the last few builds


def _groups() -> dict:
    groups = {}
    for kind, (_, colour, shape) in [*NODE_STYLES.items(), ("other", OTHER_NODE)]:
        groups[kind] = {"shape": shape, "font": {"size": label_size(kind, 0.0)}, "color": {
            "background": colour, "border": border_colour(colour),
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"}}}
    return groups


def vis_options(edge_count: int) -> dict:
    """vis-network options: positions fixed, physics off, one group per node kind.

    Examples
    --------
    >>> options = vis_options(10)
    >>> options["physics"]["enabled"], options["groups"]["person"]["shape"]
    (False, 'dot')
    """
    return {
        "autoResize": True,
        "physics": {"enabled": False, "solver": "forceAtlas2Based", "stabilization": {"enabled": False},
                    "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 120, "avoidOverlap": 0.4}},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "multiselect": False, "navigationButtons": False,
                        "hideEdgesOnDrag": edge_count > BIG, "hideEdgesOnZoom": edge_count > BIG,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
        "groups": _groups(),
        "nodes": {"borderWidth": 1, "labelHighlightBold": False,
                  "font": {"size": 20, "face": "system-ui, sans-serif", "color": "#1f2328", "strokeWidth": 5,
                           "strokeColor": "#ffffff"},
                  "scaling": {"min": 10, "max": 44,
                              "label": {"enabled": False, "drawThreshold": 9, "maxVisible": 28}}},
        "edges": {**EDGE_DEFAULTS, "selectionWidth": 2, "hoverWidth": 0.5, "arrowStrikethrough": False,
                  "color": {"opacity": 0.9},
                  "font": {"size": 14, "align": "middle", "strokeWidth": 4, "color": "#444444"}},
    }


def build_network(model: dict):
    """A pyvis ``Network`` holding the model's nodes and edges, passed in bulk.

    ``Network.add_node``/``add_edge`` check membership in Python lists, which
    is quadratic; the records are already unique and checked, so they are
    set directly (pyvis keeps them in ``nodes``, ``node_ids``, ``node_map``
    and ``edges``).
    """
    from pyvis.network import Network

    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    network.nodes = model["nodes"]
    network.node_ids = [node["id"] for node in model["nodes"]]
    network.node_map = {node["id"]: node for node in model["nodes"]}
    network.edges = model["edges"]
    network.options = vis_options(len(model["edges"]))
    network.templateEnv = environment()
    network.path = "graph.html.j2"
    return network


def _legend(model: dict) -> dict:
    node_counts = Counter(record["kind"] for record in model["info"]["nodes"].values())
    edge_kinds = Counter(record["kind"] for record in model["info"]["edges"].values())
    statuses = Counter(record["shown"] for record in model["info"]["edges"].values())
    return {
        "kinds": [{"key": kind, "label": node_style(kind)[0], "colour": node_style(kind)[1],
                   "shape": node_style(kind)[2], "count": node_counts[kind]}
                  for kind in [*NODE_STYLES, *sorted(set(node_counts) - set(NODE_STYLES))] if node_counts[kind]],
        "relations": [{"key": kind, "label": RELATION_KIND_LABELS[kind], "colour": RELATION_KIND_COLOURS[kind],
                       "count": edge_kinds[kind]} for kind in RELATION_KIND_LABELS if edge_kinds[kind]],
        "statuses": [{"key": status, "label": STATUS_LABELS[status], "count": statuses[status],
                      "dashes": " ".join(map(str, STATUS_STYLES[status]["dashes"] or [])),
                      "width": STATUS_STYLES[status]["width"]} for status in STATUS_LABELS],
        "communities": [{**group, "colour": COMMUNITY_COLOURS[group["index"] % len(COMMUNITY_COLOURS)]}
                        for group in model["meta"]["communities"]],
    }


def render_page(graph: nx.MultiDiGraph, metrics: dict | None = None, focus: str | None = None,
                hops: int = DEFAULT_HOPS, max_nodes: int = DEFAULT_MAX_NODES, title: str | None = None) -> str:
    """The whole ``graph.html`` as a string (deterministic for the same input).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The view graph (``graph.view.data.view_graph``).
    metrics : dict, optional
        The analysis stage's ``metrics.json``; nodes are sized by its
        PageRank (or degree) when given, else by degree.
    focus : str, optional
        Show only this entity's neighbourhood (a key, id or name).
    hops : int
        The neighbourhood's radius.
    max_nodes : int
        Above this many nodes, show the most central ones and say so.
    title : str, optional
        The page title.
    """
    model = view_model(graph, metrics, focus, hops, max_nodes)
    meta = model["meta"]
    if title is None:
        title = "faction-kg: interactive graph"
        if meta["focus"]:
            label = model["info"]["nodes"][meta["focus"]]["label"]
            title = f"{label}: {meta['hops']}-hop neighbourhood · faction-kg"
    # A rebuild that leaves what the page shows as it was (a curator's note, a document's title) finds the page
    # in the cache: neither Pyvis, which imports IPython, nor the template runs again.
    try:
        key = page_key(model, title)
    except ValueError:  # a value JSON cannot key, such as NaN in a hand-edited metrics.json: rendered, not kept
        return _rendered(model, title)
    return ContentCache("pages", ".html", MAX_PAGES).get_or_make(key, lambda: _rendered(model, title))


@lru_cache(maxsize=1)
def _rendering_version() -> str:
    """The package's code (its templates, styles and vendored scripts included) and the libraries that render.

    A missing library is "missing": rendering then says how to install it (graph.view.html.vis_network_js).
    """
    return package_and_libraries(("pyvis", "jinja2", "markupsafe"))


def page_key(model: dict, title: str) -> str:
    """The cache key of the page showing ``model`` under ``title``: any change to either, or to the code, gives another.

    Examples
    --------
    >>> model = {"nodes": [{"id": "id/a"}], "edges": [], "info": {}, "meta": {}}
    >>> page_key(model, "t") == page_key(model, "t"), page_key(model, "t") == page_key(model, "u")
    (True, False)
    """
    return content_key("graph.html", model, title, _rendering_version())


def _rendered(model: dict, title: str) -> str:
    meta = model["meta"]
    network = build_network(model)
    scripts = {"vis": vis_network_js(), "timeline": vendored("vis-timeline-graph2d.min.js"),
               "page": packaged("graph.js")}
    legend = _legend(model)
    styles = {"kinds": {item["key"]: {"colour": item["colour"], "border": border_colour(item["colour"]),
                                      "label": item["label"], "shape": item["shape"]} for item in legend["kinds"]},
              "communities": {str(item["index"]): item["colour"] for item in legend["communities"]}}
    network.templateEnv.globals.update(kg={"info": model["info"], "meta": {**meta, "styles": styles}}, title=title,
                                       legend=legend, meta=meta, scripts=scripts,
                                       style=packaged("graph.css"), timeline_style=vendored("vis-timeline-graph2d.min.css"))
    return network.generate_html(name="graph.html")


def write_page(path: Path, graph: nx.MultiDiGraph, **options) -> Path:
    """Write :func:`render_page` to ``path`` (UTF-8); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(graph, **options), encoding="utf-8")
    return path

