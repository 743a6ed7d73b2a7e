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
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .clock import Clock
from .jsonld import jsonld_run_file, object_form, value_forms
from .ntriples import term_text
from .rdf import BASE, GRAPH, NAMESPACES, ONTOLOGY_GRAPH, REGISTRY_GRAPH
from .runs import RunFile, run_starts, write_runs

__all__ = ["RDF_FILES", "LineCounts", "Merge", "Quads", "Written", "count_lines", "distinct_triples", "merged_graph", "nquads_lines", "split_graphs", "write_rdf"]

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

    lines: list[str]  # the graph's distinct triples, sorted, as N-Triples lines
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

    graph_starts: list[int]  # where a quad's graph is not the one of the quad before: a new TriG block
    triples: list[str]  # N-Triples lines, sorted: the merge, as kg.nt holds it
    sizes: Counter  # the number of quads in each graph


def distinct_triples(lines: list[str]) -> Merge:
    """:func:`split_graphs`, with where the lines' graph changes."""
    graph_starts: list[int] = []
    triples: list[str] = []
    sizes: Counter = Counter()
    previous = previous_graph = None
    for index, line in enumerate(lines):
        cut = line.rindex(" <")  # the graph is the last term, an IRI, which holds no spaces
        graph = line[cut + 2:-4]
        sizes[graph] += 1
        if graph != previous_graph:
            graph_starts.append(index)
            previous_graph = graph
        triple = line[:cut]
        if triple != previous:
            triples.append(triple + " .\n")
            previous = triple
    return Merge(graph_starts, triples, sizes)


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


@dataclass
class LineCounts:
    """What one pass over sorted N-Triples lines counts, for VoID and for the JSON-LD context."""

    subjects: int  # distinct subjects
    forms: Counter  # (predicate as "<IRI>", form of the object) -> triples
    classes: Counter  # class IRI -> instances (rdf:type triples)
    subject_starts: list[int]  # where each subject's lines start

    def properties(self) -> Counter:
        """Triples per property (IRI)."""
        found: Counter = Counter()
        for (predicate, _form_), count in self.forms.items():
            found[predicate[1:-1]] += count
        return found


def count_lines(triple_lines: list[str]) -> LineCounts:
    """:class:`LineCounts` of sorted N-Triples lines (each subject's lines are neighbours)."""
    rdf_type = f"<{RDF.type}>"
    subjects, previous = 0, None
    forms: Counter = Counter()
    classes: Counter = Counter()
    starts: list[int] = []
    for index, line in enumerate(triple_lines):
        subject, predicate, rest = line.split(" ", 2)
        if subject != previous:
            starts.append(index)
            subjects, previous = subjects + 1, subject
        forms[predicate, object_form(rest[:-3])] += 1
        if predicate == rdf_type:
            classes[rest[1:rest.index(">")]] += 1
    return LineCounts(subjects, forms, classes, starts)


