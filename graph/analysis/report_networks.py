"""Report sections on the networks: views, centrality, structure, people and organizations.

Each function returns a list of document blocks (see
:mod:`graph.analysis.document`). A metric value links to the row that names
the facts behind the node's place in that view.
"""

from __future__ import annotations

from .analysis import Analysis
from .document import Bullets, Figure, Heading, Link, Paragraph, Table, Traced, capped
from .metrics import METRICS, VIEW_TITLES, VIEWS
from .projections import relation_label

__all__ = ["views_section", "centrality_section", "structure_section", "people_section", "basis_anchor",
           "node_basis"]


def basis_anchor(view: str, node: str) -> str:
    return f"basis-{view}-{node}"


def node_basis(analysis: Analysis, view: str, node: str) -> Traced:
    """The facts and documents that place ``node`` in ``view``: its own links there."""
    if view == "relation":
        edges = list(analysis.relation.in_edges(node, keys=True, data=True))
        edges += list(analysis.relation.out_edges(node, keys=True, data=True))
        facts = sorted({k for _, _, k, _ in edges})
        documents = sorted({d["document"] for *_, d in edges})
        return Traced(len(facts), facts=tuple(facts), documents=tuple(documents))
    graph = analysis.person_org if view == "person_org" else analysis.views[view].graph
    if node not in graph:
        return Traced(0)
    facts = sorted({f for other in graph[node] for f in graph.edges[node, other].get("facts", [])})
    documents = sorted({d for other in graph[node] for d in graph.edges[node, other].get("documents", [])})
    records = sorted({r for other in graph[node] for r in graph.edges[node, other].get("records", [])})
    return Traced(len(graph[node]), facts=tuple(facts), documents=tuple(documents), records=tuple(records))


def views_section(analysis: Analysis) -> list:
    rows = []
    for name, description in VIEWS.items():
        if name == "relation":
            graph, structure, sampled = analysis.relation, None, "exact"
        elif name == "person_org":
            graph, structure, sampled = analysis.person_org, None, "exact"
        else:
            view = analysis.views[name]
            graph, structure = view.graph, view.structure
            sampled = (f"sampled ({view.centrality.samples} seeded pivots)" if view.centrality.sampled else "exact")
        rows.append([VIEW_TITLES[name], description, graph.number_of_nodes(), graph.number_of_edges(),
                     len(structure.components) if structure else "",
                     len(structure.communities) if structure else "",
                     structure.modularity if structure else "", sampled])
    return [Heading(2, "Graph views", "views"),
            Paragraph(["Every view is derived from the built RDF, through one typed multigraph; none is written by "
                       "hand. The raw graph mixes people, places, statements and documents, so centrality on it "
                       "mostly measures how much the sources say; the projections below ask narrower questions."]),
            Table(["view", "what it is", "nodes", "links", "components", "communities", "modularity",
                   "betweenness and closeness"], rows)]


def _ranked_table(analysis: Analysis, metric, view: str, nodes=None) -> Table:
    rows = []
    top = [(n, v) for n, v in analysis.top(metric.name, nodes=nodes) if v]
    for rank, (node, value) in enumerate(top, start=1):
        data = analysis.relation.nodes[node]
        rows.append([rank, analysis.label(node), data["kind"], Link(_fmt(value), basis_anchor(view, node))])
    return Table(["rank", "node", "kind", metric.label], rows)


def _fmt(value) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def centrality_section(analysis: Analysis, charts: dict[str, str]) -> list:
    from .report_brief import core_actors

    core = core_actors(analysis)
    blocks = [Heading(2, "Network measures in detail", "centrality"),
              Paragraph(["Each table lists the top ", str(analysis.settings.top_k), " of the actors this graph is "
                         "about (see Central actors) for one metric; zero values are left out. A value "
                         "links to the facts that give the node its place in that view; metrics such as "
                         "betweenness also depend on the rest of the view, which the same tables trace."]),
              Figure(charts["centrality"], "The most central of the actors the graph is about: PageRank and "
                                           "go-between share (betweenness) in the actor network, "
                                           "and PageRank in the group co-activity network.", "chart-centrality")]
    shown: dict[str, set[str]] = {}
    for view in VIEWS:
        metrics = [m for m in METRICS if m.view == view and m.ranked]
        if not metrics:
            continue
        blocks += [Heading(3, VIEW_TITLES[view], f"centrality-{view}"),
                   Paragraph([VIEWS[view][0].upper() + VIEWS[view][1:] + "."])]
        for metric in metrics:
            undefined = sum(1 for row in analysis.table.values() if row[metric.name] is None)
            members = sum(1 for row in analysis.table.values() if row[metric.name] is not None)
            note = f" Defined for {members} nodes; undefined for {undefined} (outside this view or not defined there)."
            sampled = analysis.views[view].centrality if view in analysis.views else None
            if sampled and sampled.sampled and metric.name.endswith(("betweenness", "closeness")):
                note += (f" This view is above the size threshold, so these values are estimated from "
                         f"{sampled.samples} seeded pivots, not computed exactly.")
            blocks += [Paragraph([f"{metric.label} ({metric.name}): ", metric.explanation, note]),
                       _ranked_table(analysis, metric, view, core)]
            shown.setdefault(view, set()).update(node for node, v in analysis.top(metric.name, nodes=core) if v)
    blocks.append(Heading(3, "The facts behind the ranked nodes", "basis"))
    for view, nodes in shown.items():
        rows, anchors = [], []
        for node in sorted(nodes, key=lambda n: (analysis.label(n).lower(), n)):
            basis = node_basis(analysis, view, node)
            rows.append([VIEW_TITLES[view], analysis.label(node), basis])
            anchors.append(basis_anchor(view, node))
        blocks.append(Table(["view", "node", "links in this view (facts, documents, records)"], rows, anchors))
    return blocks


