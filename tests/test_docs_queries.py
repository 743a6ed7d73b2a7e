"""Every SPARQL example in the README and in docs/ runs, on both engines, and answers something."""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.sparql import ENGINES, run_sparql

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def fenced(language: str) -> list[tuple[str, str]]:
    """(where, text) of every fenced block in ``language`` in the documents."""
    blocks = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group(1) == language:
                line = text.count("\n", 0, match.start()) + 1
                blocks.append((f"{path.relative_to(ROOT)}:{line}", match.group(2)))
    return blocks


SPARQL_BLOCKS = fenced("sparql")
KG_QUERY_LINES = [(where, line.strip()) for where, block in fenced("sh") for line in block.splitlines()
                  if line.strip().startswith("kg query ")]


def test_the_documents_have_sparql_examples():
    assert len(SPARQL_BLOCKS) >= 4 and len(KG_QUERY_LINES) >= 4


@pytest.mark.parametrize(("where", "query"), SPARQL_BLOCKS, ids=[w for w, _ in SPARQL_BLOCKS])
def test_each_sparql_block_answers_the_same_rows_on_both_engines(out_dir, where, query):
    answers = {engine: run_sparql(query, out_dir, engine) for engine in ENGINES}
    for engine, result in answers.items():
        assert result.rows, f"{where}: no rows on {engine}"
    oxigraph, rdflib = (Counter(answers[engine].rows) for engine in ENGINES)
    assert oxigraph == rdflib, where


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("where", "command"), KG_QUERY_LINES, ids=[c for _, c in KG_QUERY_LINES])
def test_each_kg_query_command_in_the_documents_answers(out_dir, engine, where, command):
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, [*args, "--engine", engine, "--format", "json", "--out", str(out_dir)])
    assert result.exit_code == 0, f"{where}: {result.output}"
    assert json.loads(result.output)["results"]["bindings"], f"{where}: no rows"


def _commands(block: str) -> list[str]:
    """The ``kg`` and ``python build.py`` command lines of a shell block, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", block)
    lines = []
    for line in joined.splitlines():
        line = re.sub(r"^\s*(?:[A-Z_]+=\S*\s+)*", "", line.split(" && ")[-1]).split(" #")[0].rstrip(" &")
        if line.startswith(("kg ", "python build.py")):
            lines.append(line)
    return lines


KG_COMMANDS = [(where, line) for where, block in fenced("sh") for line in _commands(block)]


@pytest.mark.parametrize(("where", "line"), KG_COMMANDS, ids=[f"{w} {l[:40]}" for w, l in KG_COMMANDS])
def test_every_command_in_the_documents_is_one_the_cli_accepts(where, line):
    """Each documented command names a real command and real options with valid values. It is parsed, not
    run (the store tests, the walk-through and the query tests run them); only a file the example names
    may be missing here."""
    import click

    words = shlex.split(line)
    args = ["build", *words[2:]] if words[:2] == ["python", "build.py"] else words[1:]
    name, command, rest = main.resolve_command(click.Context(main), args)
    try:
        command.make_context(name, rest)
    except click.BadParameter as error:
        assert "does not exist" in error.format_message(), f"{where}: {line}: {error.format_message()}"
