"""Safe writes: YAML keeps its comments, order and layout; every write is atomic and never clobbers a file."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.curation.files import load_round_trip, replace_file, write_new, yaml_text
from graph.loader import load_sources

ROOT = Path(__file__).resolve().parent.parent
CURATED = sorted((ROOT / "sources").glob("*/*.yaml"))


@pytest.mark.parametrize("path", CURATED, ids=[p.name for p in CURATED])
def test_every_curated_file_round_trips_byte_for_byte(path):
    source = path.read_text(encoding="utf-8")
    assert yaml_text(load_round_trip(source)) == source


@pytest.mark.parametrize(("entity", "spelling", "file"), [
    ("husayn-al-mousawi", "Husayn Al-Musawi", "people.yaml"),   # block mapping
    ("al-alam", "Alalam", "media.yaml"),                        # flow mapping on one line
])
def test_kg_alias_changes_only_the_aliases_line(sources_copy, entity, spelling, file):
    path = sources_copy / "entities" / file
    before = path.read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(main, ["alias", entity, spelling, "--sources", str(sources_copy)])
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert len(changed) == 2 and "aliases:" in changed[0] and changed[1].rstrip().endswith(("]", "}"))
    assert spelling in changed[1] and changed[0][2:].split("aliases:")[0] == changed[1][2:].split("aliases:")[0]
    assert spelling in load_sources(sources_copy).entities[entity].aliases


@pytest.mark.parametrize(("args", "message"), [
    (["husayn-al-musawi", "Husayn"], "no entity 'husayn-al-musawi' in the registry; did you mean 'husayn-al-mousawi'?"),
    (["husayn-al-mousawi", "Al-Mousawi"], "already has the alias 'Al-Mousawi'"),
])
def test_kg_alias_refusals_leave_the_registry_alone(sources_copy, args, message):
    before = {p.name: p.read_bytes() for p in (sources_copy / "entities").iterdir()}
    result = CliRunner().invoke(main, ["alias", *args, "--sources", str(sources_copy)])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in (sources_copy / "entities").iterdir()} == before


def test_an_interrupted_replace_leaves_the_old_file_and_no_debris(tmp_path, monkeypatch):
    path = tmp_path / "people.yaml"
    path.write_text("old\n", encoding="utf-8")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        replace_file(path, b"new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "people.yaml"] == [], "the temporary file is gone"


def test_write_new_never_replaces_and_leaves_no_debris(tmp_path):
    path = tmp_path / "a.yaml"
    write_new(path, b"first\n")
    with pytest.raises(Exception, match="already exists; it is never overwritten"):
        write_new(path, b"second\n")
    assert path.read_bytes() == b"first\n" and sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_replace_keeps_the_file_permissions(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("x\n", encoding="utf-8")
    path.chmod(0o600)
    replace_file(path, b"y\n")
    assert path.stat().st_mode & 0o777 == 0o600 and path.read_bytes() == b"y\n"
