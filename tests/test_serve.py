"""The real SPARQL endpoint (Oxigraph server) and publishing over the Graph Store Protocol."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from graph.serve import free_port, publish, start_server
from graph.sparql import load_library, run_sparql

from .test_sparql import canonical


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


def test_publish_sends_one_graph_per_document_and_counts_them(out_dir, corpus):
    store = start_server(out_dir, port=free_port(), read_only=False, load=False)
    try:
        results = publish(out_dir, f"{store.url}/store")
        assert all(item.ok for item in results)
        graphs = {item.graph.rsplit("/", 1)[-1] for item in results}
        assert graphs == set(corpus.documents) | {"registry", "ontology"}
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
