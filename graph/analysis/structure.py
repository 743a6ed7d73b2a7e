"""Structure: connected pieces, the dense core, brokers and clusters of a view.

* components: the pieces of the view with no link between them;
* k-core number: the largest k such that the node belongs to a part of the
  view where every node has at least k neighbours inside that part;
* articulation points and bridges: nodes and links whose removal would cut a
  piece of the view in two (the brokers no one else replaces);
* communities: Louvain modularity clusters, seeded so every run gives the
  same answer; modularity is undefined for a view without links;
* ego networks: an actor and its direct neighbours.

Components and communities are numbered from 0, largest first (ties broken
by their first node key), so the numbers are stable between runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .centrality import rounded
from .settings import AnalysisSettings

__all__ = ["Structure", "structure", "ego_network", "numbered"]


def numbered(groups) -> list[list[str]]:
    """Groups of nodes as sorted lists, largest first, ties by their first node.

    Examples
    --------
    >>> numbered([{"c"}, {"b", "a"}, {"d"}])
    [['a', 'b'], ['c'], ['d']]
    """
    return sorted((sorted(group) for group in groups), key=lambda group: (-len(group), group[0]))


@dataclass
class Structure:
    """The structure of one view."""

    components: list[list[str]] = field(default_factory=list)
    core_number: dict[str, int] = field(default_factory=dict)
    articulation_points: list[str] = field(default_factory=list)
    bridges: list[tuple[str, str]] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)
    modularity: float | None = None

    def index_of(self, groups: list[list[str]]) -> dict[str, int]:
        return {node: index for index, group in enumerate(groups) for node in group}

    def node_values(self) -> dict[str, dict[str, int]]:
        """Per node: ``component``, ``community``, ``core`` and ``articulation_point`` (1 or 0)."""
        component, community = self.index_of(self.components), self.index_of(self.communities)
        points = set(self.articulation_points)
        return {node: {"component": component[node], "community": community[node], "core": self.core_number[node],
                       "articulation_point": int(node in points)} for node in sorted(component)}


def structure(graph: nx.Graph, settings: AnalysisSettings | None = None) -> Structure:
    """Components, k-cores, articulation points, bridges and seeded Louvain communities.

    Examples
    --------
    Two triangles joined through node 2 - 3:

    >>> g = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)])
    >>> s = structure(g)
    >>> s.articulation_points, s.bridges, s.communities
    ([2, 3], [(2, 3)], [[0, 1, 2], [3, 4, 5]])
    >>> s.core_number[0], s.modularity
    (2, 0.357143)
    >>> structure(nx.empty_graph(2)).modularity is None
    True
    """
    settings = settings or AnalysisSettings()
    result = Structure()
    result.components = numbered(nx.connected_components(graph))
    result.core_number = dict(sorted(nx.core_number(graph).items()))
    result.articulation_points = sorted(nx.articulation_points(graph))
    result.bridges = sorted(tuple(sorted(edge)) for edge in nx.bridges(graph))
    if graph.number_of_edges() == 0:
        result.communities = numbered({n} for n in graph)
        return result
    communities = nx.community.louvain_communities(graph, weight="weight", seed=settings.seed)
    result.communities = numbered(communities)
    result.modularity = rounded(nx.community.modularity(graph, result.communities, weight="weight"))
    return result


def ego_network(graph: nx.Graph, node: str) -> list[dict]:
    """The direct neighbours of ``node``, with what links them, sorted by neighbour.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", relations=["memberOf"], facts=["fact/d/1"], documents=["document/d"], weight=1)
    >>> ego_network(g, "a")
    [{'neighbour': 'b', 'relations': ['memberOf'], 'facts': ['fact/d/1'], 'documents': ['document/d'], 'weight': 1}]
    >>> ego_network(g, "zz")
    []
    """
    if node not in graph:
        return []
    return [{"neighbour": other, "relations": list(graph.edges[node, other].get("relations", [])),
             "facts": list(graph.edges[node, other].get("facts", [])),
             "documents": list(graph.edges[node, other].get("documents", [])),
             "weight": graph.edges[node, other].get("weight", 1)} for other in sorted(graph[node])]
