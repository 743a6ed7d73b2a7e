"""kg check: the build's checks without outputs, as file:line:col diagnostics and the build's exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from tests.test_bad_input import CASES as BAD_INPUT, _edit

# The everyday mistakes of tests/test_bad_input.py (its other cases are about files and YAML, not edits).
EVERYDAY = ("broken-yaml", "unknown-id", "duplicate-id", "bad-date", "quote-not-found", "changed-document",
            "missing-field", "unknown-relation")
CASES = [case[:5] for case in BAD_INPUT if case[0] in EVERYDAY]


def unknown_id(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-01-08.yaml", "object: al-nujaba", "object: al-nujabaa")

DIAGNOSTIC = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.*)$")


def _check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_curated_sources_pass(sources_copy):
    result = _check(str(sources_copy))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert re.search(r"ok: 5 documents, \d+ facts", result.stderr)


@pytest.mark.parametrize(("name", "mutate", "file", "message", "fix"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_file_line_col_and_exit_2(sources_copy, tmp_path, monkeypatch, name, mutate, file, message, fix):
    mutate(sources_copy)
    before = _tree(sources_copy)
    monkeypatch.chdir(tmp_path)
    result = _check(str(sources_copy))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [DIAGNOSTIC.match(line) for line in result.stdout.splitlines()]
    assert all(lines), result.stdout
    mine = [m for m in lines if Path(m["file"]).name == file]
    assert mine, result.stdout
    found = mine[0]
    assert re.search(message.removeprefix(r"line \d+: "), found["message"]) and fix in found["message"]
    path = Path(found["file"])
    assert path.is_file() and path.is_relative_to(sources_copy.resolve()) or (tmp_path / path).is_file()
    if name != "changed-document":
        text = path.read_text(encoding="utf-8").splitlines()[int(found["line"]) - 1]
        assert text[int(found["col"]) - 1] != " ", "the column points at a character, not at indentation"
    if name == "broken-yaml":
        assert found["message"].endswith(f"column {found['col']}) (check the brackets, quotes and indentation near that line)")
    assert _tree(sources_copy) == before and sorted(p.name for p in tmp_path.iterdir()) == ["sources"]


def test_json_format_for_tools(sources_copy):
    unknown_id(sources_copy)
    result = _check(str(sources_copy), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["exit_code"] == 2
    [problem] = data["diagnostics"]
    assert problem["file"].endswith("jttm-2024-01-08.yaml") and problem["severity"] == "error"
    assert problem["message"] == "unknown id 'al-nujabaa' in 'object'" and problem["hint"] == "did you mean 'al-nujaba'?"
    lines = Path(problem["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[problem["line"] - 1].strip() == "object: al-nujabaa"
    assert problem["column"] == lines[problem["line"] - 1].index("object") + 1


def test_a_shacl_violation_exits_1_at_the_record(sources_copy):
    _edit(sources_copy / "documents" / "jttm-2024-01-08.yaml", "via: [al-alam]", "via: [rockets]")
    result = _check(str(sources_copy))
    assert result.exit_code == 1, result.output
    [line] = result.stdout.splitlines()
    found = DIAGNOSTIC.match(line)
    assert found and found["file"].endswith("jttm-2024-01-08.yaml") and "kg:via" in found["message"]
    lines = Path(found["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[int(found["line"]) - 1].strip() == "via: [rockets]"
    assert _check(str(sources_copy), "--no-shacl").exit_code == 0


def test_one_file_lists_only_its_problems(sources_copy):
    unknown_id(sources_copy)
    result = _check(str(sources_copy / "entities" / "people.yaml"))
    assert result.exit_code == 2 and result.stdout == ""
    assert "1 more problem(s) in other files" in result.stderr
    result = _check(str(sources_copy / "documents" / "jttm-2024-01-08.yaml"))
    assert result.exit_code == 2 and "al-nujabaa" in result.stdout


def test_the_build_cache_is_read_never_written_and_changes_no_verdict(sources_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    built = CliRunner().invoke(main, ["build", "--sources", str(sources_copy), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    entries = _tree(cache / "build")
    assert any(name.endswith(".entry") for name in entries)  # the build left checked records to find
    unknown_id(sources_copy)  # one file edited, the other four as the build saw them
    with_cache = _check(str(sources_copy))
    assert _tree(cache / "build") == entries
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "empty"))
    without = _check(str(sources_copy))
    assert with_cache.exit_code == without.exit_code == 2
    assert with_cache.stdout == without.stdout and "al-nujabaa" in with_cache.stdout
    assert not (tmp_path / "empty").exists()  # read only: no cache folder is made
