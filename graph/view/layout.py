"""Node positions computed once, in Python, so the page draws at once.

The browser runs no physics unless the reader asks for it. Positions come
from NetworkX on the simple undirected skeleton of the graph, built in
sorted order, so the same graph always gets the same positions whatever
``PYTHONHASHSEED`` is:

* up to ``KAMADA_KAWAI_MAX`` nodes (the project's graph): Kamada-Kawai, which
  spaces nodes evenly and has no random start;
* above: a seeded spring layout (Fruchterman-Reingold) of the ``CORE`` best
  connected nodes, then every other node on a small sunflower spiral around
  the neighbour that reached it first in a breadth-first walk from the core.
  All-pairs force layouts cost seconds per few iterations at 2,000 nodes;
  this costs well under a second.

Disconnected parts are held together by a temporary hub joined to each
part's best connected node.

With a ``core`` (the page's first screen, the actor network), the core is
laid out on its own first, so that the first screen is readable: then its
label boxes are moved apart until none overlaps (:func:`remove_overlaps`),
and the other nodes are placed around it by a seeded spring layout with the
core held fixed, so growing a node or showing everything never moves the
core.

The positions are kept in a :class:`~graph.content_cache.ContentCache`
(``layouts/`` beside the drawn charts), keyed by everything they are computed
from: a rebuild whose graph has the same shape (after a quote was corrected,
say) finds them without Kamada-Kawai, the spring layout, or scipy's
optimizer, whose import alone is a tenth of the seed build.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import deque
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ..content_cache import ContentCache, code_and_libraries, content_key

__all__ = ["CORE", "DENSITY", "KAMADA_KAWAI_MAX", "PUSH_MAX", "SEED", "SPACING", "SPRING_MAX", "layout_positions",
           "remove_overlaps"]

SEED = 20240108
SPACING = 80.0  # canvas units per sqrt(node): the same density at every size
KAMADA_KAWAI_MAX = 250
CORE = 300
SPRING_MAX = 600  # above this many nodes around the core, they go on spirals (no spring)
_HUB = "\x00hub"
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _skeleton(graph: nx.Graph | nx.MultiDiGraph, order: list[str], hub: str = _HUB) -> nx.Graph:
    keep = set(order)
    skeleton = nx.Graph()
    skeleton.add_nodes_from(order)
    pairs = {tuple(sorted((u, v))) for u, v in graph.edges() if u != v and u in keep and v in keep}
    skeleton.add_edges_from(sorted(pairs))
    parts = sorted((sorted(part) for part in nx.connected_components(skeleton)), key=lambda p: (-len(p), p[0]))
    if len(parts) > 1:
        for part in parts:
            skeleton.add_edge(hub, min(part, key=lambda node: (-skeleton.degree(node), node)))
    return skeleton


def _core_and_spirals(skeleton: nx.Graph, seed: int) -> dict:
    ranked = sorted(skeleton, key=lambda node: (-skeleton.degree(node), node))
    core = ranked[:CORE]
    core_graph = _skeleton(skeleton, sorted(core), hub=_HUB + "core")
    spring = nx.spring_layout(core_graph, seed=seed, iterations=100, method="force")
    pos = {node: tuple(xy) for node, xy in spring.items() if node in skeleton}
    step = 0.5 / math.sqrt(len(core))  # a fraction of the core's typical spacing (it spans [-1, 1])
    return _spirals(skeleton, pos, core, lambda index: step * math.sqrt(index + 1) * 1.4)


def _spirals(skeleton: nx.Graph, pos: dict, start: list[str], radius, turn: float = 0.0) -> dict:
    """Place every node not in ``pos`` on a sunflower spiral around the neighbour that reached it first.

    A breadth-first walk from ``start``; a parent's ``index``-th child goes
    ``radius(index)`` away from it, at the golden angle times ``index`` plus ``turn``.
    """
    children: dict[str, int] = {}
    queue = deque(start)
    while queue:
        parent = queue.popleft()
        for child in sorted(skeleton[parent]):
            if child in pos:
                continue
            index = children.get(parent, 0)
            children[parent] = index + 1
            distance, angle = radius(index), _GOLDEN_ANGLE * index + turn
            pos[child] = (pos[parent][0] + distance * math.cos(angle), pos[parent][1] + distance * math.sin(angle))
            queue.append(child)
    return pos


def _raw_positions(graph, order: list[str], seed: int) -> dict:
    skeleton = _skeleton(graph, order)
    if len(order) <= KAMADA_KAWAI_MAX:
        raw = nx.kamada_kawai_layout(skeleton, pos=nx.circular_layout(skeleton))
    else:
        raw = _core_and_spirals(skeleton, seed)
    raw.pop(_HUB, None)
    return raw


#: Laid-out graphs, kept beside the drawn charts (:mod:`graph.content_cache`).
LAYOUTS = ContentCache("layouts", ".json")


@lru_cache(maxsize=1)
def _layout_version() -> str:
    """This module's source and the libraries that lay out: a change to any of them lays every graph out again."""
    return code_and_libraries(Path(__file__), ("networkx", "numpy", "scipy"))


