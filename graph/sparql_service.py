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
_MAYBE = re.compile(r"service|\\u|\\U", re.IGNORECASE)
_KEYWORD = re.compile(r"(?<![\w?$:])service(?![\w:])", re.IGNORECASE)


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
    if not _MAYBE.search(text):
        return False  # the keyword cannot be there, not even escaped
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - pyparsing raises several kinds; a query we cannot read is judged by its words
        try:
            expanded = expandUnicodeEscapes(text)
        except Exception:  # noqa: BLE001 - a broken escape: look at the text as it is
            expanded = text
        return bool(_KEYWORD.search(expanded))
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
