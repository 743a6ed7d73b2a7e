"""The report's charts, drawn with matplotlib as SVG text that can be inlined in HTML.

Every chart is drawn on its own ``Figure`` (no pyplot state) with the SVG
backend, text kept as text, a fixed hash salt and no date in the metadata,
so the same analysis always gives the same bytes. Text from the data is
shown literally: ``$`` is escaped so matplotlib never reads it as math, and
the SVG writer escapes ``<`` and ``&``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import networkx as nx

from ..dates import in_words
from .activity import ACTIVITY_KINDS
from .analysis import Analysis

__all__ = ["CHARTS", "CHART_ROWS", "CHART_NODES", "render_charts", "centrality_chart", "activity_chart",
           "community_chart", "threat_chart", "plain_text"]

KIND_COLOURS = {"claimed attack": "#d62728", "reported attack": "#8c564b", "statement": "#1f77b4",
                "threat": "#ff7f0e"}
#: At most this many rows (actors, threats) in a timeline chart, and nodes in a network drawing.
CHART_ROWS = 30
CHART_NODES = 60
#: Text size in points; with figures at most 12 inches wide at 100 dpi, 10 pt stays above 11 px on a
#: 1400 px page (the report is at most 1180 px wide).
FONT = 10
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


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _svg(figure, name: str) -> str:
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": f"faction-kg-{name}", "svg.fonttype": "none"}):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = re.sub(r"<\?xml[^>]*\?>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    return text.strip() + "\n"


def _inches(labels, fontsize: float) -> float:
    """About how wide the longest label is, in inches (average glyph width ~0.6 em), plus a gap."""
    return max((len(label) for label in labels), default=0) * fontsize * 0.6 / 72 + 0.2


def _margins(figure, left: float, bottom: float, right: float = 0.25, top: float = 0.45, **spacing) -> None:
    """Fixed margins in inches (measuring the text for a tight layout would cost a second drawing)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                           **spacing)


def _num(day: str) -> float:
    from matplotlib.dates import date2num

    return float(date2num(dt.date.fromisoformat(day)))


