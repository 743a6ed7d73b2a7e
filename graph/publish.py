"""``kg publish``: send the build to a SPARQL 1.1 Graph Store, one named graph per source document.

Besides one graph per document (and the registry and the ontology), the
merge of them all, the graph every named query is written for, goes into
the named graph ``MERGED_GRAPH``, and with ``default_graph`` into the store's
default graph too. Each graph is replaced with HTTP PUT, read back with GET,
its triples counted and a sample of them compared term for term. Every failure is one message: a malformed URL, a host that does not
answer within the timeout, an answer that is not a Graph Store's, a refusal
(with a hint when the store is the read-only ``kg serve``). A failure partway
says which graphs were already replaced and which were not. Credentials in
the URL (``http://user:password@host/...``) are sent as HTTP Basic
authentication and never shown; a ``user`` with a password answers the
store's challenge, Basic or Digest (Virtuoso's ``/sparql-graph-crud-auth``).
"""

from __future__ import annotations

import base64
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import KGError, MissingBuild

__all__ = ["PublishedGraph", "PublishError", "Endpoint", "parse_endpoint", "check_graph_iri", "publish",
           "DEFAULT_TIMEOUT", "MERGED_GRAPH", "DEFAULT_GRAPH"]

MERGED_GRAPH = "https://example.org/faction-kg/graph/all"
DEFAULT_GRAPH = "default graph"  # how the store's default graph is named in results and messages
_SAMPLE = 64  # triples of each graph compared term for term after reading it back

DEFAULT_TIMEOUT = 60.0
_LISTED = 12
_READ_ONLY_HINT = ("if this is kg serve: it is read-only; publish to a read-write store instead, for example "
                   "'oxigraph serve --location DIR --bind 127.0.0.1:7879' and "
                   "--endpoint http://127.0.0.1:7879/store")
_NOT_A_STORE = ("is it a Graph Store endpoint? (Oxigraph: http://HOST:PORT/store, Fuseki: http://HOST:3030/DATASET/data)")


class PublishError(KGError):
    """Publishing failed: a bad endpoint or graph IRI, no answer, a refusal, or an answer that is not RDF."""


@dataclass(frozen=True)
class PublishedGraph:
    graph: str
    sent: int
    stored: int
    compared: int = 0  # sampled triples looked up in what the store gave back
    missing: int = 0  # of those, how many it did not give back

    @property
    def ok(self) -> bool:
        return self.sent == self.stored and self.missing == 0


@dataclass(frozen=True)
class Endpoint:
    """A Graph Store endpoint: its URL without credentials, how to show it, and the Authorization header."""

    url: str
    shown: str
    authorization: str | None = None
    opener: urllib.request.OpenerDirector | None = None  # answers Basic and Digest challenges, with --user


def parse_endpoint(text: str) -> Endpoint:
    """Check an ``--endpoint`` URL and take any credentials out of it.

    Examples
    --------
    >>> parse_endpoint("http://alice:s3cret@127.0.0.1:7879/store").shown
    'http://***@127.0.0.1:7879/store'
    >>> parse_endpoint("ftp://127.0.0.1/store")
    Traceback (most recent call last):
    ...
    graph.publish.PublishError: --endpoint must be an http:// or https:// URL such as http://127.0.0.1:7879/store, not 'ftp://127.0.0.1/store'
    """
    text = text.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError:
        parts, port, host = None, None, None
    credentials = "@" in text.partition("://")[2].partition("/")[0]
    shown = _redacted(text) if credentials else text
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        raise PublishError(f"--endpoint must be an http:// or https:// URL such as http://127.0.0.1:7879/store, "
                           f"not {shown!r}")
    if any(ch.isspace() for ch in text) or not text.isprintable():
        raise PublishError(f"--endpoint {shown!r} contains spaces or control characters; percent-encode them")
    netloc = f"[{host}]" if ":" in host else host
    netloc += f":{port}" if port is not None else ""
    url = urllib.parse.urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
    authorization = None
    if credentials:
        pair = f"{urllib.parse.unquote(parts.username or '')}:{urllib.parse.unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return Endpoint(url, shown if credentials else url, authorization)


def _redacted(text: str) -> str:
    scheme, _, rest = text.partition("://")
    authority, slash, path = rest.partition("/")
    return f"{scheme}://***@{authority.rpartition('@')[2]}{slash}{path}"


