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
    assert _module("run").fitted_exponent(points) == pytest.approx(expected)


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
