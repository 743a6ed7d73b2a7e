"""Serialize the graph: Turtle, N-Triples, JSON-LD, TriG and a VoID description.

The build writes the graph as N-Quads text, deduplicated and sorted as strings
(:func:`graph.rdf.corpus_nquads`). Oxigraph (through pyoxigraph) parses that
text once, and its serializers turn the quads into TriG, N-Triples and Turtle:
fast enough for a million triples, where rdflib's take minutes.
JSON-LD is written as flattened node objects straight from the sorted
triples, with a context that coerces each property's commonest form of value
(IRI, datatype or language), so most values are plain JSON.
``merged_graph`` makes the rdflib graph pySHACL reads.

Output is deterministic: the same sources give byte-identical files,
whatever the hash seed: statements are sorted before they are written and
prefix lines are sorted.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .clock import Clock
from .ntriples import XSD_STRING, term_text
from .rdf import BASE, GRAPH, NAMESPACES, ONTOLOGY_GRAPH, REGISTRY_GRAPH

__all__ = ["RDF_FILES", "Merge", "Quads", "Written", "distinct_triples", "merged_graph", "nquads_lines", "split_graphs", "write_rdf", "jsonld_context",
           "value_forms"]

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


@dataclass
class Written:
    """What :func:`write_rdf` wrote the files from."""

    triples: list[ox.Triple]  # the graph's distinct triples, sorted, as Oxigraph parsed them
    lines: list[str]  # the same triples as N-Triples lines
    graphs: int  # how many named graphs hold them
    merge_digest: str = ""  # the SHA-256 of kg.nt, which is those lines


def merged_graph(quads: Quads) -> Graph:
    """The merge of the quads' graphs as one rdflib graph (for pySHACL, which reads rdflib)."""
    merged = Graph()
    for prefix, namespace in NAMESPACES.items():
        merged.bind(prefix, namespace)
    merged.addN((s, p, o, merged) for s, p, o, _graph in quads)
    return merged


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
            written = texts[id(term)] = term_text(term)
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
    merge = distinct_triples(lines)
    return merge.triples, merge.sizes


class Merge(NamedTuple):
    """The distinct triples of sorted N-Quads lines (:func:`distinct_triples`)."""

    firsts: list[int]  # the index of each triple's first quad among the lines
    triples: list[str]  # N-Triples lines, sorted: the merge, as kg.nt holds it
    sizes: Counter  # the number of quads in each graph


def distinct_triples(lines: list[str]) -> Merge:
    """:func:`split_graphs`, with the index of each triple's first quad among ``lines``."""
    firsts: list[int] = []
    triples: list[str] = []
    sizes: Counter = Counter()
    previous = None
    for index, line in enumerate(lines):
        cut = line.rindex(" <")  # the graph is the last term, an IRI, which holds no spaces
        sizes[line[cut + 2:-4]] += 1
        triple = line[:cut]
        if triple != previous:
            firsts.append(index)
            triples.append(triple + " .\n")
            previous = triple
    return Merge(firsts, triples, sizes)


