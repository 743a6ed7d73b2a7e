"""Serialize the graph: Turtle, N-Triples, JSON-LD, TriG and a VoID description.

The build keeps one rdflib graph, the merge of all named graphs, for SHACL.
Turtle, TriG and N-Triples are written by Oxigraph's serializers (through
pyoxigraph), which are fast enough for a million triples; rdflib's take
minutes there. JSON-LD is written as flattened, prefix-compacted node
objects straight from the sorted triples.

Output is deterministic: the same sources give byte-identical files,
whatever the hash seed: statements are sorted before they are written and
prefix lines are sorted.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .rdf import BASE, GRAPH, NAMESPACES, ONTOLOGY_GRAPH, REGISTRY_GRAPH

__all__ = ["RDF_FILES", "Quads", "to_rdflib", "write_rdf", "jsonld_context"]

VOID = Namespace("http://rdfs.org/ns/void#")
RDF_FILES = ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig", "void.ttl")
PREFIXES = {prefix: str(namespace) for prefix, namespace in NAMESPACES.items()}


class Quads(list):
    """The graph's quads, as rdflib terms, in the order the build produced them."""


def to_rdflib(quads) -> tuple[Quads, Graph]:
    """Keep the quads, and build the merged graph (for SHACL and JSON-LD)."""
    kept = Quads(quads)
    union = Graph()
    for prefix, namespace in NAMESPACES.items():
        union.bind(prefix, namespace)
    union.addN((s, p, o, union) for s, p, o, _graph in kept)
    return kept, union


class _Converter:
    """rdflib terms to pyoxigraph terms, with IRIs and datatypes cached."""

    def __init__(self):
        self.iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = ox.NamedNode(value)
        return node

    def term(self, term):
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            raise ValueError("the graph must not contain blank nodes")
        raise TypeError(f"cannot convert {term!r}")


def _oxigraph_quads(quads: Quads) -> list[ox.Quad]:
    convert = _Converter()
    converted = {ox.Quad(convert.term(s), convert.term(p), convert.term(o), convert.term(g)) for s, p, o, g in quads}
    return sorted(converted, key=str)


def _sorted_prefixes(text: bytes) -> bytes:
    """Oxigraph writes @prefix lines in hash order; sort them, so output is stable."""
    lines = text.split(b"\n")
    count = 0
    while count < len(lines) and lines[count].startswith(b"@prefix "):
        count += 1
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def jsonld_context() -> dict:
    """The compact, explicit JSON-LD context: the prefixes and the base."""
    context: dict = dict(PREFIXES)
    context["@base"] = BASE
    return context


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for prefix, namespace in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _jsonld(triples: list[ox.Triple], path: Path) -> None:
    """Write flattened JSON-LD, compacted with the prefix context: one node object per subject.

    Written directly from the sorted triples: rdflib's JSON-LD serializer needs
    minutes for a million triples and Oxigraph's does not compact. The
    triples are sorted, so each subject's are contiguous and one node at a
    time is held in memory. Every value is an array of value objects, which
    any JSON-LD processor expands back to the same triples (a test parses the
    file with rdflib and with pyoxigraph).
    """
    # Longest namespace first, so that the most specific prefix wins.
    namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
    rdf_type = str(RDF.type)
    with path.open("w", encoding="utf-8") as out:
        context = json.dumps(jsonld_context(), indent=1, ensure_ascii=False).replace("\n", "\n ")
        out.write('{\n "@context": ' + context + ',\n "@graph": [')
        node: dict | None = None
        subject = None
        first = True

        def flush() -> None:
            nonlocal first
            if node is not None:
                out.write(("\n  " if first else ",\n  ") + json.dumps(node, ensure_ascii=False))
                first = False

        for triple in triples:
            if triple.subject.value != subject:
                flush()
                subject = triple.subject.value
                node = {"@id": _compact(subject, namespaces)}
            obj = triple.object
            if triple.predicate.value == rdf_type:
                node.setdefault("@type", []).append(_compact(obj.value, namespaces))
                continue
            if isinstance(obj, ox.NamedNode):
                value = {"@id": _compact(obj.value, namespaces)}
            elif obj.language:
                value = {"@value": obj.value, "@language": obj.language}
            elif obj.datatype.value != XSD_STRING:
                value = {"@value": obj.value, "@type": _compact(obj.datatype.value, namespaces)}
            else:
                value = {"@value": obj.value}
            node.setdefault(_compact(triple.predicate.value, namespaces), []).append(value)
        flush()
        out.write("\n ]\n}\n")


