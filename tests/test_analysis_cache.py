"""The analysis files are made once per typed graph: a rebuild that leaves it as it was finds them in the cache."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis import ANALYSIS_FILES, AnalysisSettings, analysis_cache, outputs
from graph.analysis.outputs import write_analysis
from graph.network import load_rdf, typed_multigraph



def no_analysis(*args, **kwargs):
    raise AssertionError("an analysis in the cache was computed again")


def files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ANALYSIS_FILES}


def analysed(typed, folder: Path, settings: AnalysisSettings | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    return write_analysis(None, folder, settings, typed=typed)


@pytest.fixture(scope="module")
def seed_rdf(out_dir):
    return load_rdf(out_dir)


@pytest.fixture()
def typed(seed_rdf):
    return typed_multigraph(seed_rdf)


def test_the_files_are_found_again_byte_for_byte_as_an_empty_cache_makes_them(tmp_path, monkeypatch, typed):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    assert analysed(typed, tmp_path / "first") is not None
    assert len(list((tmp_path / "cache" / "analyses").glob("*.files"))) == 1
    with monkeypatch.context() as patched:
        patched.setattr(outputs, "analyse", no_analysis)
        assert analysed(typed, tmp_path / "found") is None  # from the cache, or this raises
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "empty"))
    analysed(typed, tmp_path / "fresh")
    assert files(tmp_path / "found") == files(tmp_path / "first") == files(tmp_path / "fresh")
    assert b"Al-Nujaba" in files(tmp_path / "found")["report.md"]


def _first_link(typed):
    return next(iter(typed.edges(keys=True, data=True)))


def _reordered(typed):
    """The same nodes and links, the nodes in reverse order: the analysis may depend on order, so it is a new key."""
    other = nx.MultiDiGraph(**typed.graph)
    other.add_nodes_from(reversed(list(typed.nodes(data=True))))
    other.add_edges_from(typed.edges(keys=True, data=True))
    return other


@pytest.mark.parametrize("change", ["another window", "a node's label", "a link's status", "a value fact",
                                    "the node order", "other code or libraries"])
def test_anything_the_analysis_reads_changed_makes_the_files_again(tmp_path, monkeypatch, typed, change):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    analysed(typed, tmp_path / "first")
    settings = None
    if change == "another window":
        settings = AnalysisSettings(window_days=7)
    elif change == "a node's label":
        node = sorted(typed.nodes)[0]
        typed.nodes[node]["label"] += " (renamed)"
    elif change == "a link's status":
        *_, data = _first_link(typed)
        data["status"] = "assessed" if data["status"] != "assessed" else "claimed"
    elif change == "a value fact":
        fact = sorted(typed.graph["value_facts"])[0]
        typed.graph["value_facts"][fact]["value"] = "another value"
    elif change == "the node order":
        typed = _reordered(typed)
    else:
        monkeypatch.setattr(analysis_cache, "_analysis_version", lambda: "other code;networkx=0")
    monkeypatch.setattr(outputs, "analyse", no_analysis)
    with pytest.raises(AssertionError, match="computed again"):
        analysed(typed, tmp_path / "second", settings)


def test_a_damaged_entry_is_not_trusted(tmp_path, monkeypatch, typed):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    analysed(typed, tmp_path / "first")
    entry = sorted((tmp_path / "cache" / "analyses").glob("*.files"))[0]
    entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")  # same length, other bytes
    assert analysed(typed, tmp_path / "second") is not None  # computed again
    assert files(tmp_path / "second") == files(tmp_path / "first")


def test_a_graph_json_cannot_key_is_analysed_and_not_kept(tmp_path, monkeypatch, typed):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    typed.nodes[sorted(typed.nodes)[0]]["weight"] = math.nan
    assert analysed(typed, tmp_path / "first") is not None
    assert analysed(typed, tmp_path / "second") is not None
    assert not (tmp_path / "cache" / "analyses").exists()


def test_only_the_last_analyses_are_kept_and_only_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    empty = nx.MultiDiGraph(value_facts={})
    for window in range(1, analysis_cache.MAX_SETS + 3):
        analysed(empty, tmp_path / f"window-{window}", AnalysisSettings(window_days=window))
        (tmp_path / "cache" / "analyses" / "notes.files").write_text("a file the cache did not make")
    folder = tmp_path / "cache" / "analyses"
    entries = [p for p in folder.glob("*.files") if p.name != "notes.files"]
    assert len(entries) == analysis_cache.MAX_SETS
    assert (folder / "notes.files").read_text() == "a file the cache did not make"  # not named by a key: kept
    monkeypatch.setattr(outputs, "analyse", no_analysis)
    last = analysis_cache.MAX_SETS + 2
    assert analysed(empty, tmp_path / "again", AnalysisSettings(window_days=last)) is None
    with pytest.raises(AssertionError, match="computed again"):
        analysed(empty, tmp_path / "oldest", AnalysisSettings(window_days=1))


def test_a_folder_the_project_did_not_make_is_neither_written_nor_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    theirs = tmp_path / "cache" / "analyses"
    theirs.mkdir(parents=True)
    named_like_an_entry = theirs / ("0" * 64 + ".files")
    named_like_an_entry.write_text("someone else's")
    empty = nx.MultiDiGraph(value_facts={})
    for window in range(1, analysis_cache.MAX_SETS + 3):
        assert analysed(empty, tmp_path / f"window-{window}", AnalysisSettings(window_days=window)) is not None
    assert sorted(p.name for p in theirs.iterdir()) == [named_like_an_entry.name]
    assert named_like_an_entry.read_text() == "someone else's"

