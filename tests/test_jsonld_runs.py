"""kg.jsonld is written run by run (graph/jsonld.py, beside kg.ttl), and a rebuild copies the runs that did not change.

The file must be the same whatever the cache holds: empty, the last build's runs, runs of another graph,
or a damaged entry; and after one subject changes, only the runs it touches are made again.
"""

from __future__ import annotations

import shutil

import pytest

from graph import runs as runs_module
from graph.export import _write_turtle_and_jsonld, count_lines
from graph.runs import run_starts


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "jsonld"


def _graph(out_dir, change: str = "") -> list[str]:
    """The seed's merged graph as lines, with ``change`` made to it."""
    lines = (out_dir / "kg.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    if change == "one-subject":
        at = len(lines) // 2
        lines[at] = lines[at].replace('"', '"edited ', 1)
        lines.insert(at, lines[at].split(" ", 1)[0] + ' <https://example.org/faction-kg/ontology#curatorNote> "x" .\n')
        lines = sorted(set(lines))
    elif change == "new-predicate-in-the-context":  # a predicate the context must now coerce to English
        subject = lines[len(lines) // 2].split(" ", 1)[0]
        lines = sorted({*lines, f'{subject} <https://example.org/faction-kg/ontology#newRemark> "a remark"@en .\n'})
    elif change == "new-subject":
        lines = sorted({*lines, '<https://example.org/faction-kg/id/zz-new> <http://www.w3.org/2000/01/rdf-schema#label> "New" .\n'})
    return lines


def runs(lines: list[str]) -> list[int]:
    return run_starts(lines, [i for i in range(len(lines)) if i == 0 or lines[i].split(" ")[0] != lines[i - 1].split(" ")[0]])


def _write(lines, path):
    """Write kg.jsonld (and kg.ttl) as the build does, into a folder of their own; copy kg.jsonld to ``path``."""
    folder = path.with_suffix("")
    folder.mkdir()
    made = _write_turtle_and_jsonld(folder, lines, count_lines(lines))
    shutil.copyfile(folder / "kg.jsonld", path)
    return made


def test_the_file_is_the_same_from_an_empty_cache_and_from_the_last_builds_runs(out_dir, cache_dir, tmp_path):
    lines = _graph(out_dir)
    made_cold = _write(lines, tmp_path / "cold.jsonld")
    made_warm = _write(lines, tmp_path / "warm.jsonld")
    assert (tmp_path / "cold.jsonld").read_bytes() == (tmp_path / "warm.jsonld").read_bytes() \
        == (out_dir / "kg.jsonld").read_bytes()
    assert made_cold == len(runs(lines)) > 10 and made_warm == 0


@pytest.mark.parametrize("change", ["one-subject", "new-subject", "new-predicate-in-the-context"])
def test_after_a_change_only_the_runs_it_touches_are_made(out_dir, cache_dir, tmp_path, change):
    lines = _graph(out_dir)
    _write(lines, tmp_path / "before.jsonld")
    changed_lines = _graph(out_dir, change)
    made = _write(changed_lines, tmp_path / "after.jsonld")
    for entry in cache_dir.glob("*.runs"):
        entry.unlink()
    made_cold = _write(changed_lines, tmp_path / "cold.jsonld")
    assert (tmp_path / "after.jsonld").read_bytes() == (tmp_path / "cold.jsonld").read_bytes()
    assert (tmp_path / "after.jsonld").read_bytes() != (tmp_path / "before.jsonld").read_bytes()
    assert 1 <= made <= 2 < made_cold


@pytest.mark.parametrize("damage", ["flipped-byte", "cut-short", "sizes-that-do-not-add-up"])
def test_a_damaged_entry_is_not_trusted(out_dir, cache_dir, tmp_path, damage):
    import hashlib

    lines = _graph(out_dir)
    _write(lines, tmp_path / "first.jsonld")
    (entry,) = cache_dir.glob("*.runs")
    data = entry.read_bytes()
    if damage == "flipped-byte":
        data = data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:]
    elif damage == "cut-short":
        data = data[:len(data) // 2]
    else:  # a well-formed entry whose listed sizes are one byte short: checksum right, layout wrong
        head, _, body = data.split(b"\n", 1)[1].partition(b"\n")
        body = body + b"x"
        payload = head + b"\n" + body
        data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    entry.write_bytes(data)
    assert _write(lines, tmp_path / "again.jsonld") == len(runs(lines))
    assert (tmp_path / "again.jsonld").read_bytes() == (tmp_path / "first.jsonld").read_bytes()


def test_runs_are_cut_by_content_so_an_insertion_moves_no_other_cut():
    lines = [f"<s:{n:05d}> <s:p> <s:o> .\n" for n in range(5000)]
    starts = runs(lines)
    subjects = {lines[i].split(" ")[0] for i in starts[1:]}
    inserted = sorted([*lines, "<s:02500x> <s:p> <s:o> .\n"])
    assert {inserted[i].split(" ")[0] for i in runs(inserted)[1:]} - {"<s:02500x>"} == subjects
    assert 30 < len(starts) < 150  # about one cut in RUN_CUT subjects
    assert runs_module.RUN_CUT == 64