def _empty(axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#555555")
    axes.set_axis_off()


def centrality_chart(analysis: Analysis) -> str:
    """Bars of the most central actors: PageRank and betweenness in the actor network, PageRank among groups."""
    panels = [("actor_pagerank", "Actor network: PageRank"), ("actor_betweenness", "Actor network: go-between (betweenness)"),
              ("coactivity_pagerank", "Co-activity: PageRank")]
    from .report_brief import core_actors

    core = core_actors(analysis)
    tops = {metric: [(n, v) for n, v in analysis.top(metric, nodes=core) if v] for metric, _ in panels}
    width = 12
    figure = _figure(width, 4.6)
    labels_of = {metric: [plain_text(analysis.label(node), 30) for node, _ in tops[metric]][::-1]
                 for metric, _ in panels}
    gutter = max(_inches(labels, FONT) for labels in labels_of.values()) * 0.85
    panel = (width - 0.2) / 3
    for index, (metric, title) in enumerate(panels):
        axes = figure.add_axes(((0.1 + index * panel + gutter) / width, 0.5 / 4.6, (panel - gutter - 0.25) / width,
                                3.6 / 4.6))
        top = tops[metric]
        if not top:
            _empty(axes, "undefined on this graph")
            continue
        labels = labels_of[metric]
        axes.barh(range(len(top)), [value for _, value in top][::-1], color="#4c72b0")
        axes.set_yticks(range(len(top)), labels, fontsize=FONT)
        axes.set_title(title, fontsize=FONT + 1)
        axes.tick_params(axis="x", labelsize=FONT)
    return _svg(figure, "centrality")


def activity_chart(analysis: Analysis) -> str:
    """One row per actor; day-precise items as dots, imprecise ones as bars from earliest to latest day.

    At most ``CHART_ROWS`` actors are drawn: those with the most dated items.
    """
    dated = [i for i in analysis.activity if i.earliest or i.latest]
    counts = Counter(i.actor for i in dated)
    busiest = sorted(counts, key=lambda a: (-counts[a], a))[:CHART_ROWS]
    actors = sorted(busiest, key=lambda a: (analysis.relation.nodes[a]["kind"] == "person",
                                            analysis.label(a).lower(), a))
    figure = _figure(12, max(3.0, 0.45 * len(actors) + 1.9))
    axes = figure.add_subplot(1, 1, 1)
    if not dated:
        _empty(axes, "no dated activity")
        return _svg(figure, "activity")
    def short(item) -> bool:
        return bool(item.earliest and item.latest) and (
            dt.date.fromisoformat(item.latest) - dt.date.fromisoformat(item.earliest)).days <= LONG_SPAN_DAYS

    known = [i for i in dated if short(i)] or dated
    bounds = [_num(d) for i in known for d in (i.earliest, i.latest) if d]
    low, high = min(bounds) - 30, max(bounds) + 30
    offsets = {kind: (index - 1.5) * 0.17 for index, kind in enumerate(ACTIVITY_KINDS)}
    row = {actor: index for index, actor in enumerate(actors)}
    shapes = {kind: {name: [] for name in ("dots", "bars", "open", "ends", "left", "right")}
              for kind in ACTIVITY_KINDS}
    for item in (i for i in dated if i.actor in row):
        y = row[item.actor] + offsets[item.kind]
        start = max(_num(item.earliest), low) if item.earliest else low
        end = min(_num(item.latest) + 1, high) if item.latest else high
        shape = shapes[item.kind]
        clipped_left, clipped_right = item.earliest and start == low, item.latest and end == high
        if clipped_left or clipped_right:  # a span reaching past the axis: to the edge, with an arrow
            shape["bars"].append((y, start, end))
            if clipped_left:
                shape["left"].append((low, y))
            if clipped_right:
                shape["right"].append((high, y))
        elif item.earliest and item.latest:
            if item.earliest == item.latest:
                shape["dots"].append((start + 0.5, y))
            else:
                shape["bars"].append((y, start, end))
        else:  # an open end: a dotted line to the edge of the chart, a tick at the known day, an arrow
            shape["open"].append((y, start, end))
            shape["ends"].append((end if not item.earliest else start, y))
            shape["left" if not item.earliest else "right"].append((start if not item.earliest else end, y))
    for kind in ACTIVITY_KINDS:
        colour, shape = KIND_COLOURS[kind], shapes[kind]
        for name, style in (("bars", {"linewidth": 4, "alpha": 0.75}), ("open", {"linewidth": 1.5,
                                                                                "linestyles": "dotted"})):
            if shape[name]:
                ys, starts, ends = zip(*shape[name])
                axes.hlines(ys, starts, ends, colors=colour, **style)
        for name, marker, size in (("dots", "o", 6), ("ends", "|", 9), ("left", "<", 7), ("right", ">", 7)):
            if shape[name]:
                xs, ys = zip(*shape[name])
                axes.plot(xs, ys, marker=marker, markersize=size, color=colour, linestyle="none")
        axes.plot([], [], color=colour, linewidth=4, label=kind)
    axes.set_xlim(low, high)
    axes.set_ylim(-0.7, len(actors) - 0.3)
    axes.invert_yaxis()
    labels = [plain_text(analysis.label(a), 34) for a in actors]
    axes.set_yticks(range(len(actors)), labels, fontsize=FONT)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.tick_params(axis="x", labelsize=FONT)
    axes.grid(axis="x", color="#dddddd")
    figure.legend(loc="lower center", ncol=4, fontsize=FONT, frameon=False)
    _margins(figure, left=_inches(labels, FONT), bottom=0.85, top=0.75)
    notes = [f"{len(analysis.activity) - len(dated)} undated items not drawn"] if len(dated) < len(analysis.activity) \
        else []
    if len(counts) > len(actors):
        notes.append(f"the {len(actors)} busiest of {len(counts)} actors")
    axes.set_title("Dots: a known day; bars: the span an imprecise date may fall in; an arrow at the edge: a span "
                   "that\nreaches beyond the chart; dotted with an arrow: a span with an open end"
                   + (f" ({'; '.join(notes)})" if notes else ""), fontsize=FONT)
    return _svg(figure, "activity")


def _draw_network(axes, graph: nx.Graph, communities: list[list[str]], title: str, seed: int, analysis) -> None:
    linked = sorted(n for n in graph if graph.degree(n) > 0)
    if not linked:
        _empty(axes, f"{title}: no links")
        return
    if len(linked) > CHART_NODES:  # the most linked nodes only, or the drawing is unreadable
        linked = sorted(sorted(linked, key=lambda n: (-graph.degree(n, weight="weight"), n))[:CHART_NODES])
        title += f"\n({CHART_NODES} most linked of {len(graph)} nodes)"
    ordered = nx.Graph()
    ordered.add_nodes_from(linked)
    keep = set(linked)
    ordered.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in graph.edges(data=True)
                                  if u in keep and v in keep))
    positions = nx.spring_layout(ordered, seed=seed, weight="weight")
    community = {node: index for index, group in enumerate(communities) for node in group}
    colours = [COMMUNITY_COLOURS[community[n] % len(COMMUNITY_COLOURS)] for n in ordered]
    widest = max((d.get("weight", 1) for *_, d in ordered.edges(data=True)), default=1)
    widths = [0.4 + 2.0 * d.get("weight", 1) / widest for *_, d in ordered.edges(data=True)]
    nx.draw_networkx_edges(ordered, positions, ax=axes, width=widths, alpha=0.3, edge_color="#555555")
    nx.draw_networkx_nodes(ordered, positions, ax=axes, node_color=colours, node_size=90)
    for node, (x, y) in positions.items():
        axes.text(x, y + 0.045, plain_text(analysis.label(node), 22), fontsize=FONT - 1, ha="center", va="bottom")
    axes.set_title(title, fontsize=FONT + 1)
    axes.set_axis_off()
    from matplotlib.lines import Line2D

    shown = [(index, group) for index, group in enumerate(communities) if any(n in keep for n in group)]
    handles = [Line2D([], [], marker="o", linestyle="none", markersize=8,
                      color=COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)],
                      label=plain_text(f"{index}: " + ", ".join(analysis.label(n) for n in sorted(
                          (n for n in group if n in keep), key=lambda n: (-graph.degree(n), n))[:2])
                          + (" …" if len(group) > 2 else ""), 46))
               for index, group in shown[:len(COMMUNITY_COLOURS)]]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), fontsize=FONT - 1, frameon=False,
                title="community: its most linked members", title_fontsize=FONT - 1)


