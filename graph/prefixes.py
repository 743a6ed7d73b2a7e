"""The project's namespaces as plain strings, for what needs them without rdflib (``kg query`` starts faster).

:mod:`graph.rdf` makes its rdflib namespaces from these, so there is one list.

Examples
--------
>>> PREFIXES["id"] == BASE + "id/", PREFIXES["kg"]
(True, 'https://example.org/faction-kg/ontology#')
"""

from __future__ import annotations

__all__ = ["BASE", "PREFIXES"]

BASE = "https://example.org/faction-kg/"
PREFIXES = {
    "kg": BASE + "ontology#",
    "id": BASE + "id/",
    "doc": BASE + "document/",
    "fact": BASE + "fact/",
    "evidence": BASE + "evidence/",
    "date": BASE + "date/",
    "membership": BASE + "membership/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefix to namespace IRI, in the order the exports declare them."""
