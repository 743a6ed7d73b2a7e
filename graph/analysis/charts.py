"""The report's four charts: what each shows, as plain data, drawn (or found drawn) as inline SVG.

Each chart is split in two. Its data (a function here) is what the chart
shows, taken from the analysis in plain JSON values: labels, numbers, days,
the nodes and links of a network, colours. Its drawing
(:mod:`.chart_drawing`, with matplotlib) reads nothing else, so a drawn chart
is kept in a cache keyed by its data and the drawing code
(:mod:`.chart_cache`), and matplotlib is imported only when a chart's data
has changed. Text from the data is shown literally: ``$`` is escaped here so
matplotlib never reads it as math, and the SVG writer escapes ``<`` and ``&``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import networkx as nx

from ..dates import in_words
from .activity import ACTIVITY_KINDS
from .analysis import Analysis

__all__ = ["CHARTS", "CHART_ROWS", "CHART_NODES", "COMMUNITY_COLOURS", "render_charts", "chart_data",
           "centrality_data", "activity_data", "community_data", "threat_data", "plain_text"]

#: At most this many rows (actors, threats) in a timeline chart, and nodes in a network drawing.
CHART_ROWS = 30
CHART_NODES = 60
#: Spans longer than this many days are drawn to the edge of the activity axis, with an arrow, and do not
#: set its range.
LONG_SPAN_DAYS = 120
COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                     "#bcbd22", "#17becf"]


def plain_text(text: str, limit: int = 0) -> str:
    """Data text made safe for a matplotlib label: ``$`` escaped, optionally shortened.

    Examples
    --------
    >>> plain_text("costs $5"), plain_text("Sayyid Al-Shuhada' Brigades", 12)
    ('costs \\\\$5', 'Sayyid Al-S…')
    """
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def centrality_data(analysis: Analysis) -> dict:
    """Bars of the most central actors: PageRank and betweenness in the actor network, PageRank among groups.

    Each panel's bars run from the lowest to the highest value (the highest is drawn at the top).
    """
    from .report_brief import core_actors

    core = core_actors(analysis)
    panels = []
    for metric, title in [("actor_pagerank", "Actor network: PageRank"),
                          ("actor_betweenness", "Actor network: go-between (betweenness)"),
                          ("coactivity_pagerank", "Co-activity: PageRank")]:
        top = [(node, value) for node, value in analysis.top(metric, nodes=core) if value][::-1]
        panels.append({"title": title, "labels": [plain_text(analysis.label(node), 30) for node, _ in top],
                       "values": [value for _, value in top]})
    return {"panels": panels}


def activity_data(analysis: Analysis) -> dict:
    """One row per actor; each dated item as ``[row, kind, earliest, latest]`` (a missing end is None).

    At most ``CHART_ROWS`` actors are drawn: those with the most dated items.
    The axis spans the items whose span is at most ``LONG_SPAN_DAYS`` long
    (``first_day`` to ``last_day``; every item, if none is), so that one
    vague date does not squeeze the rest.
    """
    dated = [i for i in analysis.activity if i.earliest or i.latest]
    counts = Counter(i.actor for i in dated)
    busiest = sorted(counts, key=lambda a: (-counts[a], a))[:CHART_ROWS]
    actors = sorted(busiest, key=lambda a: (analysis.relation.nodes[a]["kind"] == "person",
                                            analysis.label(a).lower(), a))

    def short(item) -> bool:
        return bool(item.earliest and item.latest) and (
            dt.date.fromisoformat(item.latest) - dt.date.fromisoformat(item.earliest)).days <= LONG_SPAN_DAYS

    known = [i for i in dated if short(i)] or dated
    days = [d for i in known for d in (i.earliest, i.latest) if d]
    row = {actor: index for index, actor in enumerate(actors)}
    notes = [f"{len(analysis.activity) - len(dated)} undated items not drawn"] if len(dated) < len(analysis.activity) \
        else []
    if len(counts) > len(actors):
        notes.append(f"the {len(actors)} busiest of {len(counts)} actors")
    return {"kinds": list(ACTIVITY_KINDS), "labels": [plain_text(analysis.label(a), 34) for a in actors],
            "items": [[row[i.actor], i.kind, i.earliest or None, i.latest or None] for i in dated if i.actor in row],
            "first_day": min(days, key=dt.date.fromisoformat) if days else None,
            "last_day": max(days, key=dt.date.fromisoformat) if days else None,
            "title": "Dots: a known day; bars: the span an imprecise date may fall in; an arrow at the edge: a span "
                     "that\nreaches beyond the chart; dotted with an arrow: a span with an open end"
                     + (f" ({'; '.join(notes)})" if notes else "")}


def _network_panel(graph: nx.Graph, communities: list[list[str]], title: str, analysis: Analysis) -> dict:
    """A network drawing's nodes (the ``CHART_NODES`` most linked), links with weights, labels and colours."""
    linked = sorted(n for n in graph if graph.degree(n) > 0)
    if not linked:
        return {"title": title, "nodes": []}
    if len(linked) > CHART_NODES:  # the most linked nodes only, or the drawing is unreadable
        linked = sorted(sorted(linked, key=lambda n: (-graph.degree(n, weight="weight"), n))[:CHART_NODES])
        title += f"\n({CHART_NODES} most linked of {len(graph)} nodes)"
    keep = set(linked)
    edges = sorted((min(u, v), max(u, v), d.get("weight", 1)) for u, v, d in graph.edges(data=True)
                   if u in keep and v in keep)
    community = {node: index for index, group in enumerate(communities) for node in group}
    shown = [(index, group) for index, group in enumerate(communities) if any(n in keep for n in group)]
    legend = [[COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)],
               plain_text(f"{index}: " + ", ".join(analysis.label(n) for n in sorted(
                   (n for n in group if n in keep), key=lambda n: (-graph.degree(n), n))[:2])
                   + (" …" if len(group) > 2 else ""), 46)]
              for index, group in shown[:len(COMMUNITY_COLOURS)]]
    return {"title": title, "nodes": linked, "edges": [list(edge) for edge in edges],
            "labels": {node: plain_text(analysis.label(node), 22) for node in linked},
            "colours": {node: COMMUNITY_COLOURS[community[node] % len(COMMUNITY_COLOURS)] for node in linked},
            "legend": legend}


