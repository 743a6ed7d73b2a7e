"""One analysis run: every view, metric and finding, computed from the typed multigraph.

:func:`analyse` does no input or output; :mod:`graph.analysis.outputs`
writes what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .activity import ActivityItem, ActivityRow, activity_items, activity_table
from .centrality import Centrality, centrality, fact_degrees, full_pagerank
from .corroboration import ClaimedAttack, claimed_attacks
from .metrics import metric_table
from .projections import ACTOR_KINDS, actor_network, coactivity_network, person_org_graph, relation_graph
from .quality import Quality, Summary, all_facts, quality, summary
from .settings import AnalysisSettings
from .structure import Structure, structure
from .threats import ThreatOutcome, threat_outcomes

__all__ = ["Analysis", "View", "analyse"]


@dataclass
class View:
    """An analytic view with its centrality and structure."""

    name: str
    graph: nx.Graph
    centrality: Centrality
    structure: Structure


@dataclass
class Analysis:
    """Everything the report, the metric files and the exports show."""

    settings: AnalysisSettings
    relation: nx.MultiDiGraph
    views: dict[str, View]
    person_org: nx.Graph
    table: dict[str, dict]
    summary: Summary
    quality: Quality
    activity: list[ActivityItem]
    activity_rows: list[ActivityRow]
    threats: list[ThreatOutcome]
    claimed_attacks: list[ClaimedAttack]
    main_actors: list[str] = field(default_factory=list)
    #: Every curated fact, keyed by fact (:func:`~graph.analysis.quality.all_facts`); made once, read by the report.
    facts: dict[str, dict] = field(default_factory=dict)

    def label(self, node: str) -> str:
        """A node's label, or the key itself for a node the graph does not have."""
        return self.relation.nodes[node]["label"] if node in self.relation else node

    def top(self, metric: str, k: int | None = None, nodes=None) -> list[tuple[str, float]]:
        """The ``k`` nodes with the highest defined value of ``metric``, ties broken by key."""
        rows = [(n, r[metric]) for n, r in self.table.items()
                if r[metric] is not None and (nodes is None or n in nodes)]
        return sorted(rows, key=lambda item: (-item[1], item[0]))[: k or self.settings.top_k]


def _view(name: str, graph: nx.Graph, settings: AnalysisSettings) -> View:
    return View(name, graph, centrality(graph, settings), structure(graph, settings))


def analyse(typed: nx.MultiDiGraph, settings: AnalysisSettings | None = None) -> Analysis:
    """Compute every view, metric and finding of the report from a typed multigraph.

    Examples
    --------
    >>> analysis = analyse(nx.MultiDiGraph(value_facts={}))
    >>> analysis.table, analysis.threats, analysis.views["actor"].structure.modularity
    ({}, [], None)
    """
    settings = settings or AnalysisSettings()
    relation = relation_graph(typed)
    views = {"actor": _view("actor", actor_network(typed), settings),
             "coactivity": _view("coactivity", coactivity_network(typed), settings)}
    person_org = person_org_graph(typed)
    values: dict[str, dict] = {}
    for node, degrees in fact_degrees(relation).items():
        for metric, value in degrees.items():
            values.setdefault(metric, {})[node] = value
    values["pagerank"] = full_pagerank(relation)
    for name, view in views.items():
        for metric, by_node in view.centrality.values.items():
            values[f"{name}_{metric}"] = by_node
        for node, by_metric in view.structure.node_values().items():
            for metric, value in by_metric.items():
                values.setdefault(f"{name}_{metric}", {})[node] = value
    values["person_org_degree"] = {n: person_org.degree(n) for n in sorted(person_org)}
    table = metric_table(dict(relation.nodes(data=True)), values)
    items = activity_items(relation)
    actors = [n for n, d in relation.nodes(data=True) if d["kind"] in ACTOR_KINDS]
    main = sorted(actors, key=lambda n: (-table[n]["documents"], -table[n]["degree"], n))[: settings.main_actors]
    facts = all_facts(relation)
    return Analysis(settings=settings, relation=relation, views=views, person_org=person_org, table=table,
                    summary=summary(relation, facts), quality=quality(relation, facts), activity=items,
                    activity_rows=activity_table(items), threats=threat_outcomes(relation, settings.window_days),
                    claimed_attacks=claimed_attacks(relation), main_actors=main, facts=facts)