def check_graph_iri(graph: str) -> str:
    """A ``--graph`` value must be an absolute IRI (a relative one would be resolved against the endpoint).

    Examples
    --------
    >>> check_graph_iri("https://example.org/faction-kg/graph/all")
    'https://example.org/faction-kg/graph/all'
    >>> check_graph_iri("notaniri")
    Traceback (most recent call last):
    ...
    graph.publish.PublishError: --graph takes an absolute IRI such as https://example.org/faction-kg/graph/all, not 'notaniri'
    """
    import pyoxigraph as ox

    try:
        ox.NamedNode(graph)  # refuses relative IRIs and characters an IRI cannot hold
    except ValueError:
        raise PublishError(f"--graph takes an absolute IRI such as https://example.org/faction-kg/graph/all, "
                           f"not {graph!r}") from None
    return graph


def with_user(endpoint: Endpoint, user: str, password: str) -> Endpoint:
    """The endpoint, answering the store's Basic or Digest challenge as ``user``."""
    if endpoint.authorization:
        raise PublishError("give the user either in the --endpoint URL or with --user, not both")
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, endpoint.url, user, password)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                         urllib.request.HTTPDigestAuthHandler(passwords))
    return Endpoint(endpoint.url, endpoint.shown, None, opener)


def _graph_url(endpoint: Endpoint, graph: str) -> tuple[str, str]:
    query = "default" if graph == DEFAULT_GRAPH else urllib.parse.urlencode({"graph": graph})
    separator = "&" if "?" in endpoint.url else "?"
    return f"{endpoint.url}{separator}{query}", f"{endpoint.shown}{separator}{query}"


def _store_says(exc: urllib.error.HTTPError) -> str:
    """The store's own reason, as plain text on one line (HTML tags dropped), or ''."""
    import html
    import re

    try:
        body = exc.read(4000).decode("utf-8", "replace")
    except OSError:
        return ""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return text[:300]


def _request(method: str, url: str, shown: str, endpoint: Endpoint, timeout: float, data: bytes | None = None,
             headers: dict | None = None) -> bytes:
    headers = dict(headers or {})
    if endpoint.authorization:
        headers["Authorization"] = endpoint.authorization
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        if data is not None and endpoint.opener is not None:
            _answer_challenge_first(request, endpoint.opener, timeout)
        with (endpoint.opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        hint = {401: "check the user name and password (--user, or in the URL)", 403: _READ_ONLY_HINT,
                404: _NOT_A_STORE, 405: _NOT_A_STORE}.get(exc.code, "")
        said = _store_says(exc)
        raise PublishError(f"{method} {shown} was refused: HTTP {exc.code} {exc.reason}"
                           + (f"; the store says: {said}" if said else "") + (f"; {hint}" if hint else "")) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise _no_answer(method, shown, timeout) from None
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        raise PublishError(f"cannot reach {shown}: {reason}; check the --endpoint URL and that the store is running") from None
    except (TimeoutError, socket.timeout):
        raise _no_answer(method, shown, timeout) from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise PublishError(f"{method} {shown} got no proper HTTP answer ({type(exc).__name__}); {_NOT_A_STORE}") from None


def _answer_challenge_first(request: urllib.request.Request, opener: urllib.request.OpenerDirector,
                            timeout: float) -> None:
    """Give a request with a body the answer to the store's challenge before it is sent.

    A store that challenges a PUT (Virtuoso answers 401 and closes the
    connection at once) would otherwise break the pipe while a body of a few
    megabytes is still being sent, before the opener could answer. So the
    challenge is fetched with a HEAD of the same URL, which has no body, and
    answered with the opener's own Basic or Digest handler. A store that does
    not challenge the HEAD gets the request as it is.
    """
    try:
        with urllib.request.urlopen(urllib.request.Request(request.full_url, method="HEAD"), timeout=timeout):
            return
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    scheme, _, rest = challenge.partition(" ")
    fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(rest)))
    for handler in opener.handlers:
        if scheme.lower() == "digest" and isinstance(handler, urllib.request.HTTPDigestAuthHandler):
            answer = handler.get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
            return
        if scheme.lower() == "basic" and isinstance(handler, urllib.request.HTTPBasicAuthHandler):
            user, password = handler.passwd.find_user_password(fields.get("realm"), request.full_url)
            if user is not None:
                token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                request.add_unredirected_header("Authorization", f"Basic {token}")
            return