def _void_lines(counts: LineCounts, triples: int, graph_sizes: dict[str, int], documents: list[str]) -> list[str]:
    """The VoID description of the graph, as sorted N-Triples lines."""
    lines: set[str] = set()

    def add(subject, predicate, obj) -> None:
        lines.add(f"{term_text(subject)} {term_text(predicate)} {term_text(obj)} .\n")

    def integer(number: int) -> Literal:
        return Literal(number, datatype=XSD.integer)

    ds = URIRef(BASE + "dataset")
    add(ds, RDF.type, VOID.Dataset)
    add(ds, DCTERMS.title, Literal("faction-kg: armed groups, people and claimed events, with evidence", lang="en"))
    add(ds, DCTERMS.description, Literal(
        "Hand-curated knowledge graph in which every fact cites its source document and a verbatim quote.", lang="en"))
    add(ds, VOID.uriSpace, Literal(BASE))
    add(ds, VOID.vocabulary, URIRef(PREFIXES["kg"]))
    properties = counts.properties()
    add(ds, VOID.triples, integer(triples))
    add(ds, VOID.distinctSubjects, integer(counts.subjects))
    add(ds, VOID.properties, integer(len(properties)))
    for name in ("kg.ttl", "kg.nt", "kg.jsonld", "kg.trig"):
        add(ds, VOID.dataDump, URIRef(BASE + "dump/" + name))
    for doc_id in documents:
        add(ds, DCTERMS.source, NAMESPACES["doc"][doc_id])
    for cls, count in sorted(counts.classes.items()):
        part = URIRef(f"{BASE}dataset/class/{_short_name(cls)}")
        add(ds, VOID.classPartition, part)
        add(part, VOID["class"], URIRef(cls))
        add(part, VOID.entities, integer(count))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{BASE}dataset/property/{_short_name(prop)}")
        add(ds, VOID.propertyPartition, part)
        add(part, VOID.property, URIRef(prop))
        add(part, VOID.triples, integer(count))
    for graph_iri, size in sorted(graph_sizes.items()):
        subset = URIRef(f"{BASE}dataset/graph/{graph_iri.rsplit('/', 1)[-1]}")
        add(ds, VOID.subset, subset)
        add(subset, RDF.type, VOID.Dataset)
        add(subset, DCTERMS.identifier, Literal(graph_iri))
        add(subset, VOID.triples, integer(size))
        if graph_iri not in (str(REGISTRY_GRAPH), str(ONTOLOGY_GRAPH)) and graph_iri.startswith(str(GRAPH)):
            add(subset, DCTERMS.source, NAMESPACES["doc"][graph_iri[len(str(GRAPH)):]])
    return sorted(lines)


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
    N-Triples is those lines as they are. TriG, Turtle and JSON-LD are
    written run by run (:mod:`graph.runs`): Oxigraph parses and writes only
    the runs the last build did not write. ``clock`` times each step.
    """
    clock = clock or Clock()
    with clock("export.sort"):
        graph_starts, triple_lines, graph_sizes = merge or distinct_triples(lines)
    with clock("export.kg.trig"):
        _write_runs(folder / "kg.trig", lines, graph_starts, ox.RdfFormat.TRIG, TURTLE_PREFIXES)
    with clock("export.kg.nt"):
        merge_digest = _write_lines(folder / "kg.nt", triple_lines)
    with clock("export.count"):
        counts = count_lines(triple_lines)
    with clock("export.kg.ttl+jsonld"):
        _write_turtle_and_jsonld(folder, triple_lines, counts)
    with clock("export.void.ttl"):
        void_lines = _void_lines(counts, len(triple_lines), graph_sizes, documents)
        _write(folder / "void.ttl", ox.parse("".join(void_lines), format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE,
               {**TURTLE_PREFIXES, "void": str(VOID)})
    return Written(lines=triple_lines, graphs=len(graph_sizes), merge_digest=merge_digest)


def _prefix_lines(fmt: ox.RdfFormat, prefixes: dict) -> bytes:
    """The @prefix lines Oxigraph writes in ``fmt`` before the first statement, sorted."""
    term = ox.NamedNode("s:s")
    statement = ox.Quad(term, term, term, term) if fmt == ox.RdfFormat.TRIG else ox.Triple(term, term, term)
    written = ox.serialize([statement], format=fmt, prefixes=prefixes).splitlines(keepends=True)
    return b"".join(sorted(line for line in written if line.startswith(b"@prefix ")))


def _without_prefixes(written: bytes) -> bytes:
    return b"".join(line for line in written.splitlines(keepends=True) if not line.startswith(b"@prefix "))


def _runs_file(path: Path, fmt: ox.RdfFormat, prefixes: dict, empty: bool) -> RunFile:
    """``path`` as a :class:`~graph.runs.RunFile` of ``fmt``: its @prefix lines once, sorted, at its head."""
    context = json.dumps([fmt.file_extension, sorted(prefixes.items())])
    return RunFile(path, fmt.file_extension, context, b"" if empty else _prefix_lines(fmt, prefixes))


def _write_runs(path: Path, lines: list[str], cuts: list[int], fmt: ox.RdfFormat, prefixes: dict) -> int:
    """Write sorted N-Quads (TriG) or N-Triples (Turtle) ``lines`` in ``fmt`` run by run; return the runs made.

    ``cuts`` are where ``fmt`` starts afresh: a new graph's block in TriG, a
    new subject in Turtle. Each run is what Oxigraph writes of its lines,
    without the @prefix lines, which the file has once, sorted, at its head:
    the whole is what Oxigraph writes of all the lines (tests/test_runs.py).
    """
    source = ox.RdfFormat.N_QUADS if fmt == ox.RdfFormat.TRIG else ox.RdfFormat.N_TRIPLES

    def make(text: str, _wanted: list[int]) -> dict[int, bytes]:
        return {0: (_without_prefixes(ox.serialize(ox.parse(text, format=source), format=fmt, prefixes=prefixes)), None)}

    return write_runs(lines, run_starts(lines, cuts), [_runs_file(path, fmt, prefixes, not lines)], make)


def _write_turtle_and_jsonld(folder: Path, lines: list[str], counts: LineCounts) -> int:
    """kg.ttl and kg.jsonld from the same runs of subjects: a run that either lacks is parsed once for both."""
    turtle = _runs_file(folder / "kg.ttl", ox.RdfFormat.TURTLE, TURTLE_PREFIXES, not lines)
    jsonld, nodes = jsonld_run_file(folder / "kg.jsonld", value_forms(lines, counts.forms))

    def make(text: str, wanted: list[int]) -> dict[int, bytes]:
        triples = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
        made = {1: nodes(triples)} if 1 in wanted else {}
        if 0 in wanted:
            turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
            made[0] = (_without_prefixes(turtle), None)
        return made

    return write_runs(lines, run_starts(lines, counts.subject_starts), [turtle, jsonld], make)


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
