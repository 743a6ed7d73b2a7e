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
"""

from __future__ import annotations

import math
from collections import deque

import networkx as nx

__all__ = ["SEED", "SPACING", "KAMADA_KAWAI_MAX", "CORE", "layout_positions"]

SEED = 20240108
SPACING = 80.0  # canvas units per sqrt(node): the same density at every size
KAMADA_KAWAI_MAX = 250
CORE = 300
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
    children: dict[str, int] = {}
    queue = deque(core)
    while queue:
        parent = queue.popleft()
        for child in sorted(skeleton[parent]):
            if child in pos:
                continue
            index = children.get(parent, 0)
            children[parent] = index + 1
            radius, angle = step * math.sqrt(index + 1) * 1.4, _GOLDEN_ANGLE * index
            pos[child] = (pos[parent][0] + radius * math.cos(angle), pos[parent][1] + radius * math.sin(angle))
            queue.append(child)
    return pos


def layout_positions(graph: nx.MultiDiGraph, nodes: list[str] | None = None, seed: int = SEED,
                     spacing: float = SPACING) -> dict[str, tuple[int, int]]:
    """Integer canvas positions for ``nodes`` (default: all), deterministic.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The graph (its edges decide who sits near whom).
    nodes : list of str, optional
        The nodes to place; edges to other nodes are ignored.
    seed : int
        Seed of the spring layout's random start (large graphs).
    spacing : float
        Scale: the layout spans about ``2 * spacing * sqrt(len(nodes))`` units.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "b"), ("x", "y")])
    >>> layout_positions(g) == layout_positions(g)
    True
    >>> sorted(layout_positions(g))
    ['a', 'b', 'c', 'x', 'y']
    >>> layout_positions(nx.MultiDiGraph()), layout_positions(nx.MultiDiGraph([("a", "a")]))
    ({}, {'a': (0, 0)})
    """
    order = sorted(graph) if nodes is None else sorted(nodes)
    if len(order) < 2:
        return {node: (0, 0) for node in order}
    skeleton = _skeleton(graph, order)
    if len(order) <= KAMADA_KAWAI_MAX:
        raw = nx.kamada_kawai_layout(skeleton, pos=nx.circular_layout(skeleton))
    else:
        raw = _core_and_spirals(skeleton, seed)
    raw.pop(_HUB, None)
    xs, ys = [raw[n][0] for n in order], [raw[n][1] for n in order]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    scale = spacing * math.sqrt(len(order)) / half
    return {node: (int(round((raw[node][0] - cx) * scale)), int(round((raw[node][1] - cy) * scale)))
            for node in order}