def _no_answer(method: str, shown: str, timeout: float) -> PublishError:
    return PublishError(f"{method} {shown}: no answer within {timeout:g} s (--timeout); "
                        "check that the store is running and reachable, or allow more time")


def _names(graphs: list[str]) -> str:
    if not graphs:
        return "none"
    listed = ", ".join(graphs[:_LISTED])
    return listed + (f" and {len(graphs) - _LISTED} more" if len(graphs) > _LISTED else "")


def publish(out: Path, endpoint: str, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT, *,
            user: str | None = None, password: str | None = None,
            default_graph: bool = False) -> list[PublishedGraph]:
    """PUT the build to a Graph Store endpoint: each source graph, the merge, and read each one back.

    Parameters
    ----------
    out : Path
        The build folder (its ``kg.trig`` and ``kg.nt``).
    endpoint : str
        The Graph Store endpoint URL.
    graph : str, optional
        An absolute IRI: put everything into this one graph instead.
    timeout : float
        How long each request may wait for an answer, in seconds.
    user, password : str, optional
        Answer the store's Basic or Digest challenge with these.
    default_graph : bool
        Also put the merge into the store's default graph (``?default``),
        so that queries without a dataset clause see it.
    """
    import pyoxigraph as ox

    target = parse_endpoint(endpoint)
    if user is not None:
        target = with_user(target, user, password or "")
    if graph is not None:
        check_graph_iri(graph)
    if not timeout > 0:
        raise PublishError(f"--timeout must be more than 0 seconds, not {timeout:g}")
    trig = Path(out) / "kg.trig"
    if not trig.is_file() or not trig.with_name("kg.nt").is_file():
        raise MissingBuild(f"no built graph at {trig}; run the build first: python build.py (or kg build)")
    groups: dict[str, set] = {}
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        name = graph or (quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None)
        if name is None:
            raise PublishError("the build has triples outside any named graph; rebuild with this version")
        groups.setdefault(name, set()).add(ox.Triple(quad.subject, quad.predicate, quad.object))
    if graph is None:
        merged = set(ox.parse(path=str(trig.with_name("kg.nt")), format=ox.RdfFormat.N_TRIPLES))
        groups[MERGED_GRAPH] = merged
        if default_graph:
            groups[DEFAULT_GRAPH] = merged
    names = sorted(groups)
    results: list[PublishedGraph] = []
    replaced: list[str] = []
    for position, name in enumerate(names):
        triples = sorted(groups[name], key=str)
        url, shown = _graph_url(target, name)
        try:
            _request("PUT", url, shown, target, timeout, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                     {"Content-Type": "application/n-triples"})
            replaced.append(name)
            back = _request("GET", url, shown, target, timeout, None, {"Accept": "application/n-triples"})
            try:
                stored = {_comparable(t) for t in ox.parse(back, format=ox.RdfFormat.N_TRIPLES)}
            except SyntaxError:
                raise PublishError(f"the answer to GET {shown} is not N-Triples; {_NOT_A_STORE}") from None
        except PublishError as error:
            untouched = names[position + 1:] if replaced and replaced[-1] == name else names[position:]
            raise PublishError(f"{error}\n  graphs replaced before this failure: {_names(replaced)}\n"
                               f"  graphs not replaced: {_names(untouched)}") from None
        sample = triples[::max(1, len(triples) // _SAMPLE)][:_SAMPLE]
        missing = sum(1 for t in sample if _comparable(t) not in stored)
        results.append(PublishedGraph(name, len(triples), len(stored), len(sample), missing))
    return results


_INTEGER_TYPES = frozenset(f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long", "int",
    "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _comparable(triple) -> tuple:
    """A triple as stores keep its meaning: Oxigraph stores every integer type as xsd:integer, and
    Virtuoso writes booleans as 1 and 0; the value is the same, so the comparison says so."""
    import pyoxigraph as ox

    def term(value):
        if not isinstance(value, ox.Literal):
            return str(value)
        datatype = value.datatype.value
        if datatype in _INTEGER_TYPES:
            return "integer", int(value.value)
        if datatype == _BOOLEAN:
            return "boolean", value.value in ("true", "1")
        return value.value, datatype, value.language

    return term(triple.subject), term(triple.predicate), term(triple.object)
