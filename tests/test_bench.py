"""The synthetic corpus is in the curation format, and the real build runs on it unchanged."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from graph.pipeline import build

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_runs_unchanged_on_a_generated_corpus(tmp_path):
    sources = _module("generate").generate(24, seed=3, out=tmp_path / "sources")
    result = build(sources, tmp_path / "out")
    assert len(result.corpus.documents) == 24
    assert result.corpus.warnings == [] or all("takes part in no fact" in str(w) or "occurs in no document" in str(w)
                                               for w in result.corpus.warnings)
    kinds = {r.kind for r in result.corpus.records.values()}
    assert kinds == {"event", "statement"}
    for fact in result.corpus.facts:
        for evidence in fact.evidence:
            assert result.corpus.documents[evidence.document].text[evidence.start:evidence.end] == evidence.exact


def test_generation_is_reproducible_from_its_seed(tmp_path):
    generate = _module("generate").generate
    first, second = generate(5, seed=9, out=tmp_path / "a"), generate(5, seed=9, out=tmp_path / "b")
    for path in sorted(first.rglob("*.*")):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()


@pytest.mark.parametrize(("points", "expected"), [
    ([(100, 1.0), (1000, 10.0), (10000, 100.0)], 1.0),
    ([(100, 1.0), (1000, 100.0)], 2.0),
    ([(10, 5.0), (100, 5.0)], 0.0),
])
def test_fitted_growth_exponent(points, expected):
    assert _module("report").fitted_exponent(points) == pytest.approx(expected)


def test_the_generator_replaces_only_a_corpus_it_made(tmp_path):
    import pytest

    from graph.folders import UnsafeFolder

    generate = _module("generate").generate
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me\n", encoding="utf-8")
    with pytest.raises(UnsafeFolder, match="is not empty and was not made by faction-kg"):
        generate(3, seed=1, out=mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me\n"
    corpus = generate(3, seed=1, out=tmp_path / "corpus")
    (corpus / "documents" / "stale.yaml").write_text("", encoding="utf-8")
    generate(3, seed=1, out=corpus)  # its own corpus is replaced whole
    assert not (corpus / "documents" / "stale.yaml").exists()


def test_the_benchmark_edit_changes_one_document_and_the_build_still_passes(tmp_path):
    sources = _module("generate").generate(6, seed=4, out=tmp_path / "sources")
    before = {p.name: p.read_bytes() for p in (sources / "documents").iterdir()}
    edit_one_document = _module("measure").edit_one_document
    edited = edit_one_document(sources)
    edit_one_document(sources)  # a second edit adds a second note to the same document
    changed = [p.name for p in (sources / "documents").iterdir() if p.read_bytes() != before[p.name]]
    assert changed == [edited.name]
    result = build(sources, tmp_path / "out")
    notes = result.corpus.documents[edited.stem].notes
    assert sorted(notes) == ["Edited by the benchmark (1).", "Edited by the benchmark (2)."]


def _size(documents, seconds, peak, queries, edited=None):
    now = {"clean": {"seconds": seconds, "triples": documents * 100, "tree_peak_pss_mb": peak, "peak_mb": peak},
           "queries": {name: {"oxigraph": {"seconds": s}} for name, s in queries.items()}, "page": {}}
    if edited is not None:
        now["one_edited_wall_seconds"] = edited
    return {"documents": documents, "now": now}


def test_the_report_says_which_targets_are_met(tmp_path):
    import json

    results = tmp_path / "results"
    results.mkdir()
    seed = {"median_seconds": {"import_floor": 1.0, "clean_build": 1.2, "unchanged_rebuild": 0.3,
                               "one_edited_document": 2.0},
            "ratio_to_import_floor": {"import_floor": 1.0, "clean_build": 1.2, "unchanged_rebuild": 0.3,
                                      "one_edited_document": 2.0},
            "repeats": 3, "baseline": None}
    (results / "seed.json").write_text(json.dumps(seed))
    (results / "size-1000.json").write_text(json.dumps(_size(1000, 4.0, 300, {"spokespersons": 0.2})))
    (results / "size-10000.json").write_text(json.dumps(
        _size(10000, 45.0, 1500, {"spokespersons": 0.4, "source-count": 1.7}, edited=1.5)))
    text = _module("report").write_report(results, tmp_path / "BENCHMARKS.md").read_text()
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["seed build, clean, ≤ 1.5× the import floor"].endswith("| met |")
    assert rows["seed build, one document edited, ≤ 1.5×"].endswith("| **missed** |")
    assert rows["10,000 documents, clean build ≤ 30 s"].endswith("| **missed** |")
    assert rows["10,000 documents, peak ≤ 2 GB (PSS, whole process tree)"].endswith("| met |")
    assert rows["10,000 documents, one edited document ≤ 2 s"].endswith("| met |")
    assert "1.7 s (source-count) | **missed**" in rows["every named query ≤ 1 s at 1,000,000 triples (slowest)"]


def test_the_report_sets_each_answer_beside_its_plain_read_largest_answer_first(tmp_path):
    import json

    results = tmp_path / "results"
    results.mkdir()
    size = _size(10000, 45.0, 1500, {"spokespersons": 1.1, "source-count": 3.0, "disavowals": 0.3})
    queries = size["now"]["queries"]
    queries["spokespersons"]["oxigraph"].update(rows=10000, columns=7, plain_read_seconds=0.8)
    queries["source-count"]["oxigraph"].update(rows=43274, columns=8, plain_read_seconds=2.5)
    queries["disavowals"]["oxigraph"].update(rows=0, columns=10)
    (results / "size-10000.json").write_text(json.dumps(size))
    text = _module("report").write_report(results, tmp_path / "BENCHMARKS.md").read_text()
    table = [line for line in text.splitlines() if line.startswith("| `") and line.count(" | ") == 5]
    assert table == ["| `source-count` | 43,274 | 346,192 | 3.0 | 2.5 | 1.20 |",
                     "| `spokespersons` | 10,000 | 70,000 | 1.1 | 0.8 | 1.38 |",
                     "| `disavowals` | 0 | 0 | 0.3 |  |  |"]
    assert "a reference, not a bound" in text


def test_the_report_states_rdflibs_engine_as_a_ratio_to_oxigraph(tmp_path):
    import json

    results = tmp_path / "results"
    results.mkdir()
    size = _size(100, 3.0, 200, {"spokespersons": 0.2, "source-count": 0.25, "attacks": 0.5})
    for name, rdflib in (("spokespersons", 8.0), ("source-count", 1.0), ("attacks", 1.0)):
        size["now"]["queries"][name]["rdflib"] = {"seconds": rdflib}
    (results / "size-100.json").write_text(json.dumps(size))
    text = _module("report").write_report(results, tmp_path / "BENCHMARKS.md").read_text()
    assert ("At 100 documents (10,000 triples) rdflib's engine took 2.0–40.0× as long as Oxigraph, "
            "4.0× for the median query (one rdflib run against Oxigraph's best of 2).") in text


def test_a_query_that_fails_again_is_recorded_and_the_benchmark_goes_on(tmp_path):
    failing = ["-c", "raise SystemExit('the store went away')"]
    entry = _module("measure")._plain_read(tmp_path, failing, tmp_path / "q.rq", tmp_path / "cache")
    assert list(entry) == ["plain_read_failed"] and "returned non-zero exit status 1" in entry["plain_read_failed"]
