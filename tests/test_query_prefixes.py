"""Both embedded engines predeclare the same prefixes, and an unknown prefix gets one clear message."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import QueryError
from graph.sparql import ENGINES, QUERY_PREFIXES, check_prefixes, run_sparql

USUAL = ("rdf", "rdfs", "xsd", "owl", "skos", "prov", "org", "oa", "dcterms", "schema", "kg", "id", "doc")


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_the_usual_vocabularies_and_the_projects_own_are_predeclared():
    assert set(USUAL) <= set(QUERY_PREFIXES)
    assert QUERY_PREFIXES["rdf"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    assert QUERY_PREFIXES["owl"] == "http://www.w3.org/2002/07/owl#"
    assert QUERY_PREFIXES["kg"] == "https://example.org/faction-kg/ontology#"


@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_resolves_every_predeclared_prefix_to_its_namespace(out_dir, engine):
    names = " ".join(f"{prefix}:x" for prefix in QUERY_PREFIXES)
    result = run_sparql(f"SELECT ?iri WHERE {{ VALUES ?iri {{ {names} }} }}", out_dir, engine)
    assert {row[0][1] for row in result.rows} == {namespace + "x" for namespace in QUERY_PREFIXES.values()}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s foo:bar ?o }",
    "SELECT ?s WHERE { ?s ?p ?o FILTER (?o = foo:bar) }",
    'SELECT ?s WHERE { ?s ?p "x"^^foo:type }',
])
def test_an_unknown_prefix_is_named_with_the_predeclared_ones_on_both_engines(out_dir, engine, query):
    result = run("query", query, "--engine", engine, "--out", str(out_dir))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.output.count("\n") == 1
    assert result.output.startswith("error: unknown prefix foo: (line 1, column ")
    assert "predeclared are " + ", ".join(f"{p}:" for p in QUERY_PREFIXES) in result.output
    assert "PREFIX foo: <namespace IRI>" in result.output


@pytest.mark.parametrize("engine", ENGINES)
def test_a_declared_prefix_a_blank_node_and_colons_in_strings_iris_and_comments_are_fine(out_dir, engine):
    query = """PREFIX ex: <https://example.org/faction-kg/id/>
    # not:a prefix in a comment
    SELECT DISTINCT ?label WHERE { ex:al-nujaba skos:prefLabel ?label .
      FILTER (?label != "no:prefix" && ?label != 'x:y')
      OPTIONAL { _:b <http://www.w3.org/2000/01/rdf-schema#label> ?other } }"""
    check_prefixes(query)
    result = run_sparql(query, out_dir, engine)
    assert [row[0][1] for row in result.rows] == ["Al-Nujaba Movement"]


def test_the_unknown_prefix_message_gives_its_line_and_column():
    with pytest.raises(QueryError, match=r"unknown prefix nope: \(line 3, column 8\)"):
        check_prefixes("SELECT *\nWHERE {\n  ?s a nope:Thing }")
    with pytest.raises(QueryError, match=r"unknown prefix : \(line 1"):
        check_prefixes("SELECT * { ?s :p ?o }")


def test_query_help_lists_the_predeclared_prefixes():
    result = run("query", "--help")
    assert result.exit_code == 0
    listed = result.output.split("Predeclared prefixes", 1)[1]
    for prefix, namespace in QUERY_PREFIXES.items():
        assert f"{prefix}:" in listed and f"<{namespace}>" in listed