def community_data(analysis: Analysis) -> dict:
    """The actor network (actors with at least one link) and the group co-activity network, coloured by community."""
    panels = []
    for name, title in [("actor", "Actor network (linked actors only)"), ("coactivity", "Group co-activity network")]:
        view = analysis.views[name]
        panels.append(_network_panel(view.graph, view.structure.communities, f"{title}: colour = community",
                                     analysis))
    return {"seed": analysis.settings.seed, "panels": panels}


def threat_data(analysis: Analysis) -> dict:
    """Each dated threat on its own row, and the days from it to the nearest later attack by the same actor,
    a tied group and anyone (None where there is none).

    At most ``CHART_ROWS`` threats are drawn, the first in date order.
    """
    from .threats import SCOPES, threat_context

    contexts = threat_context(analysis.relation, analysis.threats, analysis.views["actor"].graph)[:CHART_ROWS]
    return {"window": analysis.settings.window_days, "scopes": list(SCOPES),
            "rows": [{"label": plain_text(f"{in_words(c.threat.edtf)}: {analysis.label(c.threat.threat)}", 48),
                      "gaps": [None if c.nearest[scope] is None else c.nearest[scope]["gap"] for scope in SCOPES]}
                     for c in contexts]}


#: Chart name -> (title, the function that takes its data from the analysis), in report order.
CHARTS = {
    "centrality": ("Most central actors", centrality_data),
    "activity": ("Activity timeline per actor", activity_data),
    "communities": ("Community structure", community_data),
    "threats": ("Threats and the nearest later attacks", threat_data),
}


def chart_data(analysis: Analysis) -> dict[str, dict]:
    """Every chart's data, by name."""
    return {name: data(analysis) for name, (_, data) in CHARTS.items()}


def render_charts(analysis: Analysis) -> dict[str, str]:
    """Every chart as inline SVG text, by name: from the cache where its data was drawn before."""
    from .chart_cache import drawn_chart

    return {name: drawn_chart(name, data) for name, data in chart_data(analysis).items()}
