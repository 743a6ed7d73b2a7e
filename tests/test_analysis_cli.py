"""``kg report``, run in-process with click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.analysis import ANALYSIS_FILES
from graph.cli import main


@pytest.fixture()
def build_copy(out_dir, tmp_path):
    """A build folder with only the graph and one unrelated file in it."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "kg.nt").write_bytes((out_dir / "kg.nt").read_bytes())
    (target / "kg.ttl").write_text("not touched\n")
    return target


def test_kg_report_rebuilds_only_the_report(build_copy, out_dir):
    result = CliRunner().invoke(main, ["report", "--out", str(build_copy)])
    assert result.exit_code == 0, result.output
    for name in ANALYSIS_FILES:
        assert f"wrote {build_copy / name}" in result.output
        assert (build_copy / name).read_bytes() == (out_dir / name).read_bytes(), name
    assert (build_copy / "kg.ttl").read_text() == "not touched\n"
    assert sorted(p.name for p in build_copy.iterdir()) == sorted([*ANALYSIS_FILES, "kg.nt", "kg.ttl"])


def test_kg_report_window(build_copy):
    result = CliRunner().invoke(main, ["report", "--out", str(build_copy), "--window", "400"])
    assert result.exit_code == 0, result.output
    threats = {t["threat"]: t for t in json.loads((build_copy / "metrics.json").read_text())["threats"]}
    assert threats["id/iri-claim-haifa-2024-01-07"]["followed"] is True
    assert threats["id/iri-claim-haifa-2024-01-07"]["window_days"] == 400
    assert "400-day window" in (build_copy / "report.md").read_text()


def test_kg_report_without_a_build_says_to_build_first(tmp_path):
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "run the build first: python build.py" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "nothing").exists()


def test_kg_report_on_a_broken_graph_says_to_build_again(tmp_path):
    (tmp_path / "kg.nt").write_text("<a> <b> this is not N-Triples .\n")
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "cannot read" in result.output and "run the build again" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.nt"]


def test_kg_report_analyses_with_the_collector_paused_and_restores_it(build_copy, monkeypatch, tmp_path):
    import gc

    import graph.analysis.outputs as outputs

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "empty"))  # so that it analyses, not finds the files
    seen = []
    analyse = outputs.analyse

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return analyse(*args, **kwargs)

    monkeypatch.setattr(outputs, "analyse", recording)
    assert gc.isenabled()
    result = CliRunner().invoke(main, ["report", "--out", str(build_copy)])
    assert result.exit_code == 0, result.output
    assert seen == [False] and gc.isenabled()
