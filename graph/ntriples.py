"""Terms in N-Triples syntax: the text the build sorts, exports and validates.

Only what the build's graph holds: IRIs and literals (a plain string, a
language-tagged string or a typed value), never a blank node. A literal's
lexical form is escaped as Oxigraph's serializer escapes it (the backslash,
the double quote, and every control character), so ``kg.nt`` can be written
from these lines as they are and still be what Oxigraph would write.
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef

__all__ = ["XSD_STRING", "escaped", "object_term", "parse_object", "term_text"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_ESCAPES = {**{chr(code): f"\\u{code:04X}" for code in [*range(0x20), 0x7F]},
            "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    return _ESCAPES[match.group()]


def escaped(lexical: str) -> str:
    r"""A literal's lexical form as it goes between the quotes.

    Examples
    --------
    >>> print(escaped('a "b"\\c\nd\te\x01'))
    a \"b\"\\c\nd\te\u0001
    """
    text = lexical.replace("\\", "\\\\").replace('"', '\\"')
    return text if text.isprintable() else _CONTROL.sub(_escape, text)  # a control character is not printable


def term_text(term) -> str:
    """An rdflib term in N-Triples syntax.

    Examples
    --------
    >>> from rdflib import XSD
    >>> term_text(URIRef("http://e.org/a")), term_text(Literal("x", lang="en")), term_text(Literal(2))
    ('<http://e.org/a>', '"x"@en', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>')
    >>> term_text(Literal("x", datatype=XSD.string))
    '"x"'
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f'"{escaped(str(term))}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f'"{escaped(str(term))}"^^<{term.datatype}>'
        return f'"{escaped(str(term))}"'
    if isinstance(term, BNode):
        raise ValueError("the graph must not contain blank nodes")
    raise TypeError(f"cannot write {term!r} as N-Triples")


# --- Reading terms back ---------------------------------------------------------------------------------

_READ_ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))')
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _READ_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if not m.group(3)
                       else _SIMPLE_ESCAPES[m.group(3)], text)


def parse_object(text: str) -> tuple[str, str, str, str]:
    """An N-Triples object as (kind, lexical form or IRI, datatype, language)."""
    if text[0] == "<":
        return "iri", text[1:-1], "", ""
    if text[0] == "_":
        return "bnode", text[2:], "", ""
    if text[-1] == ">":
        cut = text.rindex('"^^<')
        return "literal", _unescape(text[1:cut]), text[cut + 4:-1], ""
    if text[-1] == '"':
        return "literal", _unescape(text[1:-1]), XSD_STRING, ""
    cut = text.rindex('"@')
    return "literal", _unescape(text[1:cut]), RDF_LANGSTRING, text[cut + 2:]


def object_term(obj: str):
    r"""An N-Triples object as an rdflib term (its escapes read).

    Examples
    --------
    >>> object_term('"a\\tb"@en'), object_term('<http://e.org/a>')
    (rdflib.term.Literal('a\tb', lang='en'), rdflib.term.URIRef('http://e.org/a'))
    """
    kind, lexical, datatype, language = parse_object(obj)
    if kind == "iri":
        return URIRef(lexical)
    if kind == "bnode":
        return BNode(lexical)
    if language:
        return Literal(lexical, lang=language)
    return Literal(lexical, datatype=None if datatype == XSD_STRING else URIRef(datatype))
