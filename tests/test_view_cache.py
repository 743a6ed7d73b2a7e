"""The view's pages are rendered once per content: a rebuild that shows the same graph writes them from the cache."""

from __future__ import annotations

import dataclasses
import json
import filecmp
import shutil
import sys
from pathlib import Path

import pytest

from graph.analysis import outputs
from graph.cache import BuildCache
from graph.network import load_rdf, typed_multigraph
from graph.pipeline import build
from graph.view import page, profiles, sources_pages, view_cache, write_view

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from measure import edit_one_document  # noqa: E402  (the benchmark's curator's note)


def no_rendering(*args, **kwargs):
    raise AssertionError("a page in the cache was rendered again")


def never_render(monkeypatch) -> None:
    for module, name in ((page, "write_page"), (sources_pages, "write_source_pages"),
                         (profiles, "write_profiles")):
        monkeypatch.setattr(module, name, no_rendering)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed_rdf(out_dir):
    return load_rdf(out_dir)


def viewed(folder: Path, rdf, corpus, out_dir: Path, **options) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out_dir / "metrics.json", folder / "metrics.json")
    return write_view(folder, rdf, corpus, typed=options.pop("typed", None) or typed_multigraph(rdf), **options)


def test_the_pages_are_found_again_byte_for_byte_as_an_empty_cache_renders_them(tmp_path, monkeypatch, seed_rdf,
                                                                                 corpus, out_dir):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    first = viewed(tmp_path / "first", seed_rdf, corpus, out_dir)
    with monkeypatch.context() as patched:
        never_render(patched)
        found = viewed(tmp_path / "found", seed_rdf, corpus, out_dir)  # from the cache, or this raises
    assert [p.relative_to(tmp_path / "found") for p in found] == [p.relative_to(tmp_path / "first") for p in first]
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "empty"))
    viewed(tmp_path / "fresh", seed_rdf, corpus, out_dir)
    assert tree(tmp_path / "found") == tree(tmp_path / "first") == tree(tmp_path / "fresh")
    assert len([name for name in tree(tmp_path / "found") if name.startswith("sources/")]) == len(corpus.documents)


def _changed(corpus, change: str):
    doc_id = sorted(corpus.documents)[0]
    documents = dict(corpus.documents)
    if change == "a document's title":
        documents[doc_id] = dataclasses.replace(documents[doc_id], title=documents[doc_id].title + " (revised)")
    else:
        documents[doc_id] = dataclasses.replace(documents[doc_id], text=documents[doc_id].text + " ")
    return dataclasses.replace(corpus, documents=documents)


@pytest.mark.parametrize("change", ["a document's title", "a document's text", "metrics.json", "the size limit",
                                    "a node's label", "a link's quote", "the words for a date",
                                    "other code or libraries"])
def test_anything_the_pages_show_changed_renders_them_again(tmp_path, monkeypatch, seed_rdf, corpus, out_dir,
                                                            change):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    viewed(tmp_path / "first", seed_rdf, corpus, out_dir)
    options: dict = {}
    folder = tmp_path / "second"
    if change in ("a document's title", "a document's text"):
        corpus = _changed(corpus, change)
    elif change == "metrics.json":
        changed = tmp_path / "metrics"
        changed.mkdir()
        (changed / "metrics.json").write_bytes((out_dir / "metrics.json").read_bytes() + b"\n")
        out_dir = changed
    elif change == "the size limit":
        options["max_nodes"] = 40
    elif change == "a node's label":
        typed = typed_multigraph(seed_rdf)
        node = sorted(n for n in typed if n.startswith("id/"))[0]
        typed.nodes[node]["label"] += " (renamed)"
        options["typed"] = typed
    elif change == "a link's quote":
        typed = typed_multigraph(seed_rdf)
        data = next(d for *_, d in typed.edges(keys=True, data=True) if d["evidence"])
        quote, start, end = data["evidence"][0]
        data["evidence"][0] = (quote[:-1], start, end - 1)
        options["typed"] = typed
    elif change == "the words for a date":
        record = next(r for r in corpus.records.values() if r.date_texts)
        records = {**corpus.records, record.id: dataclasses.replace(record, date_texts={"some other words"})}
        corpus = dataclasses.replace(corpus, records=records)
    else:
        monkeypatch.setattr(view_cache, "_view_version", lambda: "other code;pyvis=0")
    never_render(monkeypatch)
    with pytest.raises(AssertionError, match="rendered again"):
        viewed(folder, seed_rdf, corpus, out_dir, **options)


def test_a_damaged_entry_is_not_trusted(tmp_path, monkeypatch, seed_rdf, corpus, out_dir):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    viewed(tmp_path / "first", seed_rdf, corpus, out_dir)
    [entry] = (tmp_path / "cache" / "views").glob("*.files")
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 1
    entry.write_bytes(bytes(data))
    with monkeypatch.context() as patched:
        never_render(patched)
        with pytest.raises(AssertionError, match="rendered again"):
            viewed(tmp_path / "second", seed_rdf, corpus, out_dir)
    viewed(tmp_path / "third", seed_rdf, corpus, out_dir)
    assert tree(tmp_path / "third") == tree(tmp_path / "first")


def test_a_rebuild_after_a_curators_note_analyses_and_renders_nothing_and_equals_a_clean_build(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build(sources, tmp_path / "out", cache=BuildCache())
    edit_one_document(sources)
    with monkeypatch.context() as patched:
        never_render(patched)
        patched.setattr(outputs, "analyse", no_rendering)
        build(sources, tmp_path / "out", cache=BuildCache())
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "empty"))
    build(sources, tmp_path / "clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    comparison = filecmp.dircmp(tmp_path / "out", tmp_path / "clean")
    assert sorted(comparison.common_dirs) == ["entities", "sources"]
    assert comparison.left_only == comparison.right_only == []


@pytest.mark.parametrize("name", ["../outside.html", "{tmp}/absolute.html", "sources//empty-part.html",
                                  "./here.html", "sources/../../outside.html", "..\\outside.html",
                                  "C:outside.html", "nul\0.html"])
def test_an_entry_naming_a_file_outside_its_folder_writes_nothing(tmp_path, monkeypatch, name):
    from graph.content_cache import ContentCache, content_key

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    cache = ContentCache("examples", ".files")
    key = content_key("example")
    name = name.format(tmp=tmp_path)
    cache.put_bytes(key, json.dumps([[name, 4]]).encode() + b"\nbody")  # a valid checksum, a bad name
    (tmp_path / "out" / "sources").mkdir(parents=True)
    assert cache.restore_files(key, tmp_path / "out" / "sources") is None
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == []


def test_an_entry_whose_sizes_do_not_add_up_writes_nothing(tmp_path, monkeypatch):
    from graph.content_cache import ContentCache, content_key

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    cache = ContentCache("examples", ".files")
    key = content_key("example")
    cache.keep_files(key, ROOT, ["README.md"])
    assert cache.restore_files(key, tmp_path)[0].read_bytes() == (ROOT / "README.md").read_bytes()
    cache.put_bytes(key, json.dumps([["README.md", 10]]).encode() + b"\nnot ten bytes long")
    (tmp_path / "README.md").unlink()
    assert cache.restore_files(key, tmp_path) is None
    assert not (tmp_path / "README.md").exists()
