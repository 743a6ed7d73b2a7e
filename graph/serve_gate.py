"""A gate in front of the Oxigraph server: no SERVICE calls, and a query timeout that holds.

The Oxigraph server answers ``SERVICE <url> { ... }`` by sending a request to
``url``, and it has no switch to turn that off; its ``--timeout-s`` does not
stop a query that is still computing (Oxigraph 0.5). ``kg serve`` therefore
listens itself, on the port the user chose, and passes each request on to
the server (on another port of 127.0.0.1):

- a query or update that uses ``SERVICE`` gets HTTP 403 with a message,
  unless federation is allowed;
- an answer that is not complete within the timeout is cut off (HTTP 503
  when nothing was sent yet), and ``on_timeout`` is called so that the
  server, still busy with the query, is restarted.

Answers are streamed back unchanged.
"""

from __future__ import annotations

import http.client
import re
import socketserver
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .sparql_service import SERVICE_REFUSED, uses_service

__all__ = ["Gate", "sparql_texts"]

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "host"}
_CHUNK = 64 * 1024


def sparql_texts(path: str, content_type: str, body: bytes) -> list[str]:
    """Every query or update text in one SPARQL Protocol request (URL, form body or direct body).

    Examples
    --------
    >>> sparql_texts("/query?query=ASK%20%7B%7D", "", b"")
    ['ASK {}']
    >>> sparql_texts("/query", "application/sparql-query", b"ASK {}")
    ['ASK {}']
    """
    texts = []
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        for key, values in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items():
            fields.setdefault(key, []).extend(values)
    elif kind in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", "replace"))
    for key in ("query", "update"):
        texts.extend(fields.get(key, []))
    return texts


_LOCAL_ORIGIN = re.compile(r"^https?://(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: answers of unknown length end with the connection
    timeout = 60  # a client that stops sending its request is dropped
    server: Gate

    def log_message(self, format, *args):  # noqa: A002 - the signature of BaseHTTPRequestHandler
        pass

    def _plain(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def end_headers(self) -> None:
        headers = getattr(self, "headers", None)  # not there when the request line itself was bad
        origin = headers.get("Origin") if headers else None
        if origin and self.server.allows(origin):
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        super().end_headers()

    def _preflight(self) -> None:
        """A browser's CORS preflight, answered here: the server behind is read-only and reads queries only."""
        origin = self.headers.get("Origin")
        if not origin or not self.server.allows(origin):
            self._plain(403, f"origin {origin!r} may not query this endpoint; allow it with kg serve --cors ORIGIN")
            return
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _relay(self) -> None:
        gate = self.server
        if self.command == "OPTIONS" and self.headers.get("Access-Control-Request-Method"):
            self._preflight()
            return
        deadline = time.monotonic() + gate.query_timeout
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        texts = sparql_texts(self.path, self.headers.get("Content-Type", ""), body)
        if not gate.allow_service and any(uses_service(text) for text in texts):
            self._plain(403, SERVICE_REFUSED + " (kg serve --allow-service)")
            return
        upstream = None
        started = False
        try:
            while True:  # the server may be restarting after a timeout: it listens again within moments
                upstream = http.client.HTTPConnection("127.0.0.1", gate.upstream_port, timeout=gate.query_timeout)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                    upstream.request(self.command, self.path, body if length > 0 else None, headers)
                    answer = upstream.getresponse()
                    break
                except ConnectionError:
                    upstream.close()
                    if time.monotonic() > deadline:
                        raise TimeoutError from None
                    time.sleep(0.05)
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in _HOP_BY_HOP | {"server", "date"}:
                    self.send_header(key, value)
            self.end_headers()
            started = True
            while self.command != "HEAD":
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                upstream.sock.settimeout(remaining)
                chunk = answer.read1(_CHUNK)
                if not chunk:
                    break
                self.wfile.write(chunk)
        except TimeoutError:
            gate.on_timeout()
            if not started:
                self._plain(503, f"the query was stopped after {gate.query_timeout:g} s (kg serve --timeout); "
                                 "narrow it, or restart kg serve with a longer --timeout")
        except (OSError, http.client.HTTPException):
            pass  # the client went away, or the server broke off; the connection closes
        finally:
            if upstream is not None:
                upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _relay


class Gate(ThreadingHTTPServer):
    """Listen on 127.0.0.1:``port`` and relay to the server on ``upstream_port``; ``close()`` stops it.

    ``query_timeout`` is how long a whole answer may take; ``on_timeout()``
    is called when one took longer. ``allow_service`` lets SERVICE through.
    ``cors`` names the web origins, beyond this machine's own, whose pages
    may read the answers (YASGUI's, for example).
    """

    daemon_threads = True

    def __init__(self, port: int, upstream_port: int, *, query_timeout: float, allow_service: bool = False,
                 on_timeout: Callable[[], None] = lambda: None, cors: tuple[str, ...] = ()):
        super().__init__(("127.0.0.1", port), _Handler)
        self.cors = tuple(origin.rstrip("/") for origin in cors)
        self.upstream_port = upstream_port
        self.query_timeout = query_timeout
        self.allow_service = allow_service
        self.on_timeout = on_timeout
        self._thread = threading.Thread(target=self.serve_forever, name="kg-serve-gate", daemon=True)
        self._thread.start()

    def allows(self, origin: str) -> bool:
        """Whether a browser page from ``origin`` may read the answers: pages served from this machine
        always, others named with ``--cors`` (``*``: any)."""
        return bool(_LOCAL_ORIGIN.match(origin)) or "*" in self.cors or origin.rstrip("/") in self.cors

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look up the host's name (a DNS request, perhaps); none is needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join()
