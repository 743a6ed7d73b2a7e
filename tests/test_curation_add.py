"""kg add: a new text copied byte for byte, its hash and metadata scaffolded; duplicates, non-UTF-8 and existing files refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.curation.files import load_round_trip
from graph.loader import load_sources

REPORT = ("Iraqi Militia Spokesman Threatens New Attacks\r\n\r\nprint\r\nMarch 3, 2025\r\n\r\n"
          "The following report is now a complimentary offering from MEMRI's Jihad and Terrorism Threat Monitor (JTTM).\r\n"
          "On March 2, 2025, a spokesman said \u201cwe will respond\u201d.\r\n")


def _add(*args: str):
    return CliRunner().invoke(main, ["add", *args])


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def report(tmp_path) -> Path:
    path = tmp_path / "New Report.txt"
    path.write_bytes(REPORT.encode("utf-8"))
    return path


def test_a_new_text_is_copied_and_scaffolded(sources_copy, report):
    result = _add(str(report), "--sources", str(sources_copy), "--id", "jttm-2025-03-03")
    assert result.exit_code == 0, result.output
    text = sources_copy / "documents" / "jttm-2025-03-03.txt"
    assert text.read_bytes() == report.read_bytes(), "copied byte for byte, CRLF and curly quotes included"
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    assert digest in result.output
    source = (sources_copy / "documents" / "jttm-2025-03-03.yaml").read_text(encoding="utf-8")
    meta = load_round_trip(source)["document"]
    assert meta["sha256"] == digest and meta["file"] == "jttm-2025-03-03.txt"
    assert meta["title"] == "Iraqi Militia Spokesman Threatens New Attacks"
    assert "published" not in meta and "publisher" not in meta, "suggestions stay comments until the curator accepts them"
    suggested = [line.strip()[2:] for line in source.splitlines() if line.strip().startswith("# p") or line.strip().startswith("# s")]
    assert "published: {date: '2025-03-03', quote: 'March 3, 2025'}" in suggested
    assert "published: {date: '2025-03-02', quote: 'March 2, 2025'}" in suggested
    assert any(s.startswith("publisher: {entity: memri, quote:") for s in suggested), "a publisher the corpus records, found in the text"
    assert any(s.startswith("series: {value: Jihad and Terrorism Threat Monitor (JTTM)") for s in suggested)
    # Accepting the suggestions (removing the '#') gives a document the loader accepts as it is.
    accepted = source.replace("  # published: {date: '2025-03-03'", "  published: {date: '2025-03-03'")
    accepted = "\n".join(line.replace("  # publisher:", "  publisher:").replace("  # series:", "  series:")
                         for line in accepted.splitlines())
    (sources_copy / "documents" / "jttm-2025-03-03.yaml").write_text(accepted, encoding="utf-8")
    corpus = load_sources(sources_copy)
    assert corpus.documents["jttm-2025-03-03"].title == meta["title"]


def test_the_id_defaults_to_the_file_name(sources_copy, report):
    assert _add(str(report), "--sources", str(sources_copy)).exit_code == 0
    assert (sources_copy / "documents" / "new-report.yaml").is_file()


@pytest.mark.parametrize("doc_id", ["jttm-2024-01-08", "news-haifa-drones-undated"])
def test_a_text_already_in_the_corpus_is_refused_by_name(sources_copy, tmp_path, doc_id):
    copy = tmp_path / "again.txt"
    copy.write_bytes((sources_copy / "documents" / f"{doc_id}.txt").read_bytes())
    before = _tree(sources_copy)
    result = _add(str(copy), "--sources", str(sources_copy))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"already in the corpus as document '{doc_id}'" in result.stderr
    assert _tree(sources_copy) == before


def test_an_existing_file_is_never_overwritten(sources_copy, report):
    before = _tree(sources_copy)
    result = _add(str(report), "--sources", str(sources_copy), "--id", "jttm-2024-01-08")
    assert result.exit_code == 2
    assert "jttm-2024-01-08.txt already exists; it is never overwritten" in result.stderr
    assert _tree(sources_copy) == before
    (sources_copy / "documents" / "lonely.yaml").write_text("# mine\n", encoding="utf-8")
    result = _add(str(report), "--sources", str(sources_copy), "--id", "lonely")
    assert result.exit_code == 2 and "lonely.yaml already exists" in result.stderr
    assert not (sources_copy / "documents" / "lonely.txt").exists()
    assert (sources_copy / "documents" / "lonely.yaml").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(("raw", "where"), [(b"Title\ncaf\xe9 au lait\n", "byte 9 (line 2)"), (b"\xff\xfeT\x00", "byte 0 (line 1)")],
                         ids=["latin-1", "utf-16"])
def test_a_text_that_is_not_utf8_is_refused_clearly(sources_copy, tmp_path, raw, where):
    path = tmp_path / "latin.txt"
    path.write_bytes(raw)
    before = _tree(sources_copy)
    result = _add(str(path), "--sources", str(sources_copy))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"is not UTF-8 text: {where}" in result.stderr and "convert it to UTF-8" in result.stderr
    assert _tree(sources_copy) == before


def test_a_bad_id_is_refused(sources_copy, report):
    result = _add(str(report), "--sources", str(sources_copy), "--id", "Bad Id")
    assert result.exit_code == 2 and "is not a slug" in result.stderr


def test_a_text_without_a_title_line_is_refused(sources_copy, tmp_path):
    path = tmp_path / "untitled.txt"
    path.write_text("\nMarch 3, 2025\n", encoding="utf-8")
    result = _add(str(path), "--sources", str(sources_copy))
    assert result.exit_code == 2 and "starts with an empty line; the title is the text's first line" in result.stderr
    assert not (sources_copy / "documents" / "untitled.txt").exists()
