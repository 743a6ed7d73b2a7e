"""kg query's outputs cannot be turned against their reader: no spreadsheet formulas, no terminal escapes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.sparql import QueryResult, format_result

HOSTILE = ["=HYPERLINK(\"http://example.org\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
           "\x1b[31mred\x1b[0m", "a\nb", "bell\x07", "\u202eevil\u202c", "plain", "Al-Nujaba", ""]


def result_of(values):
    return QueryResult(["value"], [(("literal", v, None, None),) for v in values])


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_cells_that_start_like_a_formula_get_a_leading_quote(fmt):
    text = format_result(result_of(HOSTILE), fmt)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t"))
    cells = [row[0] if row else "" for row in rows[1:]]
    expected = [("'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v) for v in HOSTILE]
    # a TSV row is one line; in CSV a carriage return is a line break inside the quoted cell
    expected = [v.replace("\r", "\n").replace("\n", " " if fmt == "tsv" else "\n") for v in expected]
    assert cells == expected


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_terminal_formats_escape_control_characters(fmt):
    text = format_result(result_of(HOSTILE), fmt)
    assert not any(ch in text for ch in "\x1b\x07\r\t\u202e\u202c")
    assert text.count("\n") == len(HOSTILE) + 2 + (fmt == "table")  # no line but the rows', header's and count's
    assert "\\x1b[31mred\\x1b[0m" in text and "a\\nb" in text and "\\u202eevil\\u202c" in text


def test_json_keeps_every_value_exactly():
    data = json.loads(format_result(result_of(HOSTILE), "json"))
    assert [b["value"]["value"] for b in data["results"]["bindings"]] == HOSTILE


def test_piping_gives_the_same_bytes_as_the_terminal(out_dir):
    query = 'SELECT ?x WHERE { VALUES ?x { "=1+2" "\\u001b[2J" } }'
    first = CliRunner().invoke(main, ["query", query, "--out", str(out_dir), "--format", "table"])
    again = CliRunner().invoke(main, ["query", query, "--out", str(out_dir), "--format", "table"], color=True)
    assert first.exit_code == again.exit_code == 0
    assert first.stdout_bytes == again.stdout_bytes
    assert "\\x1b[2J" in first.output and "\x1b" not in first.output


def test_kg_query_csv_neutralises_a_formula_from_the_graph(out_dir):
    result = CliRunner().invoke(main, ["query", 'SELECT ?x WHERE { BIND("=1+2" AS ?x) }', "--out", str(out_dir),
                                       "--format", "csv"])
    assert result.exit_code == 0
    assert result.output == "x\n'=1+2\n"


def test_the_help_says_how_cells_are_neutralised():
    help_text = CliRunner().invoke(main, ["query", "--help"]).output
    assert "leading '" in help_text and "=, +, -, @" in help_text


MIXED = QueryResult(["s", "label", "n"], [
    (("uri", "https://example.org/faction-kg/id/al-nujaba", None, None), ("literal", "النجباء", None, "ar"),
     ("literal", "3", "http://www.w3.org/2001/XMLSchema#integer", None)),
    (("bnode", "b0", None, None), None, ("literal", "3", "http://www.w3.org/2001/XMLSchema#integer", None)),
])


@pytest.mark.parametrize("result, expected", [
    (MIXED, {"head": {"vars": ["s", "label", "n"]}, "results": {"bindings": [
        {"s": {"type": "uri", "value": "https://example.org/faction-kg/id/al-nujaba"},
         "label": {"type": "literal", "value": "النجباء", "xml:lang": "ar"},
         "n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
        {"s": {"type": "bnode", "value": "b0"},
         "n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}),
    (QueryResult(["s"], []), {"head": {"vars": ["s"]}, "results": {"bindings": []}}),
    (QueryResult([], [], True), {"head": {}, "boolean": True}),
])
def test_json_is_the_w3c_results_format_one_binding_to_a_line(result, expected):
    text = format_result(result, "json")
    assert json.loads(text) == expected
    assert text.endswith("\n") and text.count("\n") == (len(result.rows) + 2 if result.rows else 1)
    assert "النجباء" in text or not result.rows  # written as UTF-8, not \u escapes
