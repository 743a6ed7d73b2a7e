"""Centrality: who is central in a view, and who lies between the others.

Every function returns ``{metric: {node: value}}`` where a value is a number
or ``None`` when the metric is undefined for that node (never NaN):

* betweenness is undefined on a view of fewer than three nodes (it cannot be
  normalized);
* closeness is undefined for a node that reaches no other node;
* PageRank is undefined only if it fails to converge.

Betweenness and closeness cost O(nodes x edges). Exact values come from
rustworkx, whose breadth-first searches run in Rust (networkx's, in Python,
took 52 s for the 2,500 actors of the 10,000-document benchmark, against 1.8 s);
they agree with networkx's to the last bits that rounding keeps. Betweenness
runs on one thread, since rustworkx's parallel sum changes its last bits from
run to run. Above the size set in
:class:`~graph.analysis.settings.AnalysisSettings` they are estimated from a
seeded sample of source nodes (pivots): betweenness with networkx's ``k``
sampling, closeness from breadth-first searches started at the pivots
(Eppstein and Wang). The result says whether it sampled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import networkx as nx

from .settings import AnalysisSettings

__all__ = ["Centrality", "centrality", "fact_degrees", "full_pagerank", "pagerank", "rounded"]

DIGITS = 6


def rounded(value: float | None) -> float | None:
    """A metric value rounded for output, with ``None`` kept and ``-0.0`` made ``0.0``.

    Examples
    --------
    >>> rounded(1 / 3), rounded(None), rounded(-0.0)
    (0.333333, None, 0.0)
    """
    return None if value is None else round(float(value), DIGITS) + 0.0


@dataclass
class Centrality:
    """Centrality values of one view, and whether the expensive ones were sampled."""

    values: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    sampled: bool = False
    samples: int | None = None


def _exact(graph: nx.Graph, nodes: list) -> tuple[dict, dict]:
    """Normalized betweenness and (Wasserman-Faust) closeness of every node, counting steps."""
    import rustworkx as rx

    index = {node: number for number, node in enumerate(nodes)}
    steps = rx.PyGraph(multigraph=False)
    steps.add_nodes_from(nodes)
    steps.add_edges_from_no_data([(index[u], index[v]) for u, v in graph.edges() if u != v])
    one_thread = len(nodes) + 1
    betweenness = rx.graph_betweenness_centrality(steps, normalized=True, parallel_threshold=one_thread)
    closeness = rx.graph_closeness_centrality(steps, wf_improved=True)
    return ({node: rounded(betweenness[index[node]]) for node in nodes},
            {node: (rounded(closeness[index[node]]) if graph.degree(node) > 0 else None) for node in nodes})


def _closeness_sampled(graph: nx.Graph, samples: int, seed: int) -> dict[str, float | None]:
    """Closeness estimated from BFS distances to a seeded sample of pivots (Eppstein-Wang)."""
    nodes = sorted(graph)
    n = len(nodes)
    pivots = random.Random(seed).sample(nodes, samples)
    component_of, sizes = {}, {}
    for index, component in enumerate(sorted((sorted(c) for c in nx.connected_components(graph)))):
        sizes[index] = len(component)
        component_of.update(dict.fromkeys(component, index))
    totals = dict.fromkeys(nodes, 0)
    pivots_in = dict.fromkeys(sizes, 0)
    for pivot in pivots:
        pivots_in[component_of[pivot]] += 1
        for node, distance in nx.single_source_shortest_path_length(graph, pivot).items():
            totals[node] += distance
    result = {}
    for node in nodes:
        size, hits = sizes[component_of[node]], pivots_in[component_of[node]]
        estimate = totals[node] * size / hits if hits else 0
        result[node] = rounded((size - 1) / (n - 1) * (size - 1) / estimate) if estimate > 0 else None
    return result


def centrality(graph: nx.Graph, settings: AnalysisSettings | None = None) -> Centrality:
    """Degree, strength, betweenness, closeness and PageRank of an undirected weighted view.

    ``degree`` counts distinct neighbours; ``strength`` sums the ``weight`` of
    the node's edges; ``pagerank`` uses the weights; betweenness and closeness
    count steps (weights ignored) and are normalized to 0..1.

    Examples
    --------
    A star: the hub lies on every path between two leaves.

    >>> star = nx.star_graph(3)  # hub 0, leaves 1, 2, 3
    >>> c = centrality(star).values
    >>> c["betweenness"][0], c["betweenness"][1], c["closeness"][0], c["closeness"][1]
    (1.0, 0.0, 1.0, 0.6)
    >>> centrality(nx.path_graph(2)).values["betweenness"]
    {0: None, 1: None}
    """
    settings = settings or AnalysisSettings()
    result = Centrality()
    nodes = sorted(graph)
    result.values["degree"] = {n: graph.degree(n) for n in nodes}
    result.values["strength"] = {n: rounded(graph.degree(n, weight="weight")) for n in nodes}
    samples = settings.samples(graph.number_of_nodes(), graph.number_of_edges())
    result.sampled, result.samples = samples is not None, samples
    if samples:
        values = nx.betweenness_centrality(graph, k=samples, seed=settings.seed)
        result.values["betweenness"] = {n: rounded(values[n]) for n in nodes}
        result.values["closeness"] = _closeness_sampled(graph, samples, settings.seed)
    else:
        result.values["betweenness"], result.values["closeness"] = _exact(graph, nodes)
    if len(nodes) < 3:
        result.values["betweenness"] = dict.fromkeys(nodes)
    if len(nodes) < 2:
        result.values["closeness"] = dict.fromkeys(nodes)
    values = pagerank(graph)
    result.values["pagerank"] = {n: rounded(values[n]) for n in nodes} if values is not None else dict.fromkeys(nodes)
    return result


PAGERANK_TOLERANCE = 1e-10


def pagerank(graph: nx.Graph | nx.DiGraph, weight: str = "weight") -> dict | None:
    """PageRank (damping 0.85) of a simple graph by rustworkx, or None if it does not converge.

    An undirected link counts both ways; a link's ``weight`` (default 1)
    scales it. The iteration runs until the values change by less than
    ``PAGERANK_TOLERANCE`` in all, so the six digits shown are the values'
    own (networkx stops at 1e-6, where the sixth digit is still moving), and
    it needs neither scipy nor Python loops.

    Examples
    --------
    >>> ranks = pagerank(nx.star_graph(2))
    >>> round(ranks[0], 6), round(ranks[1], 6), round(sum(ranks.values()), 6)
    (0.486486, 0.256757, 1.0)
    >>> pagerank(nx.Graph())
    {}
    """
    import rustworkx as rx

    nodes = list(graph)
    if not nodes:
        return {}
    index = {node: number for number, node in enumerate(nodes)}
    directed = rx.PyDiGraph(multigraph=False)
    directed.add_nodes_from(nodes)
    links = []
    for u, v, data in graph.edges(data=True):
        strength = float(data.get(weight, 1))
        links.append((index[u], index[v], strength))
        if not graph.is_directed() and u != v:
            links.append((index[v], index[u], strength))
    directed.add_edges_from(links)
    try:
        ranks = rx.pagerank(directed, weight_fn=float, tol=PAGERANK_TOLERANCE, max_iter=1000)
    except rx.FailedToConverge:
        return None
    return {node: ranks[index[node]] for node in nodes}


def fact_degrees(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Facts per node in the relation graph: all, incoming, outgoing, and distinct documents.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="fact/d1/1", document="document/d1")
    >>> _ = g.add_edge("a", "b", key="fact/d2/1", document="document/d2")
    >>> fact_degrees(g)["b"]
    {'degree': 2, 'in_degree': 2, 'out_degree': 0, 'documents': 2}
    """
    result = {}
    for node in sorted(graph):
        documents = {d["document"] for *_, d in graph.in_edges(node, data=True)}
        documents |= {d["document"] for *_, d in graph.out_edges(node, data=True)}
        result[node] = {"degree": graph.degree(node), "in_degree": graph.in_degree(node),
                        "out_degree": graph.out_degree(node), "documents": len(documents)}
    return result


def full_pagerank(graph: nx.MultiDiGraph) -> dict[str, float | None]:
    """PageRank on the directed relation graph, each pair weighted by its number of facts.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "c"), ("b", "c")])
    >>> r = full_pagerank(g)
    >>> r["c"] > r["a"] == r["b"]
    True
    """
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(graph))
    for u, v in sorted(graph.edges()):
        if simple.has_edge(u, v):
            simple.edges[u, v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    values = pagerank(simple)
    return dict.fromkeys(simple) if values is None else {n: rounded(values[n]) for n in simple}
