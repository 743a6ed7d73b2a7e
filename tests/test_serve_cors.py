"""kg serve for browser clients (YASGUI and others): CORS for this machine's pages and the origins named."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from graph.serve import free_port, start_server

YASGUI = "https://yasgui.triply.cc"
QUERY = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


@pytest.fixture(scope="module")
def endpoint(out_dir):
    server = start_server(out_dir, port=free_port(), cors=(YASGUI,))
    yield server.query_url
    server.stop()


def ask(url: str, method: str = "GET", **headers):
    request = urllib.request.Request(f"{url}?{QUERY}" if method == "GET" else url, method=method,
                                     headers={"Accept": "application/sparql-results+json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.parametrize(("origin", "allowed"), [
    (YASGUI, True), ("http://localhost:5173", True), ("http://127.0.0.1:8000", True),
    ("https://evil.example", False), ("http://localhost.evil.example", False), ("null", False),
])
def test_answers_are_readable_only_by_local_pages_and_the_origins_named(endpoint, origin, allowed):
    status, headers = ask(endpoint, Origin=origin)
    assert status == 200
    assert headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)


def test_a_preflight_is_answered_for_an_allowed_origin_and_refused_otherwise(endpoint):
    status, headers = ask(endpoint, "OPTIONS", Origin=YASGUI, **{"Access-Control-Request-Method": "POST",
                                                                 "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == YASGUI
    assert "POST" in headers["Access-Control-Allow-Methods"] and "Content-Type" in headers["Access-Control-Allow-Headers"]
    status, headers = ask(endpoint, "OPTIONS", Origin="https://evil.example", **{"Access-Control-Request-Method": "POST"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers


def test_a_request_without_an_origin_gets_no_cors_header(endpoint):
    status, headers = ask(endpoint)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
