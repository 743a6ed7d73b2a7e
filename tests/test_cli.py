"""The kg command line, run in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_queries_lists_every_library_query_with_its_question():
    from graph.sparql import load_library

    result = run("queries")
    assert result.exit_code == 0
    for name, query in load_library().items():
        assert f"{name}: {query.title}" in result.output
        assert query.question in result.output
    assert "--param actor=...  (entity, required, e.g. akram-al-kaabi)" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_query_output_formats(out_dir, fmt):
    result = run("query", "spokespersons", "--out", str(out_dir), "--format", fmt, "--param", "org=al-nujaba")
    assert result.exit_code == 0, result.output
    text = result.output
    if fmt == "json":
        data = json.loads(text)
        assert data["head"]["vars"][:2] == ["person", "personLabel"]
        binding = data["results"]["bindings"][0]
        assert binding["person"] == {"type": "uri", "value": "https://example.org/faction-kg/id/husayn-al-mousawi"}
        assert binding["personLabel"]["value"] == "Husayn Al-Mousawi"
    elif fmt in ("csv", "tsv"):
        table = list(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
        assert table[0][:2] == ["person", "personLabel"] and table[1][1] == "Husayn Al-Mousawi"
    elif fmt == "markdown":
        assert text.startswith("| person | personLabel |") and "| id:husayn-al-mousawi | Husayn Al-Mousawi |" in text
    else:
        assert re.search(r"^person\s+personLabel", text) and "id:husayn-al-mousawi" in text
        assert re.search(r"\(\d+ rows?\)\n$", text)


def test_query_from_a_file_and_from_text(out_dir, tmp_path):
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?person <https://example.org/faction-kg/ontology#spokespersonOf> ?org }")
    from_file = run("query", "--file", str(query), "--out", str(out_dir), "--format", "csv")
    from_text = run("query", query.read_text(), "--out", str(out_dir), "--format", "csv")
    assert from_file.exit_code == from_text.exit_code == 0
    assert from_file.output == from_text.output
    assert int(from_file.output.splitlines()[1]) >= 1


def test_engines_agree_from_the_command_line(out_dir):
    args = ("query", "find-entity", "--param", "name=Kaabi", "--out", str(out_dir), "--format", "csv")
    assert run(*args, "--engine", "oxigraph").output == run(*args, "--engine", "rdflib").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "statements-by"], "needs --param actor=... (e.g. actor=akram-al-kaabi)"),
        (["query", "spokesperson"], "did you mean 'spokespersons'?"),
        (["query", "SELECT ?x WHERE { ?x ?y }"], "invalid SPARQL"),
        (["query", "DROP ALL"], "update queries are refused"),
        (["query", "spokespersons", "--param", "color=red"], "has no parameter 'color'"),
        (["query", "spokespersons", "--param", "org"], "is not key=value"),
        (["query", "SELECT * WHERE { ?s ?p ?o }", "--param", "org=al-nujaba"], "--param applies to named queries only"),
    ],
)
def test_query_errors_are_one_line_without_traceback(out_dir, args, message):
    result = run(*args, "--out", str(out_dir))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_query_without_a_build_says_to_build_first(tmp_path):
    result = run("query", "spokespersons", "--out", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "run the build first: python build.py" in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"kg {name}" in readme, f"kg {name} is not documented in README.md"


def test_every_option_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        for param in command.params:
            for option in (*param.opts, *param.secondary_opts):
                if option.startswith("--"):
                    assert option in readme, f"kg {name} {option} is not documented in README.md"


def test_every_library_query_is_named_in_the_readme():
    from graph.sparql import load_library

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in load_library():
        assert f"`{name}`" in readme, name


def test_build_py_and_kg_build_write_the_same_files(tmp_path):
    import subprocess
    import sys

    script_out, command_out = tmp_path / "script", tmp_path / "command"
    subprocess.run([sys.executable, "build.py", "--out", str(script_out)], cwd=ROOT, check=True, capture_output=True)
    assert run("build", "--out", str(command_out)).exit_code == 0
    script_files = sorted(p.relative_to(script_out) for p in script_out.rglob("*") if p.is_file())
    assert script_files == sorted(p.relative_to(command_out) for p in command_out.rglob("*") if p.is_file())
    assert len(script_files) > 10
    for name in script_files:
        assert (script_out / name).read_bytes() == (command_out / name).read_bytes(), name


def test_the_progress_bar_at_a_terminal_starts_no_thread(monkeypatch):
    # The build forks a child; forking while another thread runs is unsafe.
    import io
    import threading

    from graph import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", Terminal())
    before = threading.active_count()
    bar, on_stage = cli._progress_bar()
    assert bar is not None
    try:
        on_stage("load")
        assert threading.active_count() == before
    finally:
        bar.close()


def test_build_help_names_every_file_and_folder_the_build_writes(out_dir, corpus):
    help_text = run("build", "--help").output
    written = sorted(out_dir.iterdir())
    assert len(written) > 10
    for path in written:
        name = f"{path.name}/" if path.is_dir() else path.name
        assert re.search(rf"(?<![\w.]){re.escape(name)}", help_text), f"kg build --help does not name {name}"
    # The one folder holds one page per source document, as the help says ("sources/<doc-id>.html").
    assert "sources/<doc-id>.html" in help_text
    assert sorted(p.name for p in (out_dir / "sources").iterdir()) == sorted(f"{d}.html" for d in corpus.documents)


def test_build_help_states_the_default_of_warnings():
    assert re.search(r"--warnings / --no-warnings.*\[default: no-warnings\]", run("build", "--help").output, re.S)
