"""``kg query``'s table format wraps long cells and never cuts them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.sparql import format_result, run_sparql

QUOTES = "SELECT ?doc ?quote WHERE { ?ev kg:quote ?quote ; oa:hasSource ?doc } ORDER BY ?doc ?quote"


def table_cells(text: str) -> list[list[str]]:
    """The cells of a table as ``kg query`` prints it, with each cell's wrapped lines joined by a space."""
    lines = text.rstrip("\n").split("\n")[:-1]  # the last line counts the rows
    spans, position = [], 0
    for dashes in lines[1].split("  "):
        spans.append((position, position + len(dashes)))
        position += len(dashes) + 2
    blocks, block = [], []
    wrapped = "" in lines[2:]
    for line in lines[2:]:
        if wrapped and line == "":
            blocks.append(block)
            block = []
        else:
            block.append(line)
    blocks.append(block)
    if not wrapped:  # one line per row
        blocks = [[line] for block in blocks for line in block]
    return [[" ".join(filter(None, (line[start:end].strip() for line in block))) for start, end in spans]
            for block in blocks]


@pytest.fixture(scope="module")
def quotes(out_dir):
    return run_sparql(QUOTES, out_dir)


@pytest.mark.parametrize("width", [60, 25, 0])
def test_every_quote_is_shown_whole_whatever_the_width(quotes, width):
    assert max(len(row[1][1]) for row in quotes.rows) > 200
    text = format_result(quotes, "table", width)
    assert text.count("…") == sum(value[1].count("…") for row in quotes.rows for value in row)  # none added
    if width:
        assert max(len(line) for line in text.splitlines()) <= 60 + 2 + width + 2
    cells = table_cells(text)
    assert len(cells) == len(quotes.rows)
    for shown, row in zip(cells, quotes.rows):
        assert shown[1] == " ".join(row[1][1].split())


def test_a_short_result_stays_one_line_per_row(out_dir):
    narrow = run_sparql("SELECT ?s ?label WHERE { ?s a kg:ArmedGroup ; skos:prefLabel ?label }", out_dir)
    text = format_result(narrow, "table")
    assert len(narrow.rows) > 1
    assert len(text.splitlines()) == len(narrow.rows) + 3 and "" not in text.splitlines()


def test_the_cli_offers_max_width(out_dir):
    runner = CliRunner()
    wide = runner.invoke(main, ["query", QUOTES, "--max-width", "0", "--out", str(out_dir)])
    assert wide.exit_code == 0, wide.output
    assert len(wide.output.splitlines()) == wide.output.count("\n")
    longest = max(len(line) for line in wide.output.splitlines())
    assert longest > 200
    default = runner.invoke(main, ["query", QUOTES, "--out", str(out_dir)])
    assert max(len(line) for line in default.output.splitlines()) < longest
    bad = runner.invoke(main, ["query", QUOTES, "--max-width", "-1", "--out", str(out_dir)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
