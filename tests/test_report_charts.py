"""The report's charts: drawn from their data alone, kept in a cache outside out/, found there with the same bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.analysis import analyse
from graph.analysis import chart_cache
from graph.analysis.chart_cache import cache_folder, chart_key, drawn_chart
from graph.analysis.chart_drawing import draw
from graph.analysis.charts import CHARTS, chart_data, render_charts
from graph.network import load_rdf, typed_multigraph

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data(out_dir):
    return chart_data(analyse(typed_multigraph(load_rdf(out_dir))))


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "kg-cache"))
    return cache_folder()


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.svg"))


def test_the_cache_is_beside_the_query_stores(cache, tmp_path):
    assert cache == tmp_path / "kg-cache" / "charts"


@pytest.mark.parametrize("name", list(CHARTS))
def test_a_found_chart_has_the_bytes_of_a_fresh_drawing(name, data, cache, monkeypatch):
    fresh = drawn_chart(name, data[name])
    assert _entries(cache) == [cache / f"{chart_key(name, data[name])}.svg"]

    def no_drawing(*args):
        raise AssertionError("a chart in the cache was drawn again")

    monkeypatch.setattr("graph.analysis.chart_drawing.draw", no_drawing)
    assert drawn_chart(name, data[name]) == fresh
    assert fresh.startswith("<svg") and fresh.count("<svg") == 1


@pytest.mark.parametrize("name", list(CHARTS))
def test_a_drawing_reads_nothing_but_its_data(name, data):
    """The same data, through JSON and back (as the key sees it), draws the same bytes, twice."""
    assert draw(name, json.loads(json.dumps(data[name]))) == draw(name, data[name])


@pytest.mark.parametrize("damage", ["truncated", "one byte changed", "empty", "not UTF-8", "no checksum line"])
def test_a_damaged_entry_is_drawn_again_and_replaced(damage, data, cache):
    fresh = drawn_chart("threats", data["threats"])
    [entry] = _entries(cache)
    raw = entry.read_bytes()
    damaged = {"truncated": raw[: len(raw) // 2], "one byte changed": raw[:-20] + b"X" + raw[-19:], "empty": b"",
               "not UTF-8": raw[:100] + b"\xff\xfe" + raw[102:], "no checksum line": raw.split(b"\n", 1)[1]}[damage]
    assert damaged != raw
    entry.write_bytes(damaged)
    assert drawn_chart("threats", data["threats"]) == fresh
    assert entry.read_bytes() == raw


def test_changed_data_is_drawn_again(data, cache):
    threats = data["threats"]
    assert threats["rows"], "the project's sources have dated threats"
    relabelled = {**threats, "rows": [{**threats["rows"][0], "label": "a label no source has"}, *threats["rows"][1:]]}
    assert chart_key("threats", relabelled) != chart_key("threats", threats)
    assert "a label no source has" in drawn_chart("threats", relabelled)
    assert "a label no source has" not in drawn_chart("threats", threats)
    assert len(_entries(cache)) == 2


def test_only_the_most_recently_used_entries_are_kept(data, cache, monkeypatch):
    monkeypatch.setattr(chart_cache, "MAX_ENTRIES", 2)
    windows = [30, 60, 90]
    for window in windows:
        drawn_chart("threats", {**data["threats"], "window": window})
        for entry in _entries(cache):  # distinct times, as on a slow clock
            os.utime(entry, ns=(entry.stat().st_mtime_ns - 10**9,) * 2)
    kept = {entry.name for entry in _entries(cache)}
    assert kept == {f"{chart_key('threats', {**data['threats'], 'window': w})}.svg" for w in windows[1:]}


def test_a_cache_that_cannot_be_written_still_gives_the_chart(data, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker))
    assert drawn_chart("threats", data["threats"]) == draw("threats", data["threats"])


def test_kg_report_with_every_chart_cached_imports_no_matplotlib(out_dir, tmp_path):
    """The report rewritten from cached charts is byte-identical to the build's, and matplotlib stays unloaded."""
    build = tmp_path / "out"
    shutil.copytree(out_dir, build)
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "kg-cache"), "PYTHONPATH": str(ROOT)}
    script = ("import sys; from pathlib import Path; from graph.analysis import rebuild_report; "
              f"rebuild_report(Path({str(build)!r})); print('matplotlib' in sys.modules)")
    loaded = [subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()[-1] for _ in range(2)]
    assert loaded == ["True", "False"]
    for name in ("report.html", "report.md"):
        assert (build / name).read_bytes() == (out_dir / name).read_bytes(), name


def test_render_charts_gives_every_chart_in_report_order(out_dir, cache):
    charts = render_charts(analyse(typed_multigraph(load_rdf(out_dir))))
    assert list(charts) == list(CHARTS)
    assert len(_entries(cache)) == len(CHARTS)


def test_a_charts_folder_someone_else_made_is_left_alone(data, cache):
    cache.mkdir(parents=True)
    theirs = cache / "figure-1.svg"
    theirs.write_bytes(b"<svg>a user's drawing</svg>")
    name = next(iter(CHARTS))
    assert drawn_chart(name, data[name]).startswith("<svg")  # drawn, just not kept
    assert sorted(cache.iterdir()) == [theirs] and theirs.read_bytes() == b"<svg>a user's drawing</svg>"


def test_pruning_removes_only_the_cache_s_own_entries(data, cache, monkeypatch):
    first, second = list(CHARTS)[:2]
    drawn_chart(first, data[first])  # an empty folder: the cache makes and marks it
    strays = {cache / "figure-1.svg": b"<svg>1</svg>", cache / ("0" * 63 + ".svg"): b"<svg>2</svg>"}
    for path, content in strays.items():
        path.write_bytes(content)
    monkeypatch.setattr(chart_cache, "MAX_ENTRIES", 1)
    drawn_chart(second, data[second])
    assert _entries(cache) == sorted([*strays, cache / f"{chart_key(second, data[second])}.svg"])
    assert {path: path.read_bytes() for path in strays} == strays
