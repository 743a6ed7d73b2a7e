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

from .activity import ACTIVITY_KINDS
from .analysis import Analysis

__all__ = ["CHARTS", "CHART_ROWS", "CHART_NODES", "render_charts", "centrality_chart", "activity_chart",
           "community_chart", "threat_chart", "plain_text"]

KIND_COLOURS = {"claimed attack": "#d62728", "reported attack": "#8c564b", "statement": "#1f77b4",
                "threat": "#ff7f0e"}
#: At most this many rows (actors, threats) in a timeline chart, and nodes in a network drawing.
CHART_ROWS = 30
CHART_NODES = 60
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
    panels = [("actor_pagerank", "Actor network: PageRank"), ("actor_betweenness", "Actor network: betweenness"),
              ("coactivity_pagerank", "Group co-activity: PageRank")]
    from .report_brief import core_actors

    core = core_actors(analysis)
    tops = {metric: [(n, v) for n, v in analysis.top(metric, nodes=core) if v] for metric, _ in panels}
    figure = _figure(13, 4.6)
    labels_of = {metric: [plain_text(analysis.label(node), 34) for node, _ in tops[metric]][::-1]
                 for metric, _ in panels}
    gutter = max(_inches(labels, 8) for labels in labels_of.values())
    panel = (13 - 0.2) / 3
    for index, (metric, title) in enumerate(panels):
        axes = figure.add_axes(((0.1 + index * panel + gutter) / 13, 0.5 / 4.6, (panel - gutter - 0.25) / 13,
                                3.6 / 4.6))
        top = tops[metric]
        if not top:
            _empty(axes, "undefined on this graph")
            continue
        labels = labels_of[metric]
        axes.barh(range(len(top)), [value for _, value in top][::-1], color="#4c72b0")
        axes.set_yticks(range(len(top)), labels, fontsize=8)
        axes.set_title(title, fontsize=10)
        axes.tick_params(axis="x", labelsize=8)
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
    figure = _figure(12, max(3.0, 0.42 * len(actors) + 1.6))
    axes = figure.add_subplot(1, 1, 1)
    if not dated:
        _empty(axes, "no dated activity")
        return _svg(figure, "activity")
    bounds = [_num(d) for i in dated for d in (i.earliest, i.latest) if d]
    low, high = min(bounds) - 45, max(bounds) + 45
    offsets = {kind: (index - 1.5) * 0.17 for index, kind in enumerate(ACTIVITY_KINDS)}
    row = {actor: index for index, actor in enumerate(actors)}
    shapes = {kind: {name: [] for name in ("dots", "bars", "open", "ends", "left", "right")}
              for kind in ACTIVITY_KINDS}
    for item in (i for i in dated if i.actor in row):
        y = row[item.actor] + offsets[item.kind]
        start = _num(item.earliest) if item.earliest else low
        end = _num(item.latest) + 1 if item.latest else high
        shape = shapes[item.kind]
        if item.earliest and item.latest:
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
        for name, marker, size in (("dots", "o", 5), ("ends", "|", 8), ("left", "<", 5), ("right", ">", 5)):
            if shape[name]:
                xs, ys = zip(*shape[name])
                axes.plot(xs, ys, marker=marker, markersize=size, color=colour, linestyle="none")
        axes.plot([], [], color=colour, linewidth=4, label=kind)
    axes.set_xlim(low, high)
    axes.set_ylim(-0.7, len(actors) - 0.3)
    axes.invert_yaxis()
    labels = [plain_text(analysis.label(a), 40) for a in actors]
    axes.set_yticks(range(len(actors)), labels, fontsize=8)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.tick_params(axis="x", labelsize=8)
    axes.grid(axis="x", color="#dddddd")
    figure.legend(loc="lower center", ncol=4, fontsize=8, frameon=False)
    _margins(figure, left=_inches(labels, 8), bottom=0.75, top=0.6)
    notes = [f"{len(analysis.activity) - len(dated)} undated items not drawn"] if len(dated) < len(analysis.activity) \
        else []
    if len(counts) > len(actors):
        notes.append(f"the {len(actors)} busiest of {len(counts)} actors")
    axes.set_title("Activity per actor. Dots: a known day; bars: the span an imprecise date may fall in;\n"
                   "dotted with an arrow: a span with an open end" + (f" ({'; '.join(notes)})" if notes else ""),
                   fontsize=9)
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
        axes.text(x, y + 0.045, plain_text(analysis.label(node), 26), fontsize=6.5, ha="center", va="bottom")
    axes.set_title(title, fontsize=10)
    axes.set_axis_off()