def _members(analysis: Analysis, nodes, limit: int = 40) -> str:
    """Labels of ``nodes``, at most ``limit`` of them, and how many more."""
    nodes = list(nodes)
    names = "; ".join(analysis.label(n) for n in nodes[:limit])
    return names + (f"; and {len(nodes) - limit} more" if len(nodes) > limit else "")


def _edge_trace(graph, u: str, v: str) -> Traced:
    data = graph.edges[u, v]
    return Traced(", ".join(relation_label(r) for r in data.get("relations", [])), facts=tuple(data.get("facts", [])),
                  documents=tuple(data.get("documents", [])), records=tuple(data.get("records", [])))


def structure_section(analysis: Analysis, charts: dict[str, str]) -> list:
    blocks = [Heading(2, "Structure: pieces, core, brokers and clusters", "structure")]
    limit = analysis.settings.max_rows
    for name in ("actor", "coactivity"):
        view = analysis.views[name]
        graph, structure = view.graph, view.structure
        blocks.append(Heading(3, VIEW_TITLES[name], f"structure-{name}"))
        pieces = [c for c in structure.components if len(c) > 1]
        isolated = [c[0] for c in structure.components if len(c) == 1]
        blocks.append(Paragraph([f"Connected components: {len(structure.components)}, of which {len(pieces)} "
                                 f"with links and {len(isolated)} isolated nodes (no link in this view: "
                                 f"{_members(analysis, isolated) or 'none'})."]))
        if pieces:
            blocks += capped(["component", "size", "members"],
                             [[i, len(c), _members(analysis, c)] for i, c in enumerate(pieces)], limit)
        top_core = max(structure.core_number.values(), default=0)
        core = sorted(n for n, k in structure.core_number.items() if k == top_core)
        inside = sorted({f for u in core for v in core if u < v and graph.has_edge(u, v)
                         for f in graph.edges[u, v].get("facts", [])})
        blocks.append(Paragraph([f"Densest core (k = {top_core}): ",
                                 Traced(_members(analysis, core) or "none", facts=tuple(inside)), "."]))
        if structure.articulation_points:
            blocks.append(Paragraph(["Brokers (articulation points): removing one of these splits its piece of the "
                                     "network: ", _members(analysis, structure.articulation_points), "."]))
        else:
            blocks.append(Paragraph(["No articulation points: no single node holds a piece of this view together."]))
        if structure.bridges:
            blocks.append(Paragraph(["Bridges: links whose removal splits a piece of the network."]))
            blocks += capped(["from", "to", "what links them"],
                             [[analysis.label(u), analysis.label(v), _edge_trace(graph, u, v)]
                              for u, v in structure.bridges], limit)
        modularity = "undefined (no links)" if structure.modularity is None else _fmt(structure.modularity)
        blocks.append(Paragraph([f"Communities (Louvain, seed {analysis.settings.seed}): {len(structure.communities)}, "
                                 f"modularity {modularity}. A modularity near 0 means the clusters are hardly "
                                 "denser inside than between; above about 0.3 they are clearly separated."]))
        blocks += capped(["community", "size", "members"],
                         [[i, len(c), _members(analysis, c)] for i, c in enumerate(structure.communities)
                          if len(c) > 1], limit)
    blocks.append(Figure(charts["communities"], "Community structure: nodes coloured by community; thicker links "
                                                "carry more weight.", "chart-communities"))
    return blocks


def people_section(analysis: Analysis) -> list:
    graph = analysis.person_org
    rows = []
    for person in sorted((n for n, b in graph.nodes(data="bipartite") if b == 0),
                         key=lambda n: (analysis.label(n).lower(), n)):
        for org in sorted(graph[person]):
            data = graph.edges[person, org]
            rows.append([analysis.label(person), analysis.label(org),
                         Traced(", ".join(relation_label(r) for r in data["relations"]), facts=tuple(data["facts"]),
                                documents=tuple(data["documents"]), records=tuple(data["records"]))])
    without = [n for n, b in graph.nodes(data="bipartite") if b == 0 and graph.degree(n) == 0]
    return [Heading(2, "People and organizations", "people"),
            Paragraph(["The person-organization graph: each person and the organizations or states in which the "
                       "sources give them a post, or for which they made a statement."]),
            *capped(["person", "organization or state", "how (facts)"], rows, analysis.settings.max_rows),
            Bullets([f"People with no post and no statement for an organization: "
                     f"{_members(analysis, sorted(without)) or 'none'}."])]
