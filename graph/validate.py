"""Validate the graph against the SHACL shapes in ``ontology/shapes.ttl``.

:func:`validate_graph` runs pySHACL, the reference engine; the build runs the
same shapes as SPARQL on Oxigraph (:mod:`graph.shacl_sparql`), which gives the
same :class:`ShaclResult` in a fraction of the time (tests/test_shacl_engines.py
holds the two to the same results on a corpus of injected faults).

A violation is traced back to the source: every IRI in the graph is derived
from a fact, an entity, a record or a document the loader read, so
:func:`locate_violations` turns each result into a
:class:`~graph.errors.Problem` at the file and line of the fact behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from .errors import Problem
from .model import Corpus, Node
from .paths import ontology_dir
from .schema import KG

__all__ = ["ShaclResult", "Violation", "validate_graph", "locate_violations", "ontology_dir", "path_text"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, as text: focus node, path and value IRIs, the message, and the
    source constraint component and severity IRIs."""

    focus: str
    path: str
    value: str
    message: str
    component: str = ""
    severity: str = ""


def path_text(shapes: Graph, path) -> str:
    """A result path as text: an IRI, or a path of several steps in SPARQL syntax (not a blank node's id).

    Examples
    --------
    >>> g = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . [] sh:path (<http://e.org/a> [ sh:inversePath <http://e.org/b> ]) .", format="turtle")
    >>> path_text(g, next(g.objects(None, SH.path)))
    '<http://e.org/a>/^<http://e.org/b>'
    """
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)

    def step(node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in shapes:
            return "/".join(step(member) for member in Collection(shapes, node))
        for name, template in (("inversePath", "^{}"), ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                               ("zeroOrOnePath", "({})?")):
            inner = shapes.value(node, SH[name])
            if inner is not None:
                return template.format(step(inner))
        alternatives = shapes.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(step(member) for member in Collection(shapes, alternatives)) + ")"
        return str(node)

    return step(path)


@dataclass(frozen=True)
class ShaclResult:
    conforms: bool
    violations: int
    text: str
    results: tuple[Violation, ...] = ()


def _violations(report: Graph) -> tuple[Violation, ...]:
    found = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        def value(predicate):
            term = report.value(result, predicate)
            return "" if term is None else str(term)
        found.append(Violation(value(SH.focusNode), path_text(report, report.value(result, SH.resultPath)),
                               value(SH.value), value(SH.resultMessage), value(SH.sourceConstraintComponent),
                               value(SH.resultSeverity)))
    return tuple(sorted(found))


def validate_graph(data: Graph, shapes_path: Path | None = None, ontology_path: Path | None = None,
                   *, mix_in_ontology: bool = True) -> ShaclResult:
    """Run pySHACL on the data with the ontology mixed in, so subclasses count.

    Examples
    --------
    >>> from rdflib import Graph
    >>> validate_graph(Graph()).conforms
    True
    """
    import pyshacl  # imported here: it is slow to import and only the build needs it

    folder = ontology_dir()
    shapes = Graph().parse(shapes_path or folder / "shapes.ttl", format="turtle")
    # pySHACL's ont_graph copies only class and property axioms; the role and
    # status individuals matter too, so the whole ontology is mixed in. The
    # build's graph already carries it (graph/ontology) and skips this copy.
    if mix_in_ontology:
        data = data + Graph().parse(ontology_path or folder / "kg.ttl", format="turtle")
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, inplace=True
    )
    results = _violations(report)
    return ShaclResult(bool(conforms), len(results), text, results)


def _short(iri: str) -> str:
    from .rdf import NAMESPACES

    for prefix, namespace in sorted(NAMESPACES.items(), key=lambda p: -len(str(p[1]))):
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def locate_violations(result: ShaclResult, corpus: Corpus) -> list[Problem]:
    """Each violation of ``result`` at the source file and line of the fact, entity or record behind it.

    Examples
    --------
    >>> from graph.model import Corpus
    >>> result = ShaclResult(False, 1, "", (Violation("https://example.org/x", "", "", "Less than 1 values"),))
    >>> print(locate_violations(result, Corpus({}, {}, {}, [])))  # doctest: +ELLIPSIS
    [Problem(file='the built graph', line=0, message='SHACL: Less than 1 values (focus <https://example.org/x>)', ...)]
    """
    from .rdf import EVIDENCE, fact_iri, node_iri

    where: dict[str, tuple[str, int]] = {}  # an IRI -> the first source position that made it
    by_edge: dict[tuple[str, str, str], tuple[str, int]] = {}
    by_path: dict[tuple[str, str], tuple[str, int]] = {}
    for fact in sorted(corpus.facts, key=lambda f: (f.file, f.line)):
        position = (fact.file, fact.line)
        where.setdefault(str(fact_iri(fact)), position)
        for evidence in fact.evidence:
            where.setdefault(str(EVIDENCE[f"{evidence.document}/{evidence.start}-{evidence.end}"]), position)
        subject, predicate = str(node_iri(fact.subject)), str(KG[fact.predicate])
        obj = str(node_iri(fact.object)) if isinstance(fact.object, Node) else ""
        by_edge.setdefault((subject, predicate, obj), position)
        by_path.setdefault((subject, predicate), position)
    for entity in corpus.entities.values():
        where.setdefault(str(node_iri(Node("id", entity.id))), (entity.file, entity.line))
    for record in corpus.records.values():
        where.setdefault(str(node_iri(Node("id", record.id))), (record.file, record.line))
    for document in corpus.documents.values():
        where.setdefault(str(node_iri(Node("doc", document.id))), (document.yaml_file, 1))
    problems = []
    for violation in result.results:
        file, line = (by_edge.get((violation.focus, violation.path, violation.value))
                      or by_path.get((violation.focus, violation.path))
                      or where.get(violation.focus)
                      or next((where[violation.focus[:cut]] for cut in _prefix_cuts(violation.focus)
                               if violation.focus[:cut] in where), ("the built graph", 0)))
        detail = ", ".join(part for part in (
            f"focus <{violation.focus}>" if file == "the built graph" else f"{_short(violation.focus)}",
            f"path {_short(violation.path)}" if violation.path else "",
            f"value {_short(violation.value)}" if violation.value else "") if part)
        problems.append(Problem(file, line, f"SHACL: {violation.message} ({detail})",
                                "" if file == "the built graph" else
                                "the shapes in ontology/shapes.ttl require this; check the ids and the types of this fact"))
    return problems


def _prefix_cuts(iri: str):
    """Where to cut a derived IRI (an evidence selector, a date bound) back to the IRI it extends."""
    return [i for i in range(len(iri) - 1, 0, -1) if iri[i] == "/"]