def _void(triples: list[ox.Triple], graph_sizes: dict[str, int], documents: list[str]) -> Graph:
    void = Graph()
    void.bind("void", VOID)
    void.bind("dcterms", DCTERMS)
    for prefix, namespace in NAMESPACES.items():
        void.bind(prefix, namespace)
    ds = URIRef(BASE + "dataset")
    void.add((ds, RDF.type, VOID.Dataset))
    void.add((ds, DCTERMS.title, Literal("faction-kg: armed groups, people and claimed events, with evidence", lang="en")))
    void.add((ds, DCTERMS.description, Literal(
        "Hand-curated knowledge graph in which every fact cites its source document and a verbatim quote.", lang="en")))
    void.add((ds, VOID.uriSpace, Literal(BASE)))
    void.add((ds, VOID.vocabulary, URIRef(PREFIXES["kg"])))
    void.add((ds, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    void.add((ds, VOID.distinctSubjects, Literal(len({t.subject for t in triples}), datatype=XSD.integer)))
    properties = Counter(t.predicate.value for t in triples)
    void.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for name in ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig"):
        void.add((ds, VOID.dataDump, URIRef(BASE + "dump/" + name)))
    for doc_id in documents:
        void.add((ds, DCTERMS.source, NAMESPACES["doc"][doc_id]))
    rdf_type = str(RDF.type)
    classes = Counter(t.object.value for t in triples if t.predicate.value == rdf_type)
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{BASE}dataset/class/{_short_name(cls)}")
        void.add((ds, VOID.classPartition, part))
        void.add((part, VOID["class"], URIRef(cls)))
        void.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{BASE}dataset/property/{_short_name(prop)}")
        void.add((ds, VOID.propertyPartition, part))
        void.add((part, VOID.property, URIRef(prop)))
        void.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    for graph_iri, size in sorted(graph_sizes.items()):
        subset = URIRef(f"{BASE}dataset/graph/{graph_iri.rsplit('/', 1)[-1]}")
        void.add((ds, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, DCTERMS.identifier, Literal(graph_iri)))
        void.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
        if graph_iri not in (str(REGISTRY_GRAPH), str(ONTOLOGY_GRAPH)) and graph_iri.startswith(str(GRAPH)):
            void.add((subset, DCTERMS.source, NAMESPACES["doc"][graph_iri[len(str(GRAPH)):]]))
    return void


def _short_name(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}-{iri[len(namespace):]}"
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _write(path: Path, statements, fmt: ox.RdfFormat, prefixes: dict | None = None) -> None:
    data = ox.serialize(statements, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(statements, format=fmt)
    path.write_bytes(_sorted_prefixes(data) if prefixes else data)


def write_rdf(quads: Quads, documents: list[str], folder: Path) -> dict[str, int]:
    """Write the four RDF files and void.ttl into ``folder``; return triple counts."""
    ordered_quads = _oxigraph_quads(quads)
    _write(folder / "kg.trig", ordered_quads, ox.RdfFormat.TRIG, PREFIXES)
    graph_sizes = Counter(q.graph_name.value for q in ordered_quads)
    triples = sorted({q.triple for q in ordered_quads}, key=str)
    del ordered_quads  # a million quads: free them before the next copies
    _write(folder / "kg.nt", triples, ox.RdfFormat.N_TRIPLES)
    _write(folder / "kg.ttl", triples, ox.RdfFormat.TURTLE, PREFIXES)
    _jsonld(triples, folder / "kg.jsonld")
    void = _void(triples, graph_sizes, documents)
    void_quads = Quads((s, p, o, URIRef(BASE + "dataset")) for s, p, o in void)
    _write(folder / "void.ttl", [q.triple for q in _oxigraph_quads(void_quads)], ox.RdfFormat.TURTLE,
           {**PREFIXES, "void": str(VOID)})
    return {"triples": len(triples), "graphs": len(graph_sizes)}