def _scaled(raw: dict, order: list[str], spacing: float) -> dict[str, tuple[float, float]]:
    xs, ys = [raw[n][0] for n in order], [raw[n][1] for n in order]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    scale = spacing * math.sqrt(len(order)) / half
    return {node: ((raw[node][0] - cx) * scale, (raw[node][1] - cy) * scale) for node in order}


PUSH_MAX = 250  # nodes: up to here the pairs are pushed apart first; above, that costs seconds and does not converge


def remove_overlaps(pos: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float, float]],
                    gap: float = 8.0, rounds: int = 200, priority: list[str] | None = None,
                    push_max: int = PUSH_MAX) -> dict[str, tuple[float, float]]:
    """Move nodes until no two label boxes overlap, keeping each as near its position as it can.

    Each box is ``(half width, above, below)`` around its node's position
    (a node with its label underneath reaches further below than above).

    Up to ``push_max`` nodes, each pass first moves every overlapping pair
    apart along the axis where they overlap least, half each way, in sorted
    order, until none overlaps (or ``rounds`` passes). Then any node still
    overlapping one placed before it, in ``priority`` order (default: sorted),
    goes to the nearest free spot on a spiral around its position
    (:func:`_place_greedily`). Above ``push_max`` nodes only the second step
    runs: in a dense layout of a thousand labels the pushing does not settle
    in 200 passes, and costs seconds, while the placement leaves no overlap;
    first, a layout whose labels would cover more than ``DENSITY`` of its
    bounding box is spread about its centre until they cover that much, so that
    the placement finds free spots near where the layout put each node.

    Examples
    --------
    >>> moved = remove_overlaps({"a": (0, 0), "b": (5, 0)}, {"a": (10, 10, 10), "b": (10, 10, 10)}, gap=0)
    >>> abs(moved["a"][0] - moved["b"][0]) >= 20 or abs(moved["a"][1] - moved["b"][1]) >= 20
    True
    >>> remove_overlaps({"a": (0, 0), "b": (100, 0)}, {"a": (10, 10, 10), "b": (10, 10, 10)})
    {'a': (0, 0), 'b': (100, 0)}
    >>> far = {"a": (0, 0), "b": (5, 0), "c": (1000, 1000)}
    >>> placed = remove_overlaps(far, {n: (10, 10, 10) for n in far}, push_max=0, priority=["b", "a"])
    >>> placed["b"], placed["a"] != (0, 0)
    ((5, 0), True)
    """
    if len(pos) <= push_max:
        pos = _remove_overlaps_pairwise(pos, boxes, gap, rounds)
    else:
        pos = _spread(pos, boxes, gap)
    order = list(priority) if priority is not None else sorted(pos)
    order += sorted(set(pos) - set(order))
    placed = _place_greedily(pos, boxes, gap, order)
    return {node: placed[node] for node in sorted(pos)}


DENSITY = 0.2
_TOUCHING = 1e-6  # canvas units; the page rounds positions to whole units


def _spread(pos, boxes, gap: float) -> dict[str, tuple[float, float]]:
    """The positions scaled about their centre until the boxes cover at most ``DENSITY`` of their bounding box."""
    order = sorted(pos)
    left = min(pos[n][0] - boxes[n][0] for n in order)
    right = max(pos[n][0] + boxes[n][0] for n in order)
    top = min(pos[n][1] - boxes[n][1] for n in order)
    bottom = max(pos[n][1] + boxes[n][2] for n in order)
    covered = math.fsum((2 * boxes[n][0] + gap) * (boxes[n][1] + boxes[n][2] + gap) for n in order)
    span = (right - left + gap) * (bottom - top + gap)
    if covered <= DENSITY * span:
        return pos
    scale = math.sqrt(covered / (DENSITY * span))
    cx, cy = (left + right) / 2, (top + bottom) / 2
    return {node: (cx + (pos[node][0] - cx) * scale, cy + (pos[node][1] - cy) * scale) for node in order}


