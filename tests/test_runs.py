"""TriG and Turtle written run by run (graph/runs.py, graph/export.py) are what Oxigraph writes of the whole.

Whatever the cache holds (nothing, the last build's runs, another graph's), the file is byte for byte
Oxigraph's serialization of all the lines at once, with its @prefix lines sorted; after a change to one
subject, only the runs it touches are written again.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.export import TURTLE_PREFIXES, _write_runs, distinct_triples


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _quad_lines(out_dir) -> list[str]:
    return sorted({f"{quad} .\n" for quad in ox.parse(path=str(out_dir / "kg.trig"), format=ox.RdfFormat.TRIG)})


def _inputs(lines: list[str], fmt: ox.RdfFormat) -> tuple[list[str], list[int]]:
    """The lines the format is written from, and where it may start a run."""
    merge = distinct_triples(lines)
    if fmt == ox.RdfFormat.TRIG:
        return lines, merge.graph_starts
    triples = merge.triples
    return triples, [i for i in range(len(triples)) if i == 0 or triples[i].split(" ")[0] != triples[i - 1].split(" ")[0]]


def _whole(lines: list[str], fmt: ox.RdfFormat) -> bytes:
    """Oxigraph's own serialization of all the lines, its @prefix lines sorted (as the build always wrote them)."""
    source = ox.RdfFormat.N_QUADS if fmt == ox.RdfFormat.TRIG else ox.RdfFormat.N_TRIPLES
    written = ox.serialize(ox.parse("".join(lines), format=source), format=fmt, prefixes=TURTLE_PREFIXES)
    parts = written.splitlines(keepends=True)
    head = [line for line in parts if line.startswith(b"@prefix ")]
    return b"".join(sorted(head)) + b"".join(parts[len(head):])


FORMATS = [ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE]


def _edited(lines: list[str]) -> list[str]:
    """One more quad, on a subject in the middle, in a graph of its own."""
    subject = lines[len(lines) // 2].split(" ")[0]
    return sorted({*lines, f'{subject} <https://example.org/faction-kg/ontology#curatorNote> "edited" '
                           "<https://example.org/faction-kg/graph/edited> .\n"})


@pytest.mark.parametrize("fmt", FORMATS, ids=["trig", "turtle"])
def test_a_file_written_by_runs_is_oxigraphs_serialization_of_the_whole(out_dir, cache_dir, tmp_path, fmt):
    quads = _quad_lines(out_dir)
    lines, cuts = _inputs(quads, fmt)
    made_cold = _write_runs(tmp_path / "cold", lines, cuts, fmt, TURTLE_PREFIXES)
    made_warm = _write_runs(tmp_path / "warm", lines, cuts, fmt, TURTLE_PREFIXES)
    assert (tmp_path / "cold").read_bytes() == (tmp_path / "warm").read_bytes() == _whole(lines, fmt)
    assert (tmp_path / "cold").read_bytes() == (out_dir / ("kg." + fmt.file_extension)).read_bytes()
    assert made_cold > 2 and made_warm == 0

    edited_lines, edited_cuts = _inputs(_edited(quads), fmt)
    made = _write_runs(tmp_path / "edited", edited_lines, edited_cuts, fmt, TURTLE_PREFIXES)
    assert (tmp_path / "edited").read_bytes() == _whole(edited_lines, fmt) != (tmp_path / "cold").read_bytes()
    assert 1 <= made <= 2


@pytest.mark.parametrize("fmt", FORMATS, ids=["trig", "turtle"])
def test_runs_of_another_graph_are_not_used(out_dir, cache_dir, tmp_path, fmt):
    quads = _quad_lines(out_dir)
    half, _ = _inputs(quads[: len(quads) // 2], fmt)
    _write_runs(tmp_path / "half", half, _inputs(quads[: len(quads) // 2], fmt)[1], fmt, TURTLE_PREFIXES)
    lines, cuts = _inputs(quads, fmt)
    _write_runs(tmp_path / "all", lines, cuts, fmt, TURTLE_PREFIXES)
    assert (tmp_path / "all").read_bytes() == _whole(lines, fmt)


def test_an_empty_graph_is_an_empty_file(cache_dir, tmp_path):
    assert _write_runs(tmp_path / "empty", [], [], ox.RdfFormat.TRIG, TURTLE_PREFIXES) == 1
    assert (tmp_path / "empty").read_bytes() == b"" == _whole([], ox.RdfFormat.TRIG)
