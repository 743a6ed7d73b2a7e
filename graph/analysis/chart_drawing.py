"""The report's charts drawn with matplotlib, each from its data (:mod:`.charts`), as SVG text for inlining.

Every chart is drawn on its own ``Figure`` (no pyplot state) with the SVG
backend, text kept as text, a fixed hash salt and no date in the metadata,
so the same data always gives the same bytes. A drawing reads nothing but
its data (plain JSON values), which is what lets :mod:`.chart_cache` keep
drawn charts keyed by that data and this module's source. Text is shown
literally: the data's ``$`` is escaped already, and the SVG writer escapes
``<`` and ``&``.

Only this module imports matplotlib, and only :func:`draw` imports this
module, so nothing loads matplotlib unless a chart has to be drawn.
"""

from __future__ import annotations

import io
import re

import matplotlib
import networkx as nx
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["DRAWINGS", "draw", "FONT"]

KIND_COLOURS = {"claimed attack": "#d62728", "reported attack": "#8c564b", "statement": "#1f77b4",
                "threat": "#ff7f0e"}
#: Text size in points; with figures at most 12 inches wide at 100 dpi, 10 pt stays above 11 px on a
#: 1400 px page (the report is at most 1180 px wide).
FONT = 10
SCOPE_MARKERS = {"same actor": ("X", "#d62728", 10), "tied group": ("^", "#ff7f0e", 8),
                 "any actor": ("o", "#555555", 7)}


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100)


def _svg(figure: Figure, name: str) -> str:
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


