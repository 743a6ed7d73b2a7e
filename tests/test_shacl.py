"""SHACL: the real graph conforms; graphs that break the rules do not."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from graph.validate import validate_graph

KG = Namespace("https://example.org/faction-kg/ontology#")
ID = Namespace("https://example.org/faction-kg/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")


@pytest.fixture(scope="module")
def real_graph(out_dir) -> Graph:
    return Graph().parse(out_dir / "kg.nt", format="nt")


def test_the_real_graph_conforms(real_graph):
    result = validate_graph(real_graph)
    assert result.conforms, result.text


def _first_fact(graph: Graph, predicate) -> URIRef:
    return sorted(graph.subjects(RDF.predicate, predicate))[0]


def drop_evidence(graph):
    graph.remove((_first_fact(graph, KG.spokespersonOf), KG.evidence, None))


def drop_speaker(graph):
    statement = ID["mousawi-al-alam-2024-01-08"]
    graph.remove((statement, KG.speaker, None))


def drop_statement_date(graph):
    graph.remove((ID["mousawi-al-alam-2024-01-08"], KG.date, None))


def unattributed_claim(graph):
    graph.remove((_first_fact(graph, KG.claimedBy), KG.attributedTo, None))


def second_source(graph):
    graph.add((_first_fact(graph, KG.spokespersonOf), PROV.wasDerivedFrom, URIRef("https://example.org/faction-kg/document/jttm-2022-08-08")))


def bad_status(graph):
    fact = _first_fact(graph, KG.spokespersonOf)
    graph.remove((fact, KG.status, None))
    graph.add((fact, KG.status, Literal("reported")))


def claimed_by_reported(graph):
    fact = _first_fact(graph, KG.claimedBy)
    graph.remove((fact, KG.status, None))
    graph.add((fact, KG.status, KG.Reported))


def bounds_out_of_order(graph):
    date = URIRef("https://example.org/faction-kg/date/2023-12")
    graph.remove((date, KG.earliest, None))
    graph.add((date, KG.earliest, Literal("2024-02-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (drop_evidence, "at least one verbatim evidence quote"),
        (drop_speaker, "exactly one speaker"),
        (drop_statement_date, "must have a date, or kg:UnknownDate"),
        (unattributed_claim, "whose claim it is"),
        (second_source, "exactly one source document"),
        (bad_status, "Value does not have class kg:AssertionStatus"),
        (claimed_by_reported, "status claimed"),
        (bounds_out_of_order, "LessThanOrEquals"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_a_faulty_graph_does_not_conform(real_graph, break_it, message):
    graph = Graph()
    graph += real_graph
    break_it(graph)
    result = validate_graph(graph)
    assert not result.conforms
    assert message in result.text