def community_chart(analysis: Analysis) -> str:
    """The actor network (actors with at least one link) and the group co-activity network, coloured by community."""
    figure = _figure(13, 6.5)
    for index, (name, title) in enumerate([("actor", "Actor network (linked actors only)"),
                                           ("coactivity", "Group co-activity network")]):
        view = analysis.views[name]
        _draw_network(figure.add_subplot(1, 2, index + 1), view.graph, view.structure.communities,
                      f"{title}: colour = community", analysis.settings.seed, analysis)
    _margins(figure, left=0.1, bottom=0.1, right=0.1, top=0.5, wspace=0.05)
    return _svg(figure, "communities")


def threat_chart(analysis: Analysis) -> str:
    """Each dated threat on its own row, in days from the threat: the window, and attacks by the same actors.

    At most ``CHART_ROWS`` threats are drawn, the first in date order.
    """
    dated = [t for t in analysis.threats if t.earliest]
    threats = dated[:CHART_ROWS]
    window = analysis.settings.window_days
    figure = _figure(12, max(2.5, 0.45 * len(threats) + 1.5))
    axes = figure.add_subplot(1, 1, 1)
    if not threats:
        _empty(axes, "no dated threats")
        return _svg(figure, "threats")
    right = window * 4
    rows, widths, colours, attack_xs, attack_ys = [], [], [], [], []
    for row, threat in enumerate(threats):
        start = dt.date.fromisoformat(threat.earliest)
        span = (dt.date.fromisoformat(threat.latest) - start).days if threat.latest else 0
        rows.append(row)
        widths.append(span + window)
        colours.append("#2ca02c" if threat.followed else "#d62728")
        for attack in threat.followed_by or ([threat.next_attack] if threat.next_attack else []):
            offset = (dt.date.fromisoformat(attack["earliest"]) - start).days
            if offset <= right:
                attack_xs.append(offset)
                attack_ys.append(row)
            else:
                axes.text(right, row, f"next attack +{offset} d →", fontsize=7, ha="right", va="center")
        axes.text(-2, row, f"source: {threat.source_outcome}", fontsize=7, ha="right", va="center", color="#555555")
    axes.barh(rows, widths, left=0, height=0.6, color=colours, alpha=0.15)
    axes.scatter([0] * len(rows), rows, marker="D", c=colours, s=36, zorder=3)
    if attack_xs:
        axes.plot(attack_xs, attack_ys, marker="X", color="#333333", markersize=7, linestyle="none", zorder=4)
    labels = [plain_text(f"{t.earliest}  {analysis.label(t.threat)}", 60) for t in threats]
    axes.set_yticks(rows, labels, fontsize=7.5)
    axes.set_xlim(-window * 1.6, right + 2)
    axes.set_ylim(-0.7, len(threats) - 0.3)
    axes.invert_yaxis()
    axes.axvline(0, color="#999999", linewidth=0.8)
    shown = f" (the first {len(threats)} of {len(dated)} dated threats)" if len(dated) > len(threats) else ""
    axes.set_xlabel(f"days after the threat's earliest day{shown}\nshaded: the threat's span + the {window}-day "
                    "window;  diamond: the threat (green: followed, red: not);  X: an attack by the same actors",
                    fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    _margins(figure, left=_inches(labels, 7.5), bottom=0.8, top=0.2)
    return _svg(figure, "threats")


#: Chart name -> (title, drawing function), in report order.
CHARTS = {
    "centrality": ("Most central actors", centrality_chart),
    "activity": ("Activity timeline per actor", activity_chart),
    "communities": ("Community structure", community_chart),
    "threats": ("Threats against follow-through", threat_chart),
}


def render_charts(analysis: Analysis) -> dict[str, str]:
    """Every chart as inline SVG text, by name."""
    return {name: draw(analysis) for name, (_, draw) in CHARTS.items()}
