"""Serialize the graph: Turtle, N-Triples, JSON-LD, TriG and a VoID description.

Output is deterministic: the same sources give byte-identical files, whatever
the hash seed. N-Triples lines are sorted; the other serializers are fed
triples in a fixed order.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .rdf import BASE, GRAPH, NAMESPACES, ONTOLOGY_GRAPH, REGISTRY_GRAPH

__all__ = ["RDF_FILES", "to_rdflib", "write_rdf", "jsonld_context"]

VOID = Namespace("http://rdfs.org/ns/void#")
RDF_FILES = ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig", "void.ttl")


def to_rdflib(quads) -> tuple[Dataset, Graph]:
    """Build the named-graph dataset and the union graph from quads."""
    dataset = Dataset()
    union = Graph()
    graphs: dict[URIRef, Graph] = {}
    for prefix, namespace in NAMESPACES.items():
        union.bind(prefix, namespace)
        dataset.bind(prefix, namespace)
    for s, p, o, g in quads:
        named = graphs.get(g)
        if named is None:
            named = graphs[g] = dataset.graph(g)
        named.add((s, p, o))
        union.add((s, p, o))
    return dataset, union


def jsonld_context() -> dict:
    """The compact, explicit JSON-LD context: prefixes plus typed terms."""
    context: dict = {prefix: str(ns) for prefix, ns in NAMESPACES.items()}
    context["@base"] = BASE
    return context


def _canonical_json(value):
    """Sort every JSON-LD array: without @list they are sets, and rdflib's order varies."""
    if isinstance(value, dict):
        return {key: _canonical_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def _sorted_ntriples(graph: Graph) -> str:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "\n".join(sorted(set(line for line in lines if line.strip()))) + "\n"


def _canonical(graph: Graph) -> Graph:
    """A copy with triples inserted in sorted order, for stable serializer output."""
    ordered = Graph()
    for prefix, namespace in graph.namespaces():
        ordered.bind(prefix, namespace, replace=True)
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        ordered.add(triple)
    return ordered


def _trig(dataset: Dataset) -> str:
    """TriG with the named graphs in IRI order (rdflib's own TriG writer orders them by hash)."""
    header: list[str] = []
    blocks: list[str] = []
    for named in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(named):
            continue
        graph = Graph()
        for prefix, namespace in NAMESPACES.items():
            graph.bind(prefix, namespace)
        for triple in sorted(named, key=lambda t: tuple(x.n3() for x in t)):
            graph.add(triple)
        lines = graph.serialize(format="turtle").splitlines()
        prefixes = [line for line in lines if line.startswith("@prefix")]
        # No re-indentation: it would change multi-line literals.
        body = [line for line in lines if not line.startswith("@prefix")]
        header = sorted(set(header) | set(prefixes))
        blocks.append(f"<{named.identifier}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(header) + "\n\n" + "\n".join(blocks)


def _void(union: Graph, dataset: Dataset, documents: list[str]) -> Graph:
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
    void.add((ds, VOID.vocabulary, URIRef(str(NAMESPACES["kg"]))))
    void.add((ds, VOID.triples, Literal(len(union), datatype=XSD.integer)))
    subjects = set(union.subjects())
    void.add((ds, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    void.add((ds, VOID.properties, Literal(len(set(union.predicates())), datatype=XSD.integer)))
    for name in ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig"):
        void.add((ds, VOID.dataDump, URIRef(BASE + "dump/" + name)))
    for doc_id in documents:
        void.add((ds, DCTERMS.source, NAMESPACES["doc"][doc_id]))
    classes = Counter(o for o in union.objects(None, RDF.type))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{BASE}dataset/class/{_digest_name(cls)}")
        void.add((ds, VOID.classPartition, part))
        void.add((part, VOID["class"], cls))
        void.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    properties = Counter(p for p in union.predicates())
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{BASE}dataset/property/{_digest_name(prop)}")
        void.add((ds, VOID.propertyPartition, part))
        void.add((part, VOID.property, prop))
        void.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(context):
            continue
        subset = URIRef(f"{BASE}dataset/graph/{str(context.identifier).rsplit('/', 1)[-1]}")
        void.add((ds, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, DCTERMS.identifier, Literal(str(context.identifier))))
        void.add((subset, VOID.triples, Literal(len(context), datatype=XSD.integer)))
        if context.identifier not in (REGISTRY_GRAPH, ONTOLOGY_GRAPH) and str(context.identifier).startswith(str(GRAPH)):
            doc_id = str(context.identifier)[len(str(GRAPH)):]
            void.add((subset, DCTERMS.source, NAMESPACES["doc"][doc_id]))
    return void


def _digest_name(term: URIRef) -> str:
    text = str(term)
    for prefix, namespace in NAMESPACES.items():
        if text.startswith(str(namespace)):
            return f"{prefix}-{text[len(str(namespace)):]}"
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def write_rdf(dataset: Dataset, union: Graph, documents: list[str], folder: Path) -> dict[str, int]:
    """Write the four RDF files and void.ttl into ``folder``; return triple counts."""
    canonical = _canonical(union)
    (folder / "kg.nt").write_text(_sorted_ntriples(union), encoding="utf-8")
    (folder / "kg.ttl").write_bytes(canonical.serialize(format="turtle", encoding="utf-8"))
    context = jsonld_context()
    jsonld = _canonical_json(json.loads(canonical.serialize(format="json-ld", context=context, encoding="utf-8")))
    (folder / "kg.jsonld").write_text(json.dumps(jsonld, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "kg.trig").write_text(_trig(dataset), encoding="utf-8")
    void = _void(union, dataset, documents)
    (folder / "void.ttl").write_bytes(_canonical(void).serialize(format="turtle", encoding="utf-8"))
    return {"triples": len(union), "graphs": sum(1 for g in dataset.graphs() if len(g))}
