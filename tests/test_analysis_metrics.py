"""Analysis on a tiny hand-made graph: every value here is computed by hand (see tests/analysis_fixtures.py).

Actor network: the path  Person One - Group One - Umbrella - Group Two - Person Two,  and Group Three alone.
Co-activity network: the triangle  Group One - Group Two - Umbrella  (weights 2, 3, 2), and Group Three alone.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from rdflib import Graph

from graph.analysis import AnalysisSettings, analyse
from graph.analysis.centrality import centrality, rounded
from graph.analysis.outputs import analysis_files, metrics_csv
from graph.analysis.projections import ROLE_RELATIONS
from graph.network import typed_multigraph
from graph.paths import project_root
from graph.schema import KG

from .analysis_fixtures import tiny_rdf


@pytest.fixture(scope="module")
def tiny():
    return analyse(typed_multigraph(tiny_rdf()))


@pytest.mark.parametrize(
    ("node", "metric", "expected"),
    [
        # Facts in the full graph: Group One is object of 4 facts (post, claim, on behalf, speaker) and subject of 1.
        ("id/g1", "degree", 5), ("id/g1", "in_degree", 4), ("id/g1", "out_degree", 1), ("id/g1", "documents", 2),
        ("id/g3", "degree", 0), ("id/g3", "documents", 0),
        # Actor network, a path of five plus one isolated node: betweenness = pairs whose path runs through the
        # node, divided by the (6-1)(6-2)/2 = 10 pairs of other nodes.
        ("id/u", "actor_betweenness", 0.4), ("id/g1", "actor_betweenness", 0.3), ("id/p1", "actor_betweenness", 0.0),
        # Closeness with 4 of 5 other nodes reachable: (4/5) * (4 / sum of distances).
        ("id/u", "actor_closeness", 0.533333), ("id/g1", "actor_closeness", 0.457143),
        ("id/p1", "actor_closeness", 0.32),
        ("id/g3", "actor_closeness", None),  # reaches nobody: undefined
        ("id/u", "actor_degree", 2), ("id/g3", "actor_degree", 0),
        ("id/p1", "actor_strength", 3.0),  # spokespersonOf + the statement's speaker and onBehalfOf facts
        ("id/g1", "actor_strength", 4.0),
        ("id/g1", "actor_core", 1), ("id/g3", "actor_core", 0),
        ("id/g1", "actor_articulation_point", 1), ("id/p1", "actor_articulation_point", 0),
        ("id/g3", "actor_component", 1), ("id/p2", "actor_component", 0),
        # Co-activity triangle: weight = shared bodies + shared documents.
        ("id/g1", "coactivity_strength", 5.0), ("id/g2", "coactivity_strength", 4.0),
        ("id/g1", "coactivity_betweenness", 0.0), ("id/g1", "coactivity_closeness", 0.666667),
        ("id/g1", "coactivity_core", 2), ("id/g3", "coactivity_closeness", None),
        ("id/p1", "coactivity_degree", None),  # a person is not in the group network
        ("id/p1", "person_org_degree", 1), ("id/u", "person_org_degree", 0),
    ],
)
def test_hand_computed_metrics(tiny, node, metric, expected):
    assert tiny.table[node][metric] == expected


def test_structure_of_the_actor_network(tiny):
    structure = tiny.views["actor"].structure
    assert structure.components == [["id/g1", "id/g2", "id/p1", "id/p2", "id/u"], ["id/g3"]]
    assert structure.articulation_points == ["id/g1", "id/g2", "id/u"]
    assert structure.bridges == [("id/g1", "id/p1"), ("id/g1", "id/u"), ("id/g2", "id/p2"), ("id/g2", "id/u")]
    # The best split cuts the light Group One - Umbrella link: Q = (2/6 - (5/12)^2) + (3/6 - (7/12)^2).
    assert structure.communities == [["id/g2", "id/p2", "id/u"], ["id/g1", "id/p1"], ["id/g3"]]
    assert structure.modularity == 0.319444


@pytest.mark.parametrize("view", ["actor", "coactivity"])
def test_pagerank_is_a_distribution(tiny, view):
    values = tiny.views[view].centrality.values["pagerank"].values()
    assert sum(values) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # Person One's threat (2024-01-01): Group One, for which he speaks, claimed E 19 days later.
        # Person Two's (February 2024): the umbrella his group claims to belong to claimed E2 on 2024-03-15,
        # 15 days after the month's last day; E3 by his own group began before the threat and does not count.
        (30, {"id/s": "followed", "id/t2": "followed", "id/t3": "not followed (threat date unknown)"}),
        (15, {"id/s": "not followed", "id/t2": "followed", "id/t3": "not followed (threat date unknown)"}),
        (10, {"id/s": "not followed", "id/t2": "not followed", "id/t3": "not followed (threat date unknown)"}),
    ],
)
def test_threat_follow_through_window(window, expected):
    analysis = analyse(typed_multigraph(tiny_rdf()), AnalysisSettings(window_days=window))
    assert {t.threat: t.outcome for t in analysis.threats} == expected


def test_threat_details_and_what_the_source_says(tiny):
    threats = {t.threat: t for t in tiny.threats}
    assert sorted(threats["id/s"].actors) == ["id/g1", "id/p1", "id/u"]
    assert [a["attack"] for a in threats["id/s"].followed_by] == ["id/e"]
    assert threats["id/s"].source_says is False and threats["id/s"].source_outcome == "not carried out"
    assert threats["id/s"].source_facts == ["fact/d1/0001"]
    assert threats["id/t2"].source_outcome == "not stated"
    short = {t.threat: t for t in analyse(typed_multigraph(tiny_rdf()), AnalysisSettings(window_days=10)).threats}
    assert short["id/s"].next_attack["attack"] == "id/e"


def test_claim_corroboration(tiny):
    attacks = {a.attack: a for a in tiny.claimed_attacks}
    # E: claimed in Document One, and by Group One's statement via Channel X in Document Two.
    assert attacks["id/e"].documents == ["document/d1", "document/d2"] and attacks["id/e"].channels == ["id/x"]
    assert not attacks["id/e"].single_channel
    assert attacks["id/e2"].single_channel and attacks["id/e2"].documents == ["document/d1"]


def test_activity_keeps_date_precision(tiny):
    periods = {(r.actor, r.kind, r.period): r.count for r in tiny.activity_rows}
    assert periods[("id/g2", "claimed attack", "2023-11..2024-01")] == 1  # an interval: never pinned to a month
    assert periods[("id/p2", "threat", "2024-02")] == 1  # month precision
    assert periods[("id/p2", "threat", "unknown")] == 1
    assert periods[("id/g1", "claimed attack", "2024-01")] == periods[("id/g1", "statement", "2024-01")] == 1


def test_data_quality_and_summary(tiny):
    per_document = tiny.quality.facts_per_document
    assert (per_document["document/d1"]["total"], per_document["document/d2"]["total"]) == (7, 8)
    assert tiny.quality.entities_without_facts == ["id/g3"]
    assert tiny.quality.unsourced_facts == []
    assert tiny.summary.earliest == ("2023-11-15", "id/e3") and tiny.summary.latest == ("2024-03-15", "id/e2")
    assert tiny.summary.undated == ["id/t3"]


def test_undefined_is_null_in_json_and_empty_in_csv(tiny, tmp_path):
    analysis_files(tiny, tmp_path)
    nodes = json.loads((tmp_path / "metrics.json").read_text())["nodes"]
    assert nodes["id/g3"]["actor_closeness"] is None
    row = next(line for line in metrics_csv(tiny).splitlines() if line.startswith("id/g3,"))
    header = metrics_csv(tiny).splitlines()[0].split(",")
    assert row.split(",")[header.index("actor_closeness")] == ""
    assert "nan" not in (tmp_path / "metrics.csv").read_text().lower()


def test_sampled_metrics_above_the_threshold_are_seeded_and_reported(tmp_path):
    settings = AnalysisSettings(sample_above_nodes=3, sample_size=3)
    first, second = (analyse(typed_multigraph(tiny_rdf()), settings) for _ in range(2))
    view = first.views["actor"]
    assert view.centrality.sampled and view.centrality.samples == 3
    assert first.table == second.table
    assert first.table["id/u"]["actor_betweenness"] is not None
    analysis_files(first, tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert "estimated from 3 seeded pivots in: actor, coactivity" in report
    assert "these values are estimated from 3 seeded pivots, not computed exactly" in report
    assert json.loads((tmp_path / "metrics.json").read_text())["views"]["actor"]["sampled"] is True


def test_an_empty_graph_gives_a_report_not_a_crash(tmp_path):
    analysis_files(analyse(typed_multigraph(Graph())), tmp_path)
    assert json.loads((tmp_path / "metrics.json").read_text())["nodes"] == {}
    assert "undefined" in (tmp_path / "report.md").read_text()
    assert (tmp_path / "report.html").read_text().count("<svg") == 4  # every chart, saying there is nothing to draw


def test_role_relations_are_the_ontologys_roles():
    ontology = Graph().parse(project_root() / "ontology" / "kg.ttl")
    roles = sorted(str(s).rsplit("#", 1)[-1] for s in ontology.subjects(KG.impliesRole, None))
    assert roles == sorted(ROLE_RELATIONS)


def test_the_typed_multigraph_keeps_subtypes_verdicts_and_value_facts():
    typed = typed_multigraph(tiny_rdf())
    assert typed.nodes["id/s"]["types"] == ["Statement", "Threat"] and typed.nodes["id/s"]["kind"] == "statement"
    assert typed.nodes["id/s"]["followed_through"] is False and typed.nodes["id/t2"]["followed_through"] is None
    assert typed.nodes["document/d1"]["date"]["earliest"] == "2024-01-25"
    verdict = typed.graph["value_facts"]["fact/d1/0001"]
    assert (verdict["subject"], verdict["relation"], verdict["value"]) == ("id/s", "followedThrough", "false")


def _with_isolated_and_loop(graph):
    graph.add_node("alone")
    graph.add_edge(0, 0)
    return graph


@pytest.mark.parametrize("name, graph", [
    ("path", nx.path_graph(6)),
    ("star", nx.star_graph(5)),
    ("two components, an isolated node and a self-loop", _with_isolated_and_loop(
        nx.disjoint_union(nx.cycle_graph(5), nx.complete_graph(4)))),
    ("karate club", nx.karate_club_graph()),
    ("random, 300 nodes", nx.gnm_random_graph(300, 900, seed=7)),
])
def test_exact_betweenness_and_closeness_are_networkxs(name, graph):
    graph = nx.relabel_nodes(graph, str)
    values = centrality(graph).values
    assert not centrality(graph).sampled
    betweenness, closeness = nx.betweenness_centrality(graph), nx.closeness_centrality(graph)
    assert values["betweenness"] == {n: rounded(betweenness[n]) for n in graph}, name
    assert values["closeness"] == {n: rounded(closeness[n]) if graph.degree(n) else None for n in graph}, name


def test_betweenness_is_the_same_from_run_to_run():
    graph = nx.relabel_nodes(nx.gnm_random_graph(1500, 6000, seed=3), str)
    assert centrality(graph).values == centrality(graph).values


def _weighted_with_dangling():
    graph = nx.gnm_random_graph(120, 300, seed=5, directed=True)
    graph.add_nodes_from(range(120, 130))  # no links out: their rank is spread over every node
    for number, (u, v) in enumerate(graph.edges()):
        graph.edges[u, v]["weight"] = 1 + number % 4
    return graph


@pytest.mark.parametrize("name, graph", [
    ("undirected, with a self-loop", nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 3)])),
    ("karate club", nx.karate_club_graph()),
    ("directed, weighted, with dangling nodes", _weighted_with_dangling()),
])
def test_pagerank_is_networkxs_iterated_to_convergence(name, graph):
    from graph.analysis.centrality import pagerank

    ours, reference = pagerank(graph), nx.pagerank(graph, weight="weight", tol=1e-13, max_iter=10_000)
    assert ours.keys() == reference.keys()
    assert max(abs(ours[n] - reference[n]) for n in graph) < 1e-8, name
