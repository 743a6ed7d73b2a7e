"""Serialize the graph: Turtle, N-Triples, JSON-LD, TriG and a VoID description.

The build keeps the quads as rdflib terms. For the files they are written as
N-Quads text, deduplicated and sorted as strings, and Oxigraph's parser and
serializers (through pyoxigraph) turn that text into TriG, N-Triples and
Turtle: fast enough for a million triples, where rdflib's take minutes.
JSON-LD is written as flattened, prefix-compacted node objects straight
from the sorted triples. ``merged_graph`` makes the rdflib graph pySHACL reads.

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

from .clock import Clock
from .rdf import BASE, GRAPH, NAMESPACES, ONTOLOGY_GRAPH, REGISTRY_GRAPH

__all__ = ["RDF_FILES", "Quads", "merged_graph", "nquads_lines", "split_graphs", "write_rdf", "jsonld_context"]

VOID = Namespace("http://rdfs.org/ns/void#")
RDF_FILES = ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig", "void.ttl")
PREFIXES = {prefix: str(namespace) for prefix, namespace in NAMESPACES.items()}
# Local names under these hold a "/" (a fact is ``fact/<document>/<digest>``, a date's instant
# ``date/<date>/hasBeginning``), which a Turtle prefixed name can spell only as "\/": several loaders
# (Virtuoso's among them) keep the backslash. Turtle and TriG write these IRIs in full.
PATH_PREFIXES = ("fact", "evidence", "date")
TURTLE_PREFIXES = {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix not in PATH_PREFIXES}


class Quads(list):
    """The graph's quads, as rdflib terms, in the order the build produced them."""


