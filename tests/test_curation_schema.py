"""The JSON Schemas: generated from the ontology and the registry; every curated file validates, broken ones do not."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from graph.cli import main
from graph.curation.files import load_plain
from graph.curation.jsonschema import DOCUMENT_SCHEMA, REGISTRY_SCHEMA, schemas
from tests.test_bad_input import CASES
from tests.test_curation_check import EVERYDAY

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
CURATED = sorted((ROOT / "sources").glob("*/*.yaml"))

# What a schema cannot see (it reads one file, not the text): these stay kg check's.
OUT_OF_REACH = {"duplicate-id", "quote-not-found", "changed-document", "boilerplate-quote"}


def _errors(path: Path) -> list[str]:
    """What the committed schema for ``path`` says is wrong with it ('broken YAML' if it does not parse)."""
    name = REGISTRY_SCHEMA if path.parent.name == "entities" else DOCUMENT_SCHEMA
    validator = jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
    try:
        data = load_plain(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return ["broken YAML"]
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


def test_the_committed_schemas_are_what_kg_schema_writes(tmp_path):
    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in (DOCUMENT_SCHEMA, REGISTRY_SCHEMA):
        assert (tmp_path / name).read_bytes() == (SCHEMAS / name).read_bytes(), "run 'kg schema' and commit schemas/"


def test_the_vocabulary_comes_from_the_ontology_and_the_registry(corpus):
    from graph.schema import load_schema

    schema = load_schema()
    defs = schemas()[DOCUMENT_SCHEMA]["$defs"]
    assert defs["relation"]["enum"] == sorted(schema.curated_relations)
    assert set(defs["id"]["enum"]) == set(corpus.entities) | set(corpus.records)
    assert set(defs["event_type"]["enum"]) | {"Event"} == set(schema.subclasses("Event"))
    jsonschema.Draft202012Validator.check_schema(schemas()[DOCUMENT_SCHEMA])


@pytest.mark.parametrize("path", CURATED, ids=[p.name for p in CURATED])
def test_every_curated_file_validates(path):
    assert _errors(path) == []


EDITS = [case[:3] for case in CASES if case[0] in EVERYDAY]


@pytest.mark.parametrize(("name", "mutate", "file"), EDITS, ids=[c[0] for c in EDITS])
def test_bad_input_fixtures_do_not_validate(sources_copy, name, mutate, file):
    mutate(sources_copy)
    [path] = [p for p in sources_copy.glob("*/*.yaml") if p.name == file]
    errors = _errors(path)
    if name in OUT_OF_REACH:
        assert errors == [], "a schema cannot see this one; kg check does"
    else:
        assert errors, f"{name} should not validate"


@pytest.mark.parametrize(("old", "new", "where"), [
    ("relation: spokespersonOf", "relation: spokesmanOf", "relation"),
    ("object: al-nujaba\n", "object: al-nujabaa\n", "object"),
    ("status: reported", "status: reportd", "status"),
    ("    role: spokesman\n", "    role: spokesman\n    rank: high\n", "rank"),
])
def test_the_schema_points_at_the_field(sources_copy, old, new, where):
    path = sources_copy / "documents" / "jttm-2024-01-08.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert any(where in error for error in _errors(path)), _errors(path)


def test_a_scaffolded_document_names_its_schema(sources_copy, tmp_path):
    text = tmp_path / "report.txt"
    text.write_text("A Report\n\nMay 1, 2025\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["add", str(text), "--sources", str(sources_copy)]).exit_code == 0
    first = (sources_copy / "documents" / "report.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema = (sources_copy / "documents" / first.split("=", 1)[1]).resolve()
    assert schema == (SCHEMAS / DOCUMENT_SCHEMA).resolve()