def _margins(figure: Figure, left: float, bottom: float, right: float = 0.25, top: float = 0.45, **spacing) -> None:
    """Fixed margins in inches (measuring the text for a tight layout would cost a second drawing)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                           **spacing)


def _num(day: str) -> float:
    import datetime as dt

    return float(date2num(dt.date.fromisoformat(day)))


def _empty(axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#555555")
    axes.set_axis_off()


def draw_centrality(data: dict) -> str:
    """Three panels of horizontal bars, one per metric, the highest at the top."""
    width = 12
    figure = _figure(width, 4.6)
    gutter = max(_inches(panel["labels"], FONT) for panel in data["panels"]) * 0.85
    panel_width = (width - 0.2) / 3
    for index, panel in enumerate(data["panels"]):
        axes = figure.add_axes(((0.1 + index * panel_width + gutter) / width, 0.5 / 4.6,
                                (panel_width - gutter - 0.25) / width, 3.6 / 4.6))
        if not panel["values"]:
            _empty(axes, "undefined on this graph")
            continue
        axes.barh(range(len(panel["values"])), panel["values"], color="#4c72b0")
        axes.set_yticks(range(len(panel["values"])), panel["labels"], fontsize=FONT)
        axes.set_title(panel["title"], fontsize=FONT + 1)
        axes.tick_params(axis="x", labelsize=FONT)
    return _svg(figure, "centrality")


def _activity_shapes(data: dict, low: float, high: float) -> dict:
    """Each kind's dots, bars, open spans, ticks and arrows, from the items' rows and dates."""
    offsets = {kind: (index - 1.5) * 0.17 for index, kind in enumerate(data["kinds"])}
    shapes = {kind: {name: [] for name in ("dots", "bars", "open", "ends", "left", "right")} for kind in data["kinds"]}
    for row, kind, earliest, latest in data["items"]:
        y = row + offsets[kind]
        start = max(_num(earliest), low) if earliest else low
        end = min(_num(latest) + 1, high) if latest else high
        shape = shapes[kind]
        clipped_left, clipped_right = earliest and start == low, latest and end == high
        if clipped_left or clipped_right:  # a span reaching past the axis: to the edge, with an arrow
            shape["bars"].append((y, start, end))
            if clipped_left:
                shape["left"].append((low, y))
            if clipped_right:
                shape["right"].append((high, y))
        elif earliest and latest:
            if earliest == latest:
                shape["dots"].append((start + 0.5, y))
            else:
                shape["bars"].append((y, start, end))
        else:  # an open end: a dotted line to the edge of the chart, a tick at the known day, an arrow
            shape["open"].append((y, start, end))
            shape["ends"].append((end if not earliest else start, y))
            shape["left" if not earliest else "right"].append((start if not earliest else end, y))
    return shapes


def draw_activity(data: dict) -> str:
    """One row per actor: dots on known days, bars over imprecise spans, arrows where a span leaves the axis."""
    labels = data["labels"]
    figure = _figure(12, max(3.0, 0.45 * len(labels) + 1.9))
    axes = figure.add_subplot(1, 1, 1)
    if not labels:
        _empty(axes, "no dated activity")
        return _svg(figure, "activity")
    low, high = _num(data["first_day"]) - 30, _num(data["last_day"]) + 30
    shapes = _activity_shapes(data, low, high)
    for kind in data["kinds"]:
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
    axes.set_ylim(-0.7, len(labels) - 0.3)
    axes.invert_yaxis()
    axes.set_yticks(range(len(labels)), labels, fontsize=FONT)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.tick_params(axis="x", labelsize=FONT)
    axes.grid(axis="x", color="#dddddd")
    figure.legend(loc="lower center", ncol=4, fontsize=FONT, frameon=False)
    _margins(figure, left=_inches(labels, FONT), bottom=0.85, top=0.75)
    axes.set_title(data["title"], fontsize=FONT)
    return _svg(figure, "activity")


def _draw_network(axes, panel: dict, seed: int) -> None:
    if not panel["nodes"]:
        _empty(axes, f"{panel['title']}: no links")
        return
    ordered = nx.Graph()
    ordered.add_nodes_from(panel["nodes"])
    ordered.add_edges_from((u, v, {"weight": weight}) for u, v, weight in panel["edges"])
    positions = nx.spring_layout(ordered, seed=seed, weight="weight")
    colours = [panel["colours"][n] for n in ordered]
    widest = max((d["weight"] for *_, d in ordered.edges(data=True)), default=1)
    widths = [0.4 + 2.0 * d["weight"] / widest for *_, d in ordered.edges(data=True)]
    nx.draw_networkx_edges(ordered, positions, ax=axes, width=widths, alpha=0.3, edge_color="#555555")
    nx.draw_networkx_nodes(ordered, positions, ax=axes, node_color=colours, node_size=90)
    for node, (x, y) in positions.items():
        axes.text(x, y + 0.045, panel["labels"][node], fontsize=FONT - 1, ha="center", va="bottom")
    axes.set_title(panel["title"], fontsize=FONT + 1)
    axes.set_axis_off()
    handles = [Line2D([], [], marker="o", linestyle="none", markersize=8, color=colour, label=label)
               for colour, label in panel["legend"]]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 0), fontsize=FONT - 1, frameon=False,
                title="community: its most linked members", title_fontsize=FONT - 1)


def draw_communities(data: dict) -> str:
    """The networks side by side, each laid out by a seeded spring layout and coloured by community."""
    figure = _figure(12, 8)
    for index, panel in enumerate(data["panels"]):
        _draw_network(figure.add_subplot(1, 2, index + 1), panel, data["seed"])
    _margins(figure, left=0.1, bottom=1.9, right=0.1, top=0.5, wspace=0.05)
    return _svg(figure, "communities")


def draw_threats(data: dict) -> str:
    """One row per threat, a marker per scope at the gap in days; beyond the axis, the gaps in words."""
    rows, window, scopes = data["rows"], data["window"], data["scopes"]
    figure = _figure(12, max(2.8, 0.5 * len(rows) + 2.0))
    axes = figure.add_subplot(1, 1, 1)
    if not rows:
        _empty(axes, "no dated threats")
        return _svg(figure, "threats")
    gaps = [gap for row in rows for gap in row["gaps"] if gap is not None]
    right = min(max([90, window, *gaps]) * 1.05, 730)  # beyond two years, an arrow at the edge
    beyond = []
    for number, row in enumerate(rows):
        for index, (scope, gap) in enumerate(zip(scopes, row["gaps"])):
            if gap is None:
                continue
            marker, colour, size = SCOPE_MARKERS[scope]
            if gap <= right:
                axes.plot([gap], [number + (index - 1) * 0.22], marker=marker, color=colour, markersize=size,
                          linestyle="none", zorder=3)
            else:
                beyond.append((number, scope, gap))
    for number in {r for r, *_ in beyond}:
        text = ", ".join(f"{scope} +{gap} d" for r, scope, gap in beyond if r == number)
        axes.annotate(text + " →", (right, number), ha="right", va="center", fontsize=FONT - 1, color="#333333")
    axes.axvspan(0, window, color="#2ca02c", alpha=0.08, zorder=0)
    for scope in scopes:
        marker, colour, size = SCOPE_MARKERS[scope]
        axes.plot([], [], marker=marker, color=colour, markersize=size, linestyle="none",
                  label=f"nearest later attack: {scope}")
    labels = [row["label"] for row in rows]
    axes.set_yticks(range(len(rows)), labels, fontsize=FONT)
    axes.set_xlim(-2, right + 2)
    axes.set_ylim(-0.7, len(rows) - 0.3)
    axes.invert_yaxis()
    axes.grid(axis="x", color="#dddddd")
    axes.tick_params(axis="x", labelsize=FONT)
    axes.set_xlabel(f"days after the threat (shaded: the {window}-day window)", fontsize=FONT)
    figure.legend(loc="lower center", ncol=3, fontsize=FONT, frameon=False)
    _margins(figure, left=_inches(labels, FONT), bottom=1.0, top=0.2)
    return _svg(figure, "threats")


#: Chart name -> the function that draws it from its data.
DRAWINGS = {"centrality": draw_centrality, "activity": draw_activity, "communities": draw_communities,
            "threats": draw_threats}


def draw(name: str, data: dict) -> str:
    """The chart ``name`` drawn from ``data`` as SVG text."""
    return DRAWINGS[name](data)
