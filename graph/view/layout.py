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
label boxes are pushed apart until none overlaps (:func:`remove_overlaps`),
and the other nodes are placed around it by a seeded spring layout with the
core held fixed, so growing a node or showing everything never moves the
core.
"""

from __future__ import annotations

import math
from collections import deque

import networkx as nx

__all__ = ["SEED", "SPACING", "KAMADA_KAWAI_MAX", "CORE", "SPRING_MAX", "layout_positions", "remove_overlaps"]

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


def _scaled(raw: dict, order: list[str], spacing: float) -> dict[str, tuple[float, float]]:
    xs, ys = [raw[n][0] for n in order], [raw[n][1] for n in order]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    scale = spacing * math.sqrt(len(order)) / half
    return {node: ((raw[node][0] - cx) * scale, (raw[node][1] - cy) * scale) for node in order}


VECTOR_FROM = 250  # nodes: below this the plain double loop is faster than numpy's per-call cost


def remove_overlaps(pos: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float, float]],
                    gap: float = 8.0, rounds: int = 200, vector_from: int = VECTOR_FROM) -> dict[str, tuple[float, float]]:
    """Push apart nodes whose boxes overlap, until none does (or ``rounds`` passes).

    Each box is ``(half width, above, below)`` around its node's position
    (a node with its label underneath reaches further below than above).
    Each pass moves every overlapping pair apart along the axis where they
    overlap least, half each way, in sorted order (deterministic).

    Examples
    --------
    >>> moved = remove_overlaps({"a": (0, 0), "b": (5, 0)}, {"a": (10, 10, 10), "b": (10, 10, 10)}, gap=0)
    >>> abs(moved["a"][0] - moved["b"][0]) >= 20 or abs(moved["a"][1] - moved["b"][1]) >= 20
    True
    >>> remove_overlaps({"a": (0, 0), "b": (100, 0)}, {"a": (10, 10, 10), "b": (10, 10, 10)})
    {'a': (0, 0), 'b': (100, 0)}
    """
    if len(pos) < vector_from:
        return _remove_overlaps_pairwise(pos, boxes, gap, rounds)
    import numpy as np  # here: only the page's layout needs it

    order = sorted(pos)
    xs = np.array([float(pos[n][0]) for n in order])
    ys = np.array([float(pos[n][1]) for n in order])
    ws, above, below = (np.array([float(boxes[n][k]) for n in order]) for k in range(3))
    for _ in range(rounds):
        moved = False
        for i, u in enumerate(order):
            # The pairs (u, v) for the v after u are visited in order, as a plain double loop would; only
            # overlapping pairs move anything, so each is found by a vectorised test of all the later v
            # against u's current position, with exactly the arithmetic of the pairwise test.
            j = i + 1
            while j < len(order):
                ux, uy, uw, ua, ub = xs[i], ys[i], ws[i], above[i], below[i]
                vx, vy = xs[j:], ys[j:]
                dx = uw + ws[j:] + gap - np.abs(ux - vx)
                dy = np.where(vy >= uy, ub + above[j:] + gap - (vy - uy), below[j:] + ua + gap - (uy - vy))
                hits = np.flatnonzero((dx > 0) & (dy > 0))
                if not len(hits):
                    break
                k = j + int(hits[0])
                v, vx, vy, dx, dy = order[k], xs[k], ys[k], float(dx[hits[0]]), float(dy[hits[0]])
                ux, uy = float(ux), float(uy)
                moved = True
                if dx < dy:
                    step = dx / 2 * (1 if ux >= vx else -1) if ux != vx else dx / 2 * (1 if u < v else -1)
                    xs[i], xs[k] = ux + step, vx - step
                else:
                    step = dy / 2 * (1 if uy >= vy else -1) if uy != vy else dy / 2 * (1 if u < v else -1)
                    ys[i], ys[k] = uy + step, vy - step
                j = k + 1
        if not moved:
            break
    return {node: _plain(pos[node], xs[i], ys[i]) for i, node in enumerate(order)}


def _remove_overlaps_pairwise(pos, boxes, gap: float, rounds: int) -> dict[str, tuple[float, float]]:
    """:func:`remove_overlaps` as a plain double loop over the sorted pairs (the same result)."""
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


def _plain(original: tuple, x: float, y: float) -> tuple:
    """The position as Python numbers: unchanged ones as they came (an int stays an int)."""
    x, y = float(x), float(y)
    return tuple(original) if (x, y) == (float(original[0]), float(original[1])) else (x, y)


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
    if core and len(core) < len(order):
        placed = _scaled(_raw_positions(graph, core, seed), core, spacing * 1.6) if len(core) > 1 else {core[0]: (0, 0)}
        if boxes:
            placed = remove_overlaps(placed, {n: boxes.get(n, (20, 20, 20)) for n in core})
        pos = _around_core(graph, order, placed, seed, spacing)
    else:
        pos = _scaled(_raw_positions(graph, order, seed), order, spacing)
        if boxes:
            pos = remove_overlaps(pos, {n: boxes.get(n, (20, 20, 20)) for n in order})
    return {node: (int(round(pos[node][0])), int(round(pos[node][1]))) for node in order}