def _overlap(u: tuple, ubox: tuple, v: tuple, vbox: tuple, gap: float) -> tuple[float, float]:
    """How far two boxes overlap across (``dx``) and down (``dy``); they overlap when both are positive."""
    (ux, uy), (uw, ua, ub), (vx, vy), (vw, va, vb) = u, ubox, v, vbox
    dx = uw + vw + gap - abs(ux - vx)
    dy = (ub + va + gap - (vy - uy)) if vy >= uy else (vb + ua + gap - (uy - vy))
    return dx, dy


def _place_greedily(pos, boxes, gap: float, order: list[str]) -> dict[str, tuple[float, float]]:
    """Place the nodes one by one in ``order``: each where it is if that is free, else at the nearest free spot.

    The spots tried are a sunflower spiral around the node's position,
    stretched to its box, so a wide label moves sideways in wider steps.
    Placed boxes are kept in a grid of cells as large as the largest box, so
    each test reads only the nine cells around a spot.
    """
    if not order:
        return {}
    cell_x = 2 * max(boxes[n][0] for n in order) + gap
    cell_y = max(boxes[n][1] for n in order) + max(boxes[n][2] for n in order) + gap
    grid: dict[tuple[int, int], list[str]] = {}
    placed: dict[str, tuple[float, float]] = {}

    def free(node, spot) -> bool:
        col, row = math.floor(spot[0] / cell_x), math.floor(spot[1] / cell_y)
        for key in ((c, r) for c in (col - 1, col, col + 1) for r in (row - 1, row, row + 1)):
            for other in grid.get(key, ()):
                dx, dy = _overlap(spot, boxes[node], placed[other], boxes[other], gap)
                if dx > _TOUCHING and dy > _TOUCHING:  # pushed pairs end exactly touching, give or take rounding
                    return False
        return True

    for node in order:
        spot = tuple(pos[node])
        if not free(node, spot):
            width, above, below = boxes[node]
            step_x, step_y = max(width, 1.0) / 2, max(above + below, 1.0) / 4
            x, y = spot
            for index in itertools.count(1):
                distance, angle = math.sqrt(index), _GOLDEN_ANGLE * index
                spot = (x + step_x * distance * math.cos(angle), y + step_y * distance * math.sin(angle))
                if free(node, spot):
                    break
        placed[node] = spot
        grid.setdefault((math.floor(spot[0] / cell_x), math.floor(spot[1] / cell_y)), []).append(node)
    return placed


def _remove_overlaps_pairwise(pos, boxes, gap: float, rounds: int) -> dict[str, tuple[float, float]]:
    """Push overlapping pairs apart, half each way, in a plain double loop over the sorted pairs."""
    pos = {node: tuple(xy) for node, xy in sorted(pos.items())}
    order = list(pos)
    for _ in range(rounds):
        moved = False
        for i, u in enumerate(order):
            (ux, uy), (uw, ua, ub) = pos[u], boxes[u]
            for v in order[i + 1:]:
                (vx, vy), (vw, va, vb) = pos[v], boxes[v]
                dx = uw + vw + gap - abs(ux - vx)
                if dx <= 0:
                    continue
                dy = (ub + va + gap - (vy - uy)) if vy >= uy else (vb + ua + gap - (uy - vy))
                if dy <= 0:
                    continue
                moved = True
                if dx < dy:
                    step = dx / 2 * (1 if ux >= vx else -1) if ux != vx else dx / 2 * (1 if u < v else -1)
                    ux, vx = ux + step, vx - step
                else:
                    step = dy / 2 * (1 if uy >= vy else -1) if uy != vy else dy / 2 * (1 if u < v else -1)
                    uy, vy = uy + step, vy - step
                pos[u], pos[v] = (ux, uy), (vx, vy)
        if not moved:
            break
    return pos


