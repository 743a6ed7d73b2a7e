"""The build in the stores users already run: Virtuoso and Jena TDB2/ARQ, started here on 127.0.0.1.

Every named query must give the same rows there as ``kg query`` gives here
(compared as multisets), and Virtuoso's own bulk loader must read the Turtle
as it reads the N-Triples.
"""

from __future__ import annotations

import pytest

from graph.sparql import load_library, run_sparql
from tests.stores import jena_or_skip, result_rows, start_virtuoso, stop_virtuoso

BASE = "https://example.org/faction-kg/"
MERGED = BASE + "graph/all"  # where kg publish puts the merge (kg.nt)
QUERIES = sorted(load_library())


def expected_rows(out_dir, name: str):
    import json

    from graph.sparql import format_result

    result = run_sparql(load_library()[name].text, out_dir)
    return result_rows(json.loads(format_result(result, "json")))


def publish(out_dir, endpoint: str, *options: str, env: dict | None = None) -> None:
    from click.testing import CliRunner

    from graph.cli import main

    result = CliRunner().invoke(main, ["publish", "--out", str(out_dir), "--endpoint", endpoint, *options], env=env)
    assert result.exit_code == 0, result.output
    assert all(line.startswith("ok ") for line in result.output.splitlines()), result.output


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, out_dir):
    """Virtuoso holding the build as kg publish writes it, logged in as dba (Digest authentication)."""
    from tests.stores import DBA_PASSWORD

    store = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        publish(out_dir, f"http://127.0.0.1:{store.http_port}/sparql-graph-crud-auth", "--user", "dba",
                env={"KG_PUBLISH_PASSWORD": DBA_PASSWORD})
        store.bulk_load(out_dir / "kg.ttl", BASE + "graph/turtle-check")  # Virtuoso's own loader, on the Turtle
        yield store
    finally:
        stop_virtuoso(store)


@pytest.fixture(scope="module")
def jena(tmp_path_factory, out_dir):
    """Jena TDB2 holding exactly the dataset kg publish writes to a Graph Store (as Fuseki would keep it)."""
    import urllib.request

    from graph.serve import free_port, start_server

    folder = tmp_path_factory.mktemp("jena")
    tools = jena_or_skip(folder)
    store = start_server(out_dir, port=free_port(), read_only=False, load=False)
    try:
        publish(out_dir, f"{store.url}/store", "--default-graph")
        request = urllib.request.Request(f"{store.url}/store", headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            (folder / "published.nq").write_bytes(answer.read())
    finally:
        store.stop()
    location = folder / "tdb2"
    tools.load(location, folder / "published.nq")
    return tools, location


def test_virtuoso_bulk_loader_reads_the_turtle_as_the_ntriples(virtuoso):
    """Virtuoso's loader keeps the backslash of ``\\/`` in prefixed names; the Turtle must need none."""
    text = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } "
            "FILTER NOT EXISTS { GRAPH <%s> { ?s ?p ?o } } }")
    for first, second in ((BASE + "graph/turtle-check", MERGED), (MERGED, BASE + "graph/turtle-check")):
        answer = virtuoso.query(text % (first, second))
        assert answer["results"]["bindings"][0]["n"]["value"] == "0", f"triples in {first} but not in {second}"


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_gives_the_same_rows_on_virtuoso(virtuoso, out_dir, name):
    answer = virtuoso.query(load_library()[name].text, default_graph=MERGED)
    assert result_rows(answer) == expected_rows(out_dir, name)


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_gives_the_same_rows_on_jena(jena, out_dir, name):
    tools, location = jena
    assert result_rows(tools.query(location, load_library()[name].text)) == expected_rows(out_dir, name)


def _conforms(ntriples: str) -> None:
    from rdflib import Graph

    from graph.validate import validate_graph

    result = validate_graph(Graph().parse(data=ntriples, format="nt"))
    assert result.conforms, result.text[:3000]


READ_BACK = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def test_the_graph_read_back_from_virtuoso_still_conforms(virtuoso):
    import urllib.parse
    import urllib.request

    fields = urllib.parse.urlencode({"query": READ_BACK, "default-graph-uri": MERGED}).encode()
    request = urllib.request.Request(virtuoso.sparql_url, data=fields, headers={"Accept": "text/plain"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        _conforms(answer.read().decode("utf-8"))


def test_the_graph_read_back_from_jena_still_conforms(jena):
    tools, location = jena
    _conforms(tools.run("tdb2.tdbquery", "--loc", str(location), "--results=NT", READ_BACK))


def test_the_graph_read_back_from_oxigraph_still_conforms(out_dir):
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(path=str(out_dir / "kg.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    _conforms(pyoxigraph.serialize(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()),
                                   format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8"))
