"""Validate the graph against the SHACL shapes in ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace

from .paths import ontology_dir

__all__ = ["ShaclResult", "validate_graph", "ontology_dir"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class ShaclResult:
    conforms: bool
    violations: int
    text: str


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
    violations = sum(1 for _ in report.subjects(SH.resultSeverity, SH.Violation))
    return ShaclResult(bool(conforms), violations, text)