def _sort_prefix_lines(path: Path) -> None:
    """Oxigraph writes @prefix lines in hash order; sort them in place, so output is stable.

    The file is written first and only its first lines are rewritten (the
    same lines, so the same length): a million-triple file is never held in
    memory.
    """
    with path.open("r+b") as file:
        head: list[bytes] = []
        while (line := file.readline()).startswith(b"@prefix "):
            head.append(line)
        ends_in_newline = bool(head) and head[-1].endswith(b"\n")
        file.seek(0)
        file.write(b"\n".join(sorted(line.rstrip(b"\n") for line in head)) + (b"\n" if ends_in_newline else b""))


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
#: Literals that JSON writes natively: a plain string is xsd:string, a whole number xsd:integer, true xsd:boolean.
NATIVE_TYPES = (XSD_STRING, XSD_NS + "integer", XSD_NS + "boolean")
#: Datatypes whose canonical values a JSON number can carry (through the context's coercion).
INTEGER_TYPES = frozenset(XSD_NS + name for name in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long"))
_SAFE_INTEGER = 2 ** 53  # beyond this, JavaScript's JSON-LD processors lose digits


def _form(obj: str) -> str:
    """The form of an N-Triples object: ``@id``, its datatype IRI, or ``@`` and its language tag."""
    if obj[0] == "<":
        return "@id"
    if obj[-1] == ">":
        return obj[obj.rindex("^^<") + 3:-1]
    if obj[-1] == '"':
        return XSD_STRING
    return obj[obj.rindex('"@') + 1:]


def value_forms(triple_lines: list[str]) -> dict[str, str]:
    r"""For each predicate, the commonest form of its objects (ties: the smallest), from N-Triples lines.

    A form is ``@id`` (an IRI), a datatype IRI, or ``@`` and a language tag.
    Read from the text, which is quicker than parsing it once more.

    Examples
    --------
    >>> lines = ['<s:a> <s:p> "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n', '<s:a> <s:p> <s:b> .\n',
    ...          '<s:b> <s:p> "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .\n', '<s:b> <s:q> "x"@en .\n']
    >>> value_forms(lines)
    {'s:p': 'http://www.w3.org/2001/XMLSchema#date', 's:q': '@en'}
    """
    counts = Counter((predicate, _form(rest[:-3])) for _subject, predicate, rest in
                     (line.split(" ", 2) for line in triple_lines))
    best: dict[str, tuple[int, str]] = {}
    for (predicate, form), count in counts.items():
        key = (-count, form)
        if predicate not in best or key < best[predicate]:
            best[predicate] = key
    return {predicate[1:-1]: best[predicate][1] for predicate in sorted(best)}


def jsonld_context(forms: dict[str, str] | None = None) -> dict:
    """The JSON-LD context: the prefixes, the base, and a term for each predicate whose values it coerces.

    ``forms`` (from :func:`value_forms`) gives each predicate's commonest
    form. A predicate whose values are IRIs is coerced to ``@id``, one whose
    values are dates (or other datatypes) to that datatype, one whose values
    are in one language to that language; so those values are written as
    plain JSON strings and numbers. Strings, whole numbers and booleans need
    no term: JSON holds them natively.

    Examples
    --------
    >>> context = jsonld_context({PREFIXES["kg"] + "earliest": XSD_NS + "date", PREFIXES["kg"] + "status": "@id",
    ...                           PREFIXES["kg"] + "gist": "@en", PREFIXES["kg"] + "quote": XSD_STRING})
    >>> context["kg:earliest"], context["kg:status"], context["kg:gist"], "kg:quote" in context
    ({'@type': 'xsd:date'}, {'@type': '@id'}, {'@language': 'en'}, False)
    """
    context: dict = dict(PREFIXES)
    context["@base"] = BASE
    namespaces = _by_length(PREFIXES)
    for predicate, form in sorted((forms or {}).items()):
        if form in NATIVE_TYPES or predicate == str(RDF.type):
            continue
        if form == "@id":
            coercion = {"@type": "@id"}
        elif form.startswith("@"):
            coercion = {"@language": form[1:]}
        else:
            coercion = {"@type": _compact(form, namespaces)}
        context[_compact(predicate, namespaces)] = coercion
    return context


def _by_length(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    """Longest namespace first, so that the most specific prefix wins."""
    return sorted(prefixes.items(), key=lambda item: -len(item[1]))


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


def _number(lexical: str) -> int | None:
    """A canonical integer lexical form as a JSON-safe number, else ``None``."""
    try:
        number = int(lexical)
    except ValueError:
        return None
    return number if str(number) == lexical and abs(number) < _SAFE_INTEGER else None


def _value(obj, coerced: str | None, namespaces, vocabulary):
    """A triple's object as JSON-LD: plain where the predicate's coercion (or JSON itself) says what it is."""
    if isinstance(obj, ox.NamedNode):
        iri = _compact(obj.value, namespaces)
        return iri if coerced == "@id" else {"@id": iri}
    if obj.language:
        return obj.value if coerced == "@" + obj.language else {"@value": obj.value, "@language": obj.language}
    datatype = obj.datatype.value
    if datatype == coerced:
        number = _number(obj.value) if datatype in INTEGER_TYPES else None
        return obj.value if number is None else number
    if coerced is None:  # a plain JSON string, number or boolean keeps its own type
        if datatype == XSD_STRING:
            return obj.value
        if datatype == NATIVE_TYPES[1] and _number(obj.value) is not None:
            return _number(obj.value)
        if datatype == NATIVE_TYPES[2] and obj.value in ("true", "false"):
            return obj.value == "true"
    if datatype == XSD_STRING:
        return {"@value": obj.value}
    return {"@value": obj.value, "@type": vocabulary[datatype]}


def _jsonld(triples, forms: dict[str, str], path: Path) -> None:
    """Write flattened JSON-LD, compacted by :func:`jsonld_context`: one node object per subject.

    Written directly from the sorted triples: rdflib's JSON-LD serializer needs
    minutes for a million triples and Oxigraph's does not compact. The
    triples are sorted, so each subject's are contiguous and one node at a
    time is held in memory. A property with one value has it bare, with
    several a list. A value that its predicate's coercion does not describe
    is written as a full value object, so any JSON-LD processor expands the
    file back to the same triples (a test expands it with pyld, and parses it
    with rdflib and with pyoxigraph).
    """
    namespaces = _by_length(PREFIXES)
    vocabulary = _Compactor(namespaces)
    context = jsonld_context(forms)
    coercions = {predicate: None if form in NATIVE_TYPES else form for predicate, form in forms.items()}
    rdf_type = str(RDF.type)
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "@context": ' + json.dumps(context, indent=1, ensure_ascii=False).replace("\n", "\n ")
                  + ',\n "@graph": [')
        node: dict | None = None
        subject = None
        first = True

        def flush() -> None:
            nonlocal first
            if node is not None:
                single = {key: values[0] if isinstance(values, list) and len(values) == 1 else values
                          for key, values in node.items()}
                out.write(("\n  " if first else ",\n  ") + json.dumps(single, ensure_ascii=False))
                first = False

        for triple in triples:
            if triple.subject.value != subject:
                flush()
                subject = triple.subject.value
                node = {"@id": _compact(subject, namespaces)}
            predicate = triple.predicate.value
            if predicate == rdf_type and isinstance(triple.object, ox.NamedNode):
                node.setdefault("@type", []).append(vocabulary[triple.object.value])
                continue
            value = _value(triple.object, coercions.get(predicate), namespaces, vocabulary)
            node.setdefault(vocabulary[predicate], []).append(value)
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
    if prefixes:
        ox.serialize(statements, str(path), format=fmt, prefixes=prefixes)
        _sort_prefix_lines(path)
    else:
        ox.serialize(statements, str(path), format=fmt)


def write_rdf(lines: list[str], documents: list[str], folder: Path, clock: Clock | None = None,
              merge: Merge | None = None) -> Written:
    """Write the four RDF files and void.ttl into ``folder`` from the graph's N-Quads lines.

    ``lines`` are the distinct quads, sorted (:func:`graph.rdf.corpus_nquads`);
    ``merge`` is their :func:`distinct_triples`, if the caller has it.
    Oxigraph parses them once: TriG is written from the quads as they are
    parsed, and N-Triples, Turtle and JSON-LD from the distinct triples among
    them, which are kept. ``clock`` times each step (the parse is in TriG's).
    """
    clock = clock or Clock()
    with clock("export.sort"):
        firsts, triple_lines, graph_sizes = merge or distinct_triples(lines)
    with clock("export.kg.trig"):
        triples: list[ox.Triple] = []
        quads = ox.parse("".join(lines), format=ox.RdfFormat.N_QUADS)
        _write(folder / "kg.trig", _keeping_triples(quads, firsts, triples), ox.RdfFormat.TRIG, TURTLE_PREFIXES)
        del quads, firsts
    with clock("export.kg.nt"):
        merge_digest = _write_lines(folder / "kg.nt", triple_lines)
    with clock("export.kg.ttl"):
        _write(folder / "kg.ttl", triples, ox.RdfFormat.TURTLE, TURTLE_PREFIXES)
    with clock("export.kg.jsonld"):
        _jsonld(triples, value_forms(triple_lines), folder / "kg.jsonld")
    with clock("export.void.ttl"):
        void = _void(triple_lines, graph_sizes, documents)
        void_lines, _sizes = split_graphs(nquads_lines([(s, p, o, URIRef(BASE + "dataset")) for s, p, o in void]))
        _write(folder / "void.ttl", ox.parse("".join(void_lines), format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE,
               {**TURTLE_PREFIXES, "void": str(VOID)})
    return Written(triples=triples, lines=triple_lines, graphs=len(graph_sizes), merge_digest=merge_digest)


def _write_lines(path: Path, lines: list[str], slice_lines: int = 100_000) -> str:
    """Write the lines a slice at a time, and return the SHA-256 of the file.

    The build's lines are N-Triples as Oxigraph writes them (tests/test_rdf.py
    holds kg.nt to Oxigraph's own serialization), so no parse is needed.
    """
    digest = hashlib.sha256()
    with path.open("wb") as file:
        for start in range(0, len(lines), slice_lines):
            data = "".join(lines[start:start + slice_lines]).encode("utf-8")
            digest.update(data)
            file.write(data)
    return digest.hexdigest()


def _keeping_triples(quads, firsts: list[int], kept: list) -> Iterator:
    """The quads, unchanged; meanwhile the triple of each quad whose index is in ``firsts`` (ascending) goes in ``kept``.

    So one parse gives both the quads (for TriG, written as they come, never all held) and the distinct triples.
    """
    wanted = iter(firsts)
    next_index = next(wanted, -1)
    for index, quad in enumerate(quads):
        if index == next_index:
            kept.append(quad.triple)
            next_index = next(wanted, -1)
        yield quad
