"""No outgoing requests: find the SPARQL ``SERVICE`` calls that would make them.

Both embedded engines, and the Oxigraph server, answer ``SERVICE <url> { ... }``
by sending the inner query to ``url``. ``kg query`` and ``kg serve`` refuse
such queries unless the user allows federation explicitly
(``--allow-service``). A query is checked with rdflib's SPARQL parser (which
also expands ``\\u`` escapes), so the word "service" in a string, an IRI or a
comment is not mistaken for a call.
"""

from __future__ import annotations

import re

from .errors import QueryError

__all__ = ["uses_service", "refuse_service", "SERVICE_REFUSED"]

SERVICE_REFUSED = ("SERVICE calls to other endpoints are refused: this command makes no outgoing requests; "
                   "allow them explicitly with --allow-service")
_KEYWORD = re.compile(r"(?<![\w?$:])service(?![\w:])", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoints_expanded(text: str) -> str:
    r"""``text`` with its ``\uXXXX`` and ``\UXXXXXXXX`` escapes replaced, as SPARQL does before it parses.

    rdflib's own ``expandUnicodeEscapes`` lives in its parser module, whose import builds the whole
    grammar (0.2 s); most queries need only this, to see that no ``SERVICE`` is hidden in them.

    Examples
    --------
    >>> _codepoints_expanded(r"\u0053ERVICE \U0001F600 \uZZZZ")
    'SERVICE 😀 \\uZZZZ'
    """
    def expand(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(expand, text)


def _has_service_pattern(node) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def uses_service(text: str) -> bool:
    """Whether a SPARQL query would call another endpoint with ``SERVICE``.

    A query rdflib cannot parse counts as calling one when the keyword
    appears in it at all (the engine then decides whether it is valid).

    Examples
    --------
    >>> uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * WHERE { ?s ?p "customer service" }')
    False
    """
    if not _KEYWORD.search(_codepoints_expanded(text)):
        return False  # the keyword is not there, not even escaped: no need to parse
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - pyparsing raises several kinds; a query we cannot read is judged by its words
        return True  # and the keyword is in its words
    return _has_service_pattern(tree)


def refuse_service(text: str, allow: bool = False) -> None:
    """Raise :class:`~graph.errors.QueryError` if the query calls another endpoint and that is not allowed.

    Examples
    --------
    >>> refuse_service("ASK { ?s ?p ?o }")
    >>> refuse_service("ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", allow=True)
    """
    if not allow and uses_service(text):
        raise QueryError(SERVICE_REFUSED)