def community_chart(analysis: Analysis) -> str:
    """The actor network (actors with at least one link) and the group co-activity network, coloured by community."""
    figure = _figure(12, 8)
    for index, (name, title) in enumerate([("actor", "Actor network (linked actors only)"),
                                           ("coactivity", "Group co-activity network")]):
        view = analysis.views[name]
        _draw_network(figure.add_subplot(1, 2, index + 1), view.graph, view.structure.communities,
                      f"{title}: colour = community", analysis.settings.seed, analysis)
    _margins(figure, left=0.1, bottom=1.9, right=0.1, top=0.5, wspace=0.05)
    return _svg(figure, "communities")


def threat_chart(analysis: Analysis) -> str:
    """Each dated threat on its own row, and the nearest later attack by the same actor, a tied group and
    anyone, in days after the threat; attacks beyond the axis are written at its right edge with an arrow.

    At most ``CHART_ROWS`` threats are drawn, the first in date order.
    """
    from .threats import SCOPES, threat_context

    contexts = threat_context(analysis.relation, analysis.threats, analysis.views["actor"].graph)[:CHART_ROWS]
    window = analysis.settings.window_days
    figure = _figure(12, max(2.8, 0.5 * len(contexts) + 2.0))
    axes = figure.add_subplot(1, 1, 1)
    if not contexts:
        _empty(axes, "no dated threats")
        return _svg(figure, "threats")
    gaps = [n["gap"] for c in contexts for n in c.nearest.values() if n is not None]
    right = min(max([90, window, *gaps]) * 1.05, 730)  # beyond two years, an arrow at the edge
    markers = {"same actor": ("X", "#d62728", 10), "tied group": ("^", "#ff7f0e", 8), "any actor": ("o", "#555555", 7)}
    beyond = []
    for row, context in enumerate(contexts):
        for scope in SCOPES:
            nearest = context.nearest[scope]
            if nearest is None:
                continue
            marker, colour, size = markers[scope]
            if nearest["gap"] <= right:
                axes.plot([nearest["gap"]], [row + (SCOPES.index(scope) - 1) * 0.22], marker=marker, color=colour, markersize=size, linestyle="none",
                          zorder=3)
            else:
                beyond.append((row, scope, nearest["gap"]))
    for row in {r for r, *_ in beyond}:
        text = ", ".join(f"{scope} +{gap} d" for r, scope, gap in beyond if r == row)
        axes.annotate(text + " →", (right, row), ha="right", va="center", fontsize=FONT - 1, color="#333333")
    axes.axvspan(0, window, color="#2ca02c", alpha=0.08, zorder=0)
    for scope in SCOPES:
        marker, colour, size = markers[scope]
        axes.plot([], [], marker=marker, color=colour, markersize=size, linestyle="none",
                  label=f"nearest later attack: {scope}")
    labels = [plain_text(f"{in_words(c.threat.edtf)}: {analysis.label(c.threat.threat)}", 48) for c in contexts]
    axes.set_yticks(range(len(contexts)), labels, fontsize=FONT)
    axes.set_xlim(-2, right + 2)
    axes.set_ylim(-0.7, len(contexts) - 0.3)
    axes.invert_yaxis()
    axes.grid(axis="x", color="#dddddd")
    axes.tick_params(axis="x", labelsize=FONT)
    axes.set_xlabel(f"days after the threat (shaded: the {window}-day window)", fontsize=FONT)
    figure.legend(loc="lower center", ncol=3, fontsize=FONT, frameon=False)
    _margins(figure, left=_inches(labels, FONT), bottom=1.0, top=0.2)
    return _svg(figure, "threats")


#: Chart name -> (title, drawing function), in report order.
CHARTS = {
    "centrality": ("Most central actors", centrality_chart),
    "activity": ("Activity timeline per actor", activity_chart),
    "communities": ("Community structure", community_chart),
    "threats": ("Threats and the nearest later attacks", threat_chart),
}


def render_charts(analysis: Analysis) -> dict[str, str]:
    """Every chart as inline SVG text, by name."""
    return {name: draw(analysis) for name, (_, draw) in CHARTS.items()}
