"""Every graph, table and linked-data file the build writes validates against its format's own schema."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

XSD = Path(__file__).resolve().parent / "data" / "xsd"
SCHEMAS = {"kg.graphml": XSD / "graphml-1.0" / "graphml.xsd", "kg.gexf": XSD / "gexf-1.3" / "gexf.xsd"}


def xmllint(schema: Path, document: Path) -> subprocess.CompletedProcess:
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed: apt-get install -y libxml2-utils")
    # --nonet: every schema this validates against is a local file; nothing is downloaded.
    return subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(schema), str(document)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_graph_files_are_valid_against_their_xml_schema(out_dir, name):
    result = xmllint(SCHEMAS[name], out_dir / name)
    assert result.returncode == 0, result.stderr[:3000]
    assert f"{name} validates" in result.stderr


@pytest.mark.parametrize(("name", "broken", "error"), [
    ("kg.graphml", ('<node id="id:al-nujaba">', '<node id="id/al-nujaba">'), "NMTOKEN"),
    ("kg.gexf", ('mode="dynamic"', 'mode="dynamic" name=""'), "'name' is not allowed"),
    ("kg.gexf", ('version="1.3"', 'version="1.2"'), "version"),
])
def test_the_schemas_reject_what_the_old_files_did(out_dir, tmp_path, name, broken, error):
    """The check can fail: a slash in a GraphML id, and GEXF 1.2's habits, are errors."""
    text = (out_dir / name).read_text(encoding="utf-8")
    assert broken[0] in text
    (tmp_path / name).write_text(text.replace(broken[0], broken[1], 1), encoding="utf-8")
    result = xmllint(SCHEMAS[name], tmp_path / name)
    assert result.returncode != 0 and error in result.stderr


# ---------------------------------------------------------------- JSON-LD


def pyld_graph(document: dict):
    """The RDF graph that pyld (an independent JSON-LD processor) expands ``document`` to."""
    jsonld = pytest.importorskip("pyld.jsonld", reason="PyLD is not installed: pip install -e '.[test]'")
    from rdflib import Graph

    return Graph().parse(data=jsonld.to_rdf(document, {"format": "application/n-quads"}), format="nt")


@pytest.fixture(scope="module")
def jsonld_document(out_dir) -> dict:
    return json.loads((out_dir / "kg.jsonld").read_text(encoding="utf-8"))


def test_pyld_expands_the_jsonld_to_the_same_graph_as_the_ntriples(out_dir, jsonld_document):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    expected = Graph().parse(out_dir / "kg.nt", format="nt")
    expanded = pyld_graph(jsonld_document)
    assert len(expanded) == len(expected) > 5000
    assert isomorphic(expanded, expected)


def test_a_lost_coercion_changes_the_graph(jsonld_document):
    """The comparison sees datatypes: without its term, an offset would be read as an xsd:integer."""
    from rdflib import URIRef

    broken = {**jsonld_document, "@context": {k: v for k, v in jsonld_document["@context"].items() if k != "oa:start"}}
    start = URIRef("http://www.w3.org/ns/oa#start")
    datatypes = {o.datatype for o in pyld_graph(broken).objects(None, start)}
    assert datatypes == {URIRef("http://www.w3.org/2001/XMLSchema#integer")}


def test_the_context_has_the_usual_prefixes_and_values_are_plain(out_dir, jsonld_document):
    context = jsonld_document["@context"]
    assert {"rdf", "rdfs", "xsd", "owl", "skos", "prov", "org", "oa", "dcterms", "schema", "kg"} <= set(context)
    nodes = {node["@id"]: node for node in jsonld_document["@graph"]}
    position = next(n for n in nodes.values() if n.get("@type") == "oa:TextPositionSelector")
    assert isinstance(position["oa:start"], int) and isinstance(position["oa:end"], int)
    month = nodes["date:2020-05"]
    assert (month["kg:earliest"], month["kg:latest"], month["kg:precision"]) == ("2020-05-01", "2020-05-31", "kg:Month")
    nujaba = nodes["id:al-nujaba"]
    assert nujaba["@type"] == "kg:ArmedGroup" and nujaba["skos:prefLabel"] == "Al-Nujaba Movement"
    assert isinstance(nujaba["kg:description"], str)  # English, by the context's coercion
    text = json.dumps(jsonld_document["@graph"])
    # Nearly every value is a bare string, number or boolean: a value object (an ontology label in English,
    # a typed rdf:object) is the exception.
    triples = len((out_dir / "kg.nt").read_text(encoding="utf-8").splitlines())
    assert text.count('"@value"') < triples / 20
