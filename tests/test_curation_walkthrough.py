"""docs/curation.md's walk-through, run as written: add, suggest, accept, check, build."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from graph.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "curation.md"
BLOCK = re.compile(r"<!-- walkthrough:(\w+)(?: ([\w.-]+))? -->\n```\w+\n(.*?)```", re.S)


def _steps() -> list[tuple[str, str | None, str]]:
    return [(m[1], m[2], m[3]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def _with_folders(args: list[str], sources: Path, out: Path) -> list[str]:
    command = args[0]
    if command == "check":
        return [*args, str(sources)]
    if command == "build":
        return [*args, "--sources", str(sources), "--out", str(out)]
    return [*args, "--sources", str(sources)]


def test_the_walkthrough_runs_as_written(sources_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = _steps()
    assert [kind for kind, _, _ in steps] == ["report", "commands", "suggested", "commands", "registry", "document", "commands"]
    documents = sources_copy / "documents"
    outputs = []
    for kind, name, body in steps:
        if kind == "report":
            (tmp_path / "report.txt").write_text(body, encoding="utf-8")
        elif kind == "commands":
            for line in body.splitlines():
                args = shlex.split(line)
                assert args[0] == "kg"
                result = CliRunner().invoke(main, _with_folders(args[1:], sources_copy, tmp_path / "out"))
                assert result.exit_code == 0, f"{line}\n{result.output}"
                outputs.append(result.output)
        elif kind == "suggested":
            written = (documents / "news-2025-03-05.suggested.yaml").read_text(encoding="utf-8").splitlines()
            for line in body.splitlines():
                assert any(w.strip() == line.strip() for w in written), f"kg suggest did not write: {line}"
        elif kind == "registry":
            path = sources_copy / "entities" / name
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body, encoding="utf-8")
        elif kind == "document":
            scaffold = (documents / name).read_text(encoding="utf-8")
            for field in ("sha256", "title", "file"):  # what kg add wrote is what the curator keeps
                assert re.search(rf"^  {field}: (.*)$", scaffold, re.M)[1] == re.search(rf"^  {field}: (.*)$", body, re.M)[1]
            (documents / name).write_text(body, encoding="utf-8")
    assert "ok: 6 documents" in outputs[-2]
    assert "documents: 6" in outputs[-1] and "SHACL:     conforms" in outputs[-1]
    assert (tmp_path / "out" / "sources" / "news-2025-03-05.html").is_file()
    assert (documents / "report.txt").exists() is False and (documents / "news-2025-03-05.txt").read_bytes() == (
        tmp_path / "report.txt").read_bytes()
