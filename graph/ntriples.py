"""Terms in N-Triples syntax: the text the build sorts, exports and validates.

Only what the build's graph holds: IRIs and literals (a plain string, a
language-tagged string or a typed value), never a blank node. A literal's
lexical form escapes the backslash, the double quote, the line feed and the
carriage return, which is all that N-Triples requires; Oxigraph's parser reads
the rest as it is.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

__all__ = ["XSD_STRING", "escaped", "term_text"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def escaped(lexical: str) -> str:
    r"""A literal's lexical form as it goes between the quotes.

    Examples
    --------
    >>> print(escaped('a "b"\\c\nd'))
    a \"b\"\\c\nd
    """
    return lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


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
