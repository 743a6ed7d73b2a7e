"""kg query makes no outgoing requests: SERVICE is refused unless allowed, and FROM never downloads."""

from __future__ import annotations

import http.server
import threading

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import QueryError
from graph.sparql import run_sparql
from graph.sparql_service import uses_service


@pytest.fixture()
def listener():
    """A local HTTP server that records every request made to it (and answers 500)."""
    hits: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", hits
    server.shutdown()
    server.server_close()


CALLS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{url}#> SELECT * WHERE {{ ?x ?y ?z . {{ SELECT * WHERE {{ SERVICE remote:e {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?endpoint) SERVICE ?endpoint {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", CALLS)
def test_service_is_refused_and_nothing_is_sent(out_dir, listener, engine, template):
    url, hits = listener
    with pytest.raises(QueryError, match="SERVICE calls to other endpoints are refused.*--allow-service"):
        run_sparql(template.format(url=url), out_dir, engine)
    assert hits == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_allow_service_lets_the_request_go(out_dir, listener, engine):
    url, hits = listener
    with pytest.raises(Exception):  # the listener answers 500
        run_sparql(CALLS[0].format(url=url), out_dir, engine, allow_service=True)
    assert hits, "the opt-in request was not sent"


def test_from_never_downloads_with_rdflib(out_dir, listener):
    url, hits = listener
    run_sparql(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }} LIMIT 1", out_dir, "rdflib")
    assert hits == []


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "customer service" }',
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "PREFIX service: <https://example.org/service#> SELECT * WHERE { ?s service:x ?o }",
    "# SERVICE <http://example.org/> in a comment\nASK { ?s ?p ?o }",
    "SELECT * WHERE { ?s <https://example.org/service> ?o }",
])
def test_the_word_service_elsewhere_is_not_a_call(out_dir, text):
    assert not uses_service(text)
    run_sparql(text, out_dir)


def test_kg_query_refuses_service_with_exit_2(out_dir, listener):
    url, hits = listener
    result = CliRunner().invoke(main, ["query", CALLS[0].format(url=url), "--out", str(out_dir)])
    assert result.exit_code == 2
    assert result.output.startswith("error: SERVICE calls to other endpoints are refused")
    assert hits == []


@pytest.mark.parametrize("name", ["spokespersons", "leaders-and-members", "activity-per-month", "source-count"])
def test_a_named_query_with_codepoint_escapes_is_cleared_without_rdflibs_parser(name):
    # Importing rdflib's SPARQL parser builds its grammar (0.2-0.3 s of every kg query that needs it).
    import subprocess
    import sys

    from graph.sparql import load_library

    text = load_library()[name].text
    assert "\\u0001" in text
    check = ("import sys; from graph.sparql_service import uses_service; "
             f"print(uses_service({text!r}), 'rdflib.plugins.sparql.parser' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("params", [[], ["--param", "org=al-nujaba"], ["--param", "org=nujaba movement"]],
                         ids=["no parameter", "an id", "a name"])
def test_kg_query_on_oxigraph_imports_no_rdflib_nor_networkx(out_dir, params):
    # Their imports are about 0.4 s of a kg query; the Oxigraph path needs only the prefixes as strings,
    # and a name is resolved on plain data (graph.entity_search).
    import subprocess
    import sys

    check = ("import sys; from graph.cli import main; "
             f"main(['query', 'spokespersons', *{params!r}, '--out', {str(out_dir)!r}, '-f', 'csv'], "
             "standalone_mode=False); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'networkx'}))")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[0].startswith("person,personLabel,org")
    assert "Husayn Al-Mousawi" in done.stdout  # the spokesman of Al-Nujaba in jttm-2024-01-08
    assert done.stdout.splitlines()[-1] == "[]"