def _ranked(graph, nodes: list[str]) -> list[str]:
    """The best connected first (they keep their places when labels collide), then by name."""
    return sorted(nodes, key=lambda node: (-graph.degree(node), node))


def _around_core(graph, order: list[str], placed: dict, seed: int, spacing: float) -> dict:
    """Place the nodes of ``order`` not in ``placed`` near their placed neighbours, then relax them."""
    skeleton = _skeleton(graph, order)
    pos = _spirals(skeleton, dict(placed), sorted(placed), lambda index: spacing * (1.2 + 0.5 * math.sqrt(index)),
                   turn=0.7)
    pos.pop(_HUB, None)
    if len(order) - len(placed) <= SPRING_MAX:
        free = [node for node in order if node not in placed]
        spring = nx.spring_layout(skeleton.subgraph(order), pos={n: pos[n] for n in order}, fixed=sorted(placed),
                                  k=spacing * 2.5, iterations=60, seed=seed)
        pos.update({node: tuple(spring[node]) for node in free})
    return pos


def layout_positions(graph: nx.MultiDiGraph, nodes: list[str] | None = None, seed: int = SEED,
                     spacing: float = SPACING, core: list[str] | None = None,
                     boxes: dict[str, tuple[float, float, float]] | None = None) -> dict[str, tuple[int, int]]:
    """Integer canvas positions for ``nodes`` (default: all), deterministic.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The graph (its edges decide who sits near whom).
    nodes : list of str, optional
        The nodes to place; edges to other nodes are ignored.
    seed : int
        Seed of the spring layouts' random start.
    spacing : float
        Scale: the layout spans about ``2 * spacing * sqrt(len(nodes))`` units.
    core : list of str, optional
        Nodes laid out first and on their own (the first screen); the others
        are placed around them.
    boxes : dict, optional
        The core nodes' ``(half width, above, below)`` boxes, label included:
        the core is spread until no two overlap.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "b"), ("x", "y")])
    >>> layout_positions(g) == layout_positions(g)
    True
    >>> sorted(layout_positions(g))
    ['a', 'b', 'c', 'x', 'y']
    >>> layout_positions(nx.MultiDiGraph()), layout_positions(nx.MultiDiGraph([("a", "a")]))
    ({}, {'a': (0, 0)})
    >>> with_core = layout_positions(g, core=["a", "b"], boxes=dict.fromkeys("ab", (40, 10, 30)))
    >>> abs(with_core["a"][0] - with_core["b"][0]) >= 80 or abs(with_core["a"][1] - with_core["b"][1]) >= 40
    True
    """
    order = sorted(graph) if nodes is None else sorted(nodes)
    if len(order) < 2:
        return {node: (0, 0) for node in order}
    core = sorted(set(core or []) & set(order))
    # Everything the layout reads: the links among the nodes, their degrees (the priority of their labels),
    # the core, the label boxes and the parameters.
    keep = set(order)
    links = sorted({tuple(sorted((u, v))) for u, v in graph.edges() if u != v and u in keep and v in keep})
    key = content_key("layout", order, links, [graph.degree(node) for node in order], core,
                      [boxes.get(node) if boxes else None for node in order], seed, spacing, _layout_version())

    def computed() -> str:
        pos = _positions(graph, order, seed, spacing, core, boxes)
        return json.dumps([pos[node] for node in order])

    found = json.loads(LAYOUTS.get_or_make(key, computed))
    return {node: (x, y) for node, (x, y) in zip(order, found, strict=True)}


def _positions(graph, order: list[str], seed: int, spacing: float, core: list[str],
               boxes: dict | None) -> dict[str, tuple[int, int]]:
    if core and len(core) < len(order):
        placed = _scaled(_raw_positions(graph, core, seed), core, spacing * 1.6) if len(core) > 1 else {core[0]: (0, 0)}
        if boxes:
            placed = remove_overlaps(placed, {n: boxes.get(n, (20, 20, 20)) for n in core}, priority=_ranked(graph, core))
        pos = _around_core(graph, order, placed, seed, spacing)
    else:
        pos = _scaled(_raw_positions(graph, order, seed), order, spacing)
        if boxes:
            pos = remove_overlaps(pos, {n: boxes.get(n, (20, 20, 20)) for n in order}, priority=_ranked(graph, order))
    return {node: (int(round(pos[node][0])), int(round(pos[node][1]))) for node in order}
