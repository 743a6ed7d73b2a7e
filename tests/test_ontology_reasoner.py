"""The ontology is OWL 2 DL that a reasoner accepts: HermiT (through owlready2) loads and classifies it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
XSD = "http://www.w3.org/2001/XMLSchema#"
# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdf:langString, RDF 1.1's name for
# a language-tagged string (rdf:PlainLiteral's part that OWL tools read it as).
OWL2_DATATYPES = {XSD + name for name in (
    "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "double", "float",
    "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
    "base64Binary", "anyURI", "dateTime", "dateTimeStamp")} | {
    str(RDFS.Literal), str(RDF.PlainLiteral), str(RDF.XMLLiteral), str(RDF.langString), str(OWL.real),
    str(OWL.rational)}


def datatypes_used(graph: Graph) -> set[str]:
    """Every datatype the ontology names: data property ranges, datatype restrictions and literals' types."""
    used = {str(o) for p in graph.subjects(RDF.type, OWL.DatatypeProperty) for o in graph.objects(p, RDFS.range)}
    used |= {str(o) for o in graph.objects(None, OWL.onDatatype)}
    used |= {str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype is not None}
    used |= {str(RDF.langString) for o in graph.objects() if isinstance(o, Literal) and o.language}
    return used


def test_the_ontology_uses_only_owl2_datatypes():
    used = datatypes_used(Graph().parse(ONTOLOGY))
    assert str(RDFS.Literal) in used and XSD + "boolean" in used
    assert used <= OWL2_DATATYPES, sorted(used - OWL2_DATATYPES)


def test_the_datatype_check_sees_xsd_date():
    graph = Graph().parse(data="""@prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://e.org/p> a owl:DatatypeProperty ; rdfs:range xsd:date .""", format="turtle")
    assert datatypes_used(graph) - OWL2_DATATYPES == {XSD + "date"}


def test_hermit_loads_and_classifies_the_ontology_without_errors(tmp_path):
    owlready2 = pytest.importorskip("owlready2", reason="owlready2 is not installed: pip install -e '.[test]'")
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java: apt-get install -y default-jre-headless")
    path = tmp_path / "kg.owl"
    Graph().parse(ONTOLOGY).serialize(path, format="xml")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)  # raises on a Java error
    assert list(world.inconsistent_classes()) == []
    assert len(list(ontology.classes())) > 30
