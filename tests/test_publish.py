"""kg publish: every failure is one message with exit 2, credentials are never shown, partial failures are told."""

from __future__ import annotations

import base64
import http.server
import socket
import threading
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.serve import free_port, start_server

SECRET = "s3cret-Pa55"


def publish_cli(out_dir, *args):
    return CliRunner().invoke(main, ["publish", "--out", str(out_dir), *args])


def assert_one_error(result, message):
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and message in result.output, result.output
    assert "Traceback" not in result.output and SECRET not in result.output and "alice" not in result.output


@pytest.fixture(scope="module")
def store(out_dir):
    """A real, empty, read-write Oxigraph server."""
    running = start_server(out_dir, port=free_port(), read_only=False, load=False)
    yield running
    running.stop()


class _Fake(http.server.BaseHTTPRequestHandler):
    """Answers like a Graph Store for the first ``accept`` graphs, then refuses (or answers HTML throughout)."""

    def log_message(self, *args):
        pass

    def _graph(self):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]

    def do_PUT(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.authorizations.append(self.headers.get("Authorization"))
        if server.html or len(server.graphs) < server.accept:
            server.graphs[self._graph()] = body
            self.send_response(204)
            self.end_headers()
        else:
            self.send_response(507, "Insufficient Storage")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_GET(self):
        body = b"<html><body>Welcome</body></html>" if self.server.html else self.server.graphs[self._graph()]
        if self.server.tamper:  # a store that keeps every triple, but not every value as it was sent
            body = body.replace(b'"@en ', b'"@de ')
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.server.html else "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def fake():
    def make(*, accept=10**6, html=False, tamper=False):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
        server.accept, server.html, server.graphs, server.authorizations = accept, html, {}, []
        server.tamper = tamper
        threading.Thread(target=server.serve_forever, daemon=True).start()
        made.append(server)
        return server

    made = []
    yield make
    for server in made:
        server.shutdown()
        server.server_close()


def test_publish_to_a_real_store_replaces_every_graph(out_dir, store, corpus):
    result = publish_cli(out_dir, "--endpoint", f"{store.url}/store")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # one graph per document, the registry, the ontology, and the merge
    assert len(lines) == len(corpus.documents) + 3 and all(line.startswith("ok ") for line in lines)
    merged = next(line for line in lines if line.startswith("ok  https://example.org/faction-kg/graph/all:"))
    triples = sum(1 for line in (out_dir / "kg.nt").read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"sent {triples}, stored {triples}, 64 of 64 sampled triples found as sent" in merged


def test_the_merge_can_go_into_the_default_graph_too(out_dir, store):
    import urllib.request

    result = publish_cli(out_dir, "--endpoint", f"{store.url}/store", "--default-graph")
    assert result.exit_code == 0 and "ok  default graph: sent " in result.output, result.output
    with urllib.request.urlopen(f"{store.url}/store?default", timeout=30) as answer:
        served = {line for line in answer.read().decode("utf-8").splitlines() if line.strip()}
    assert len(served) == sum(1 for line in (out_dir / "kg.nt").read_text(encoding="utf-8").splitlines() if line)


def test_a_store_that_changes_values_is_caught_by_the_sample(out_dir, fake):
    server = fake(tamper=True)
    result = publish_cli(out_dir, "--endpoint", f"http://127.0.0.1:{server.server_address[1]}/store")
    assert result.exit_code == 1, result.output
    import re

    found = [int(n) for n in re.findall(r"(\d+) of 64 sampled triples found as sent", result.output)]
    assert "BAD " in result.output and found and min(found) < 64


def test_one_named_graph_must_be_an_absolute_iri(out_dir, store):
    assert_one_error(publish_cli(out_dir, "--endpoint", f"{store.url}/store", "--graph", "notaniri"),
                     "--graph takes an absolute IRI")
    result = publish_cli(out_dir, "--endpoint", f"{store.url}/store", "--graph", "https://example.org/faction-kg/all")
    assert result.exit_code == 0 and result.output.startswith("ok  https://example.org/faction-kg/all: sent ")


@pytest.mark.parametrize("endpoint", [
    "not a url", "ftp://127.0.0.1/store", "http://", "http:///store", "http://127.0.0.1:99999/store",
    "http://[::1/store", "http://127.0.0.1:port/store", "http://127.0.0.1/st ore", "file:///etc/passwd",
    f"http://alice:{SECRET}@[::1/store", f"ftp://alice:{SECRET}@127.0.0.1/store",
])
def test_a_malformed_endpoint_gets_one_message(out_dir, endpoint):
    assert_one_error(publish_cli(out_dir, "--endpoint", endpoint), "--endpoint")


def test_a_closed_port_says_the_store_cannot_be_reached(out_dir):
    endpoint = f"http://alice:{SECRET}@127.0.0.1:{free_port()}/store"
    assert_one_error(publish_cli(out_dir, "--endpoint", endpoint), "cannot reach http://***@127.0.0.1:")


def test_a_host_that_does_not_answer_is_given_up_after_the_timeout(out_dir):
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        endpoint = f"http://alice:{SECRET}@127.0.0.1:{silent.getsockname()[1]}/store"
        result = publish_cli(out_dir, "--endpoint", endpoint, "--timeout", "1")
    assert_one_error(result, "no answer within 1 s (--timeout)")
    assert "graphs replaced before this failure: none" in result.output


def test_an_answer_that_is_not_a_graph_store_is_named(out_dir, fake):
    server = fake(html=True)
    result = publish_cli(out_dir, "--endpoint", f"http://127.0.0.1:{server.server_port}/")
    assert_one_error(result, "is not N-Triples; is it a Graph Store endpoint?")


def test_a_failure_partway_says_which_graphs_were_replaced(out_dir, fake, corpus):
    server = fake(accept=2)
    result = publish_cli(out_dir, "--endpoint", f"http://alice:{SECRET}@127.0.0.1:{server.server_port}/store")
    assert_one_error(result, "HTTP 507 Insufficient Storage")
    graphs = sorted(server.graphs)
    assert len(graphs) == 2
    replaced = result.output.split("graphs replaced before this failure: ")[1].split("\n")[0]
    untouched = result.output.split("graphs not replaced: ")[1].split("\n")[0]
    assert replaced == ", ".join(graphs)
    assert not any(graph in untouched for graph in graphs) and untouched.count(", ") == len(corpus.documents) + 3 - 3  # documents, registry, ontology, merge


def test_credentials_are_sent_as_basic_authentication(out_dir, fake):
    server = fake()
    result = publish_cli(out_dir, "--endpoint", f"http://alice:{SECRET}@127.0.0.1:{server.server_port}/store")
    assert result.exit_code == 0 and SECRET not in result.output
    expected = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert server.authorizations and set(server.authorizations) == {expected}


def test_the_help_example_uses_a_read_write_port():
    text = CliRunner().invoke(main, ["publish", "--help"]).output
    assert "7879" in text and "7878" not in text


class _Challenging(http.server.BaseHTTPRequestHandler):
    """A store that challenges like Virtuoso: a request without the right Authorization gets 401 and the
    connection is closed at once, its body unread."""

    protocol_version = "HTTP/1.1"
    realm, nonce = "SPARQL", "4f1c0a8e3b2d"

    def log_message(self, *args):
        pass

    def _authorized(self) -> bool:
        import hashlib

        given = self.headers.get("Authorization") or ""
        if self.server.scheme == "Basic":
            return given == "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
        if not given.startswith("Digest "):
            return False
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(given[len("Digest "):]))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731 - the RFC 2617 arithmetic
        expected = md5(":".join([md5(f"alice:{self.realm}:{SECRET}"), self.nonce, fields.get("nc", ""),
                                 fields.get("cnonce", ""), "auth", md5(f"{self.command}:{fields.get('uri', '')}")]))
        return fields.get("username") == "alice" and fields.get("response") == expected

    def _challenge(self) -> None:
        self.send_response(401)
        challenge = (f'Basic realm="{self.realm}"' if self.server.scheme == "Basic" else
                     f'Digest realm="{self.realm}", nonce="{self.nonce}", qop="auth", algorithm="MD5"')
        self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True

    def do_HEAD(self):
        if not self._authorized():
            return self._challenge()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self):
        if not self._authorized():
            return self._challenge()
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        self.server.graphs[graph] = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if not self._authorized():
            return self._challenge()
        body = self.server.graphs[urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]]
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_a_large_graph_reaches_a_store_that_challenges_and_closes(tmp_path, monkeypatch, scheme):
    from graph.publish import MERGED_GRAPH

    lines = "".join(f'<https://e.org/s{i}> <https://e.org/p> "value number {i}" .\n' for i in range(150_000))
    (tmp_path / "kg.nt").write_text(lines, encoding="utf-8")  # 9 MB: more than the sockets hold
    (tmp_path / "kg.trig").write_text(f"<https://e.org/g> {{\n{lines}}}\n", encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Challenging, bind_and_activate=False)
    server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a store that reads slowly
    server.server_bind()
    server.server_activate()
    server.scheme, server.graphs = scheme, {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("KG_PUBLISH_PASSWORD", SECRET)
        result = publish_cli(tmp_path, "--endpoint", f"http://127.0.0.1:{server.server_port}/crud", "--user", "alice")
        assert result.exit_code == 0, result.output
        assert sorted(server.graphs) == sorted(["https://e.org/g", MERGED_GRAPH])
        assert all(body.count(b"\n") == 150_000 for body in server.graphs.values())
    finally:
        server.shutdown()
        server.server_close()
