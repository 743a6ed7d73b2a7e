"""The real SPARQL endpoint (Oxigraph server) and publishing over the Graph Store Protocol."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from graph.publish import publish
from graph.serve import free_port, start_server
from graph.sparql import load_library, run_sparql

from .test_sparql import canonical
from .test_sparql_service import listener  # noqa: F401 - a fixture, shared


@pytest.fixture(scope="module")
def server(out_dir):
    running = start_server(out_dir, port=free_port())
    yield running
    running.stop()


def http_select(url: str, query: str):
    from graph.sparql import QueryResult

    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json",
                                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    variables = answer["head"]["vars"]
    rows = []
    for binding in answer["results"]["bindings"]:
        row = []
        for var in variables:
            cell = binding.get(var)
            if cell is None:
                row.append(None)
                continue
            kind = "uri" if cell["type"] == "uri" else cell["type"]
            datatype = cell.get("datatype")
            if datatype == "http://www.w3.org/2001/XMLSchema#string":
                datatype = None
            row.append((kind, cell["value"], datatype, cell.get("xml:lang")))
        rows.append(tuple(row))
    return QueryResult(variables, rows)


def test_server_binds_to_loopback_only(server):
    assert server.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("name", sorted(load_library()))
def test_named_queries_over_http_match_the_embedded_engine(server, out_dir, name):
    text = load_library()[name].text
    over_http = http_select(server.query_url, text)
    embedded = run_sparql(text, out_dir, "oxigraph")
    assert over_http.variables == embedded.variables
    assert canonical(over_http) == canonical(embedded)
    assert over_http.rows


def test_the_endpoint_is_read_only(server):
    request = urllib.request.Request(f"{server.url}/update", data=b"update=CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403


def test_publish_sends_one_graph_per_document_and_the_merge_and_counts_them(out_dir, corpus):
    store = start_server(out_dir, port=free_port(), read_only=False, load=False)
    try:
        results = publish(out_dir, f"{store.url}/store")
        assert all(item.ok for item in results)
        graphs = {item.graph.rsplit("/", 1)[-1] for item in results}
        assert graphs == set(corpus.documents) | {"registry", "ontology", "all"}  # all: the merge
        count = http_select(f"{store.url}/query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(count.rows[0][0][1]) == len(graphs)
    finally:
        store.stop()


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_kg_serve_prints_the_url_and_stops_cleanly(out_dir, signal_name):
    import signal
    import socket
    import subprocess
    import sys
    import time

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--port", str(port), "--out", str(out_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/query" in first_line
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        time.sleep(0.2)
        process.send_signal(getattr(signal, signal_name))
        assert process.wait(timeout=20) == 0
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        if process.poll() is None:
            process.kill()


def post_query(url: str, query: str, timeout: float = 60):
    """POST a query; return (status, body) whatever the status."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


@pytest.mark.parametrize("body", ["form", "direct", "get"])
def test_the_endpoint_refuses_service_and_sends_nothing(server, listener, body):
    url, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    if body == "form":
        status, text = post_query(server.query_url, query)
    else:
        request = (urllib.request.Request(f"{server.query_url}?{urllib.parse.urlencode({'query': query})}")
                   if body == "get" else
                   urllib.request.Request(server.query_url, data=query.encode(),
                                          headers={"Content-Type": "application/sparql-query"}))
        try:
            urllib.request.urlopen(request, timeout=30)
            status, text = 200, ""
        except urllib.error.HTTPError as refused:
            status, text = refused.code, refused.read().decode()
    assert status == 403 and "SERVICE calls to other endpoints are refused" in text
    assert hits == []


def test_allow_service_lets_the_server_call_out(out_dir, listener):
    url, hits = listener
    running = start_server(out_dir, port=free_port(), allow_service=True)
    try:
        post_query(running.query_url, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    finally:
        running.stop()
    assert hits, "with --allow-service the server sends the SERVICE request"


def test_a_runaway_query_is_stopped_and_the_server_answers_again(out_dir):
    running = start_server(out_dir, port=free_port(), timeout=1)
    try:
        status, text = post_query(running.query_url,
                                  "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        assert status == 503 and "the query was stopped after 1 s (kg serve --timeout)" in text
        status, text = post_query(running.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and json.loads(text)["results"]["bindings"][0]["n"]["value"] == str(
            sum(1 for line in (out_dir / "kg.nt").read_text(encoding="utf-8").splitlines() if line.strip()))
        assert running.restarts == 1
    finally:
        running.stop()


def test_publishing_to_kg_serve_says_it_is_read_only(server, out_dir):
    from graph.errors import KGError

    with pytest.raises(KGError, match=r"HTTP 403 .*if this is kg serve: it is read-only"):
        publish(out_dir, f"{server.url}/store")


def _serve(*args):
    """Run kg serve in this process, for commands that must fail before serving."""
    from click.testing import CliRunner

    from graph.cli import main

    return CliRunner().invoke(main, ["serve", *args])


@pytest.fixture()
def private_tmp(tmp_path, monkeypatch):
    """Temporary folders of kg serve go here, so that the test can see any left behind."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize(("port", "message"), [
    ("0", "port 0 is not a port to serve on"),
    ("-1", "port -1 is out of range; choose one from 1024 to 65535 with --port"),
    ("65536", "port 65536 is out of range"),
    ("busy", "port {busy} is already in use; choose another with --port"),
])
def test_a_bad_or_busy_port_gets_one_message_and_exit_2(out_dir, private_tmp, tmp_path, port, message):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        result = _serve("--port", str(busy) if port == "busy" else port, "--out", str(out_dir))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {message.format(busy=busy)}") and result.output.count("\n") == 1
    assert "SPARQL endpoint" not in result.output and "Traceback" not in result.output
    assert list(private_tmp.iterdir()) == []


def test_a_missing_build_leaves_no_temporary_folder(tmp_path, private_tmp):
    result = _serve("--port", str(free_port()), "--out", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "run the build first" in result.output
    assert list(private_tmp.iterdir()) == []


def _tree(folder):
    return {p.relative_to(folder): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("case", ["user files", "a repository", "a file"])
def test_serve_never_replaces_a_store_folder_it_did_not_make(out_dir, tmp_path, case):
    store = tmp_path / "store"
    if case == "a file":
        store.write_text("not a folder\n", encoding="utf-8")
        before = store.read_bytes()
    else:
        store.mkdir()
        (store / ("notes.txt" if case == "user files" else ".git")).write_text("mine\n", encoding="utf-8")
        before = _tree(store)
    result = _serve("--port", str(free_port()), "--store", str(store), "--out", str(out_dir))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--store" in result.output
    assert (store.read_bytes() if case == "a file" else _tree(store)) == before


def test_a_new_store_folder_is_made_marked_and_reused(out_dir, tmp_path):
    from graph.folders import is_ours

    store = tmp_path / "store"
    for _ in range(2):  # made the first time, replaced the second
        running = start_server(out_dir, port=free_port(), store=store)
        try:
            status, text = post_query(running.query_url, "ASK { ?s ?p ?o }")
            assert status == 200 and json.loads(text)["boolean"] is True
        finally:
            running.stop()
        assert is_ours(store, "store")