def merged_graph(quads: Quads) -> Graph:
    """The merge of the quads' graphs as one rdflib graph (for pySHACL, which reads rdflib)."""
    merged = Graph()
    for prefix, namespace in NAMESPACES.items():
        merged.bind(prefix, namespace)
    merged.addN((s, p, o, merged) for s, p, o, _graph in quads)
    return merged


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _escaped(lexical: str) -> str:
    return lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _term_text(term) -> str:
    """An rdflib term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f'"{_escaped(str(term))}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f'"{_escaped(str(term))}"^^<{term.datatype}>'
        return f'"{_escaped(str(term))}"'
    if isinstance(term, BNode):
        raise ValueError("the graph must not contain blank nodes")
    raise TypeError(f"cannot write {term!r} as N-Triples")


def nquads_lines(quads) -> list[str]:
    r"""The quads as N-Quads lines, each once, sorted.

    Text is the cheapest form to sort and to hand to Oxigraph, which parses
    it (checking every IRI) and writes the other formats. The build reuses one
    term object wherever a term repeats (a fact's IRI, a predicate, a
    document's graph), so most terms are written once and then looked up by
    identity; the quads hold every term, so no id is reused meanwhile.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> s, p, g = URIRef("http://e.org/s"), URIRef("http://e.org/p"), URIRef("http://e.org/g")
    >>> lines = nquads_lines([(s, p, Literal('say "hi"', lang="en"), g), (s, p, Literal(2), g), (s, p, Literal(2), g)])
    >>> print("".join(lines), end="")
    <http://e.org/s> <http://e.org/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e.org/g> .
    <http://e.org/s> <http://e.org/p> "say \"hi\""@en <http://e.org/g> .
    """
    quads = quads if isinstance(quads, list) else list(quads)  # alive throughout: an id is never reused
    texts: dict[int, str] = {}

    def text(term) -> str:
        written = texts.get(id(term))
        if written is None:
            written = texts[id(term)] = _term_text(term)
        return written

    return sorted({f"{text(s)} {text(p)} {text(o)} {text(g)} .\n" for s, p, o, g in quads})


def split_graphs(lines: list[str]) -> tuple[list[str], Counter]:
    r"""N-Triples lines of sorted N-Quads lines, each once and still sorted; and the size of each graph.

    No sort is needed: a quad's line is its triple's text, a space, the graph
    and " ."; nothing that can follow a term in N-Triples sorts below a
    space, so the quads of one triple are neighbours and the triples come in
    order.

    Examples
    --------
    >>> lines = sorted(['<s:a> <s:p> "x" <s:g2> .\n', '<s:a> <s:p> "x"@en <s:g1> .\n', '<s:a> <s:p> "x" <s:g1> .\n'])
    >>> triples, sizes = split_graphs(lines)
    >>> print("".join(triples), end="")
    <s:a> <s:p> "x" .
    <s:a> <s:p> "x"@en .
    >>> dict(sizes)
    {'s:g1': 2, 's:g2': 1}
    """
    triples: list[str] = []
    sizes: Counter = Counter()
    previous = None
    for line in lines:
        cut = line.rindex(" <")  # the graph is the last term, an IRI, which holds no spaces
        sizes[line[cut + 2:-4]] += 1
        triple = line[:cut]
        if triple != previous:
            triples.append(triple + " .\n")
            previous = triple
    return triples, sizes


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


def _compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for prefix, namespace in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


class _Compactor(dict):
    """``_compact`` for the few IRIs that repeat (predicates, classes), remembered."""

    def __init__(self, namespaces: list[tuple[str, str]]):
        super().__init__()
        self.namespaces = namespaces

    def __missing__(self, iri: str) -> str:
        compacted = self[iri] = _compact(iri, self.namespaces)
        return compacted


def _jsonld(triples, path: Path) -> None:
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
    vocabulary = _Compactor(namespaces)
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
                node.setdefault("@type", []).append(vocabulary[obj.value])
                continue
            if isinstance(obj, ox.NamedNode):
                value = {"@id": _compact(obj.value, namespaces)}
            elif obj.language:
                value = {"@value": obj.value, "@language": obj.language}
            elif obj.datatype.value != XSD_STRING:
                value = {"@value": obj.value, "@type": vocabulary[obj.datatype.value]}
            else:
                value = {"@value": obj.value}
            node.setdefault(vocabulary[triple.predicate.value], []).append(value)
        flush()
        out.write("\n ]\n}\n")


def _statistics(triple_lines: list[str]) -> tuple[int, Counter, Counter]:
    """Distinct subjects, triples per property and instances per class, from sorted N-Triples lines."""
    rdf_type = f"<{RDF.type}>"
    subjects, previous = 0, None
    properties: Counter = Counter()
    classes: Counter = Counter()
    for line in triple_lines:
        subject, predicate, rest = line.split(" ", 2)
        if subject != previous:  # sorted: each subject's lines are neighbours
            subjects, previous = subjects + 1, subject
        properties[predicate[1:-1]] += 1
        if predicate == rdf_type:
            classes[rest[1:rest.index(">")]] += 1
    return subjects, properties, classes


def _void(triple_lines: list[str], graph_sizes: dict[str, int], documents: list[str]) -> Graph:
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
    subjects, properties, classes = _statistics(triple_lines)
    void.add((ds, VOID.triples, Literal(len(triple_lines), datatype=XSD.integer)))
    void.add((ds, VOID.distinctSubjects, Literal(subjects, datatype=XSD.integer)))
    void.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for name in ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig"):
        void.add((ds, VOID.dataDump, URIRef(BASE + "dump/" + name)))
    for doc_id in documents:
        void.add((ds, DCTERMS.source, NAMESPACES["doc"][doc_id]))
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


def write_rdf(quads: Quads, documents: list[str], folder: Path, clock: Clock | None = None) -> dict[str, int]:
    """Write the four RDF files and void.ttl into ``folder``; return triple counts.

    ``clock`` times each step: sorting the text, then each file.
    """
    clock = clock or Clock()
    with clock("export.sort"):
        lines = nquads_lines(quads)
    with clock("export.kg.trig"):
        _write(folder / "kg.trig", ox.parse("".join(lines), format=ox.RdfFormat.N_QUADS), ox.RdfFormat.TRIG, TURTLE_PREFIXES)
    with clock("export.sort"):
        triple_lines, graph_sizes = split_graphs(lines)
        del lines  # a million lines: free them before the next copies
        ntriples = "".join(triple_lines)
    with clock("export.kg.nt"):
        _write(folder / "kg.nt", ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES)
    with clock("export.kg.ttl"):
        _write(folder / "kg.ttl", ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE, TURTLE_PREFIXES)
    with clock("export.kg.jsonld"):
        _jsonld(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), folder / "kg.jsonld")
    del ntriples
    with clock("export.void.ttl"):
        void = _void(triple_lines, graph_sizes, documents)
        void_lines, _sizes = split_graphs(nquads_lines([(s, p, o, URIRef(BASE + "dataset")) for s, p, o in void]))
        _write(folder / "void.ttl", ox.parse("".join(void_lines), format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE,
               {**TURTLE_PREFIXES, "void": str(VOID)})
    return {"triples": len(triple_lines), "graphs": len(graph_sizes)}
