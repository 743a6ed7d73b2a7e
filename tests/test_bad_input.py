"""Bad input gets one clear message, exit code 2, and leaves out/ untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.folders import mark


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def broken_yaml(src: Path) -> None:
    _edit(src / "entities" / "weapons.yaml", "  - {id: rockets,", "  - {id: rockets, [")


def unknown_id(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-01-08.yaml", "object: al-nujaba", "object: al-nujabaa")


def duplicate_id(src: Path) -> None:
    path = src / "entities" / "weapons.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "  - {id: drones, type: Weapon, label: Drones again, aliases: [], description: Copy.}\n",
                    encoding="utf-8")


def bad_date(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-07-30.yaml", "date: 2024-07-28", "date: 2024-07-32")


def quote_not_found(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-01-08.yaml", "the spokesman for the Iran-backed", "the spokesperson of the Iran-backed")


def changed_document(src: Path) -> None:
    path = src / "documents" / "jttm-2023-11-01.txt"
    path.write_bytes(path.read_bytes().replace(b"Akram Al-Kaabi", b"Akram Al-Kabi", 1))


def missing_field(src: Path) -> None:
    _edit(src / "entities" / "people.yaml", "    label: Husayn Al-Mousawi\n", "")


def unknown_relation(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-01-08.yaml", "relation: spokespersonOf", "relation: spokesmanOf")


def boilerplate_quote(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-01-08.yaml", "facts:\n",
          "facts:\n  - relation: backedBy\n    subject: al-nujaba\n    object: iran\n    status: reported\n"
          "    quote: \"The full text of this post is available to subscribers.\"\n")


def wrong_status(src: Path) -> None:
    _edit(src / "documents" / "jttm-2024-01-08.yaml", "facts:\n",
          "facts:\n  - relation: frontFor\n    subject: al-nujaba\n    object: iran\n    status: reported\n"
          "    quote: \"Al-Nujaba Movement militia\"\n")


CASES = [
    (broken_yaml, "weapons.yaml", r"line \d+: broken YAML: .* at \(line \d+, column \d+\)", "check the brackets"),
    (unknown_id, "jttm-2024-01-08.yaml", r"unknown id 'al-nujabaa' in 'object'", "did you mean 'al-nujaba'"),
    (duplicate_id, "weapons.yaml", r"duplicate id 'drones'", "already defined at sources/entities/weapons.yaml"),
    (bad_date, "jttm-2024-07-30.yaml", r"bad date: '2024-07-32' is not a real date", "write YYYY-MM-DD"),
    (quote_not_found, "jttm-2024-01-08.yaml", r"quote not found in jttm-2024-01-08.txt", "closest passage: 'the spokesman for the Iran-backed"),
    (changed_document, "jttm-2023-11-01.yaml", r"the document jttm-2023-11-01.txt has changed: its SHA-256 is [0-9a-f]{64}", "restore the original text"),
    (missing_field, "people.yaml", r"entity 'husayn-al-mousawi' is missing the field 'label'", "add 'label:'"),
    (unknown_relation, "jttm-2024-01-08.yaml", r"unknown relation 'spokesmanOf'", "did you mean 'spokespersonOf'"),
    (boilerplate_quote, "jttm-2024-01-08.yaml", r"is subscription boilerplate, which is never evidence", "quote the report's own text"),
    (wrong_status, "jttm-2024-01-08.yaml", r"relation 'frontFor' is always assessed, not reported", "write status: assessed"),
]


@pytest.fixture()
def previous_out(tmp_path) -> Path:
    out = tmp_path / "out"
    mark(out, "build")  # an earlier build's folder, which a build may replace
    (out / "kg.ttl").write_text("previous build\n", encoding="utf-8")
    return out


@pytest.mark.parametrize(("mutate", "file", "message", "fix"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_input_is_reported_with_file_line_and_fix(sources_copy, previous_out, mutate, file, message, fix):
    mutate(sources_copy)
    result = CliRunner().invoke(main, ["build", "--sources", str(sources_copy), "--out", str(previous_out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    problem_lines = [line for line in result.output.splitlines() if file in line]
    assert problem_lines, result.output
    line = problem_lines[0]
    assert re.search(message, line), line
    assert fix in line
    if not mutate.__name__ == "changed_document":
        assert re.search(r", line \d+:", line), "the message names the line"
    # Nothing is lost: the previous output is untouched, and no staging folder is left behind.
    assert (previous_out / "kg.ttl").read_text(encoding="utf-8") == "previous build\n"
    assert sorted(p.name for p in previous_out.parent.iterdir() if p.name.startswith(".out")) == []


def test_all_problems_are_reported_in_one_run(sources_copy, previous_out):
    unknown_id(sources_copy)
    bad_date(sources_copy)
    missing_field(sources_copy)
    result = CliRunner().invoke(main, ["build", "--sources", str(sources_copy), "--out", str(previous_out)])
    assert result.exit_code == 2
    assert "3 problems in the source files" in result.output
    for expected in ("al-nujabaa", "2024-07-32", "missing the field 'label'"):
        assert expected in result.output


def test_an_ambiguous_quote_asks_for_an_occurrence(sources_copy, previous_out):
    _edit(sources_copy / "documents" / "jttm-2024-01-08.yaml", "facts:\n",
          "facts:\n  - relation: backedBy\n    subject: al-nujaba\n    object: iran\n    status: reported\n"
          "    quote: \"Telegram, January 7, 2024.\"\n")
    result = CliRunner().invoke(main, ["build", "--sources", str(sources_copy), "--out", str(previous_out)])
    assert result.exit_code == 2
    assert "occurs 2 times in the document" in result.output
    assert "occurrence: N" in result.output


@pytest.mark.parametrize("serial", [False, True], ids=["validated-in-a-child", "serial"])
def test_a_shacl_violation_exits_1_and_keeps_the_previous_output(sources_copy, previous_out, serial):
    # The loader accepts any entity after 'via'; the SHACL shape insists on an outlet, channel or platform.
    _edit(sources_copy / "documents" / "jttm-2024-01-08.yaml", "via: [al-alam]", "via: [rockets]")
    result = CliRunner().invoke(main, ["build", "--sources", str(sources_copy), "--out", str(previous_out)]
                                + (["--serial"] if serial else []))
    assert result.exit_code == 1, result.output
    assert "SHACL validation failed" in result.output and "kg:via" in result.output
    assert (previous_out / "kg.ttl").read_text(encoding="utf-8") == "previous build\n"
    assert sorted(p.name for p in previous_out.parent.iterdir() if p.name.startswith(".out")) == []


def test_a_successful_build_replaces_the_previous_output(sources_copy, previous_out):
    result = CliRunner().invoke(main, ["build", "--sources", str(sources_copy), "--out", str(previous_out)])
    assert result.exit_code == 0, result.output
    assert (previous_out / "kg.ttl").read_text(encoding="utf-8").startswith("@prefix")
    for line in ("documents: 5", "SHACL:     conforms", "triples:"):
        assert line in result.output
