"""Every graph, table and linked-data file the build writes validates against its format's own schema."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.analysis import analyse
from graph.analysis.metrics import METRICS
from graph.network import load_rdf, typed_multigraph

XSD = Path(__file__).resolve().parent / "data" / "xsd"
SCHEMAS = {"kg.graphml": XSD / "graphml-1.0" / "graphml.xsd", "kg.gexf": XSD / "gexf-1.3" / "gexf.xsd"}


@pytest.fixture(scope="module")
def analysis(out_dir):
    return analyse(typed_multigraph(load_rdf(out_dir)))


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


# ---------------------------------------------------------------- CSV on the Web


def csvw_rows(folder: Path) -> list[dict]:
    """The rows of metrics.csv as a CSVW processor (the csvw package) reads them through the metadata."""
    csvw = pytest.importorskip("csvw", reason="csvw is not installed: pip install -e '.[test]'")
    table = csvw.Table.from_file(folder / "metrics.csv-metadata.json")
    return list(table.iterdicts(strict=True))


def test_the_csvw_metadata_describes_every_column_of_metrics_csv(out_dir):
    metadata = json.loads((out_dir / "metrics.csv-metadata.json").read_text(encoding="utf-8"))
    assert metadata["@context"] == "http://www.w3.org/ns/csvw" and metadata["url"] == "metrics.csv"
    header = (out_dir / "metrics.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    columns = metadata["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == [c["titles"] for c in columns] == header
    assert all(c.get("datatype") and c.get("dc:description") for c in columns)


def test_a_csvw_processor_reads_every_value_with_its_declared_type(out_dir, analysis):
    rows = csvw_rows(out_dir)
    assert len(rows) == len(analysis.table)
    for row in rows:
        expected = analysis.table[row["id"]]
        assert row["label"] == expected["label"] and row["type"] == expected["type"].split("; ")
        for metric in METRICS:
            value, want = row[metric.name], expected[metric.name]
            if want is None:
                assert value is None, (row["id"], metric.name)
            elif metric.datatype == "integer":
                assert type(value) is int and value == want, (row["id"], metric.name)
            elif metric.datatype == "boolean":
                assert value is bool(want) and want in (0, 1), (row["id"], metric.name)
            else:
                assert isinstance(value, float) and value == pytest.approx(want), (row["id"], metric.name)
    assert sum(row["actor_articulation_point"] is True for row in rows) >= 1


def test_a_csvw_processor_refuses_a_value_of_the_wrong_type(out_dir, tmp_path):
    lines = (out_dir / "metrics.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("degree")] = "3.5"  # a count that is not a whole number
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    (tmp_path / "metrics.csv").write_text(lines[0] + buffer.getvalue() + "".join(lines[2:]), encoding="utf-8")
    shutil.copy(out_dir / "metrics.csv-metadata.json", tmp_path)
    with pytest.raises(ValueError, match=r"metrics.csv:2:5 degree: Invalid value for integer"):
        csvw_rows(tmp_path)
