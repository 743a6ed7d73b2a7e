"""The query store: made by the build, keyed by content (so a renamed or copied build shares it), evicted safely."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph import query_store
from graph.query_store import cache_root, content_key, open_store, prepare_store
from graph.rdf import BASE
from graph.sparql import run_sparql

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture()
def no_loading(monkeypatch):
    """Fail any attempt to load a store: what follows must find one already made."""
    def refuse(*args, **kwargs):
        raise AssertionError("the store was loaded again")

    monkeypatch.setattr(query_store, "_load", refuse)


@pytest.fixture()
def own_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "oxigraph"


def _copy_build(out_dir: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in query_store.FILES:
        shutil.copy2(out_dir / name, target / name)
    return target


def _triples(out: Path) -> int:
    return int(run_sparql(COUNT, out).rows[0][0][1])


def test_the_build_made_the_store_so_the_first_query_loads_nothing(out_dir, no_loading):
    entry = cache_root() / content_key(out_dir)
    assert (entry / "store").is_dir()
    # The store is keyed by content: its marker names the last build folder that held this content
    # (another test may have built the same sources elsewhere since).
    source = Path((entry / "source").read_text(encoding="utf-8"))
    assert (source / "kg.trig").read_bytes() == (out_dir / "kg.trig").read_bytes()
    nt_lines = sum(1 for line in (out_dir / "kg.nt").read_text(encoding="utf-8").splitlines() if line.strip())
    assert _triples(out_dir) == nt_lines  # the default graph is the merge, kg.nt


def test_a_renamed_build_keeps_its_store_without_hashing_or_loading(out_dir, tmp_path, own_cache, monkeypatch):
    staging = _copy_build(out_dir, tmp_path / "staging")
    prepare_store(staging, tmp_path / "out")  # as the build does, before it renames its staging folder
    renamed = tmp_path / "out"
    staging.rename(renamed)

    def refuse(*args, **kwargs):
        raise AssertionError("the store was looked for by hashing or loading again after a rename")

    monkeypatch.setattr(query_store, "content_key", refuse)
    monkeypatch.setattr(query_store, "_load", refuse)
    nt_lines = sum(1 for line in (renamed / "kg.nt").read_text(encoding="utf-8").splitlines() if line.strip())
    assert _triples(renamed) == nt_lines


def test_a_copied_build_shares_the_store_by_content(out_dir, tmp_path, no_loading):
    copy = _copy_build(out_dir, tmp_path / "copy")  # new files, the same bytes
    assert _triples(copy) == _triples(out_dir)


@pytest.mark.parametrize("edit", ["kg.nt", "kg.trig"])
def test_a_changed_build_gets_a_store_of_its_own(out_dir, tmp_path, own_cache, edit):
    before = _copy_build(out_dir, tmp_path / "before")
    after = _copy_build(out_dir, tmp_path / "after")
    extra = "<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n"
    with open(after / edit, "a", encoding="utf-8") as handle:
        handle.write(extra if edit == "kg.nt" else f"<https://example.org/g> {{ {extra} }}\n")
    assert content_key(before) != content_key(after)
    assert open_store(after).query("ASK { GRAPH ?g { <https://example.org/x> ?p ?o } }" if edit == "kg.trig"
                                   else "ASK { <https://example.org/x> ?p ?o }")
    assert not open_store(before).query("ASK { <https://example.org/x> ?p ?o }")
    assert sorted(p.name for p in own_cache.iterdir() if p.name not in ("seen", ".faction-kg-cache")) == sorted(
        [content_key(before), content_key(after)])


def test_a_rebuild_of_one_folder_replaces_its_store_and_leaves_other_folders_alone(out_dir, tmp_path, own_cache):
    out = _copy_build(out_dir, tmp_path / "out")
    old_key = prepare_store(out).name
    stranger = own_cache / "not-a-store"  # put in the marked folder by someone else: never deleted
    stranger.mkdir()
    with open(out / "kg.nt", "a", encoding="utf-8") as handle:
        handle.write("<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n")
    new_key = prepare_store(out).name
    assert old_key != new_key
    assert not (own_cache / old_key).exists() and (own_cache / new_key / "store").is_dir()
    assert stranger.is_dir()
    assert [p.name for p in (own_cache / "seen").iterdir()] and all(
        p.read_text(encoding="utf-8") == new_key for p in (own_cache / "seen").iterdir())


def test_a_folder_the_project_did_not_make_is_never_written_and_the_query_says_why(out_dir, tmp_path, own_cache):
    from graph.errors import KGError

    own_cache.mkdir(parents=True)
    (own_cache / "notes.txt").write_text("the user's own file", encoding="utf-8")
    before = sorted(p.name for p in own_cache.iterdir())
    out = _copy_build(out_dir, tmp_path / "out")
    with pytest.raises(KGError, match=r"oxigraph holds files the project did not make .*set KG_CACHE_DIR"):
        run_sparql(COUNT, out)
    assert sorted(p.name for p in own_cache.iterdir()) == before == ["notes.txt"]
    assert (own_cache / "notes.txt").read_text(encoding="utf-8") == "the user's own file"


def test_a_folder_of_stores_made_before_the_marker_is_marked_and_kept_in_order(out_dir, tmp_path, own_cache):
    from graph.folders import is_ours

    out = _copy_build(out_dir, tmp_path / "out")
    old_key = prepare_store(out).name
    for marker in own_cache.glob(".faction-kg-*"):
        marker.unlink()  # as an earlier version left it: key folders and seen/, no marker
    assert not is_ours(own_cache, "cache")
    with open(out / "kg.nt", "a", encoding="utf-8") as handle:
        handle.write("<https://example.org/x> <https://example.org/p> <https://example.org/y> .\n")
    new_key = prepare_store(out).name
    assert is_ours(own_cache, "cache")
    assert not (own_cache / old_key).exists() and (own_cache / new_key / "store").is_dir()


def test_an_unwritable_cache_does_not_fail_the_build_and_the_query_says_why(sources_copy, tmp_path, monkeypatch):
    from graph.errors import KGError
    from graph.pipeline import build

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocked))
    result = build(sources_copy, tmp_path / "out")
    assert result.shacl_conforms and (result.out / "kg.trig").is_file()
    with pytest.raises(KGError, match=r"cannot make the query store in .*blocked.*set KG_CACHE_DIR"):
        run_sparql(COUNT, result.out)


def test_the_store_loaded_from_the_build_lines_in_slices_holds_what_the_files_hold(out_dir, tmp_path, own_cache,
                                                                                    monkeypatch):
    import pyoxigraph as ox

    quads = ox.serialize(ox.parse(path=str(out_dir / "kg.trig"), format=ox.RdfFormat.TRIG),
                         format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True)
    triples = (out_dir / "kg.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    monkeypatch.setattr(query_store, "CHUNK_LINES", 1000)
    assert len(quads) > 3 * 1000  # several slices
    from_files = _copy_build(out_dir, tmp_path / "files")
    from_lines = _copy_build(out_dir, tmp_path / "lines")
    stores = {}
    for name, folder, lines in (("files", from_files, None), ("lines", from_lines, (quads, triples))):
        root = own_cache.parent / name
        root.mkdir(parents=True)
        entry = query_store._load(folder, root, f"{name:0<40}", folder, lines)
        stores[name] = {str(quad) for quad in ox.Store.read_only(str(entry / "store"))}
    assert stores["lines"] == stores["files"]
    assert len(stores["files"]) == len(quads) + len(triples)


@pytest.mark.parametrize("cache", ["a file", "a folder of someone else's"])
def test_kg_query_with_a_cache_it_may_not_write_prints_one_message_and_exits_2(out_dir, tmp_path, monkeypatch, cache):
    from click.testing import CliRunner

    from graph.cli import main

    base = tmp_path / "cache"
    if cache == "a file":
        base.write_text("a file where the cache folder would be", encoding="utf-8")
        expected = r"cannot make the query store in .*set KG_CACHE_DIR"
    else:
        (base / "oxigraph").mkdir(parents=True)
        (base / "oxigraph" / "notes.txt").write_text("mine", encoding="utf-8")
        expected = r"holds files the project did not make .*set KG_CACHE_DIR"
    monkeypatch.setenv("KG_CACHE_DIR", str(base))
    out = _copy_build(out_dir, tmp_path / "out")
    (out / "build-inputs.json").write_bytes((out_dir / "build-inputs.json").read_bytes())
    result = CliRunner().invoke(main, ["query", "spokespersons", "--out", str(out)])  # a child process (--timeout)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert re.search(expected, result.output.replace("\n", " ")), result.output


@pytest.mark.parametrize("stranger", ["a key folder without a store", "a file named seen"])
def test_an_unmarked_folder_with_anything_else_is_not_adopted(out_dir, tmp_path, own_cache, stranger):
    from graph.errors import KGError
    from graph.folders import is_ours

    own_cache.mkdir(parents=True)
    if stranger == "a file named seen":
        (own_cache / "seen").write_text("the user's own file", encoding="utf-8")
    else:
        (own_cache / ("0" * 40)).mkdir()
        (own_cache / ("0" * 40) / "source").write_text("/somewhere", encoding="utf-8")
    before = sorted(p.name for p in own_cache.rglob("*"))
    with pytest.raises(KGError, match="holds files the project did not make"):
        run_sparql(COUNT, _copy_build(out_dir, tmp_path / "out"))
    assert not is_ours(own_cache, "cache") and sorted(p.name for p in own_cache.rglob("*")) == before


def _lines_of(out_dir: Path) -> list[str]:
    import pyoxigraph as ox

    return sorted(ox.serialize(ox.parse(path=str(out_dir / "kg.trig"), format=ox.RdfFormat.TRIG),
                               format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True))


def _build_folder(folder: Path, quads: list[str]) -> tuple[list[str], list[str]]:
    """kg.trig and kg.nt of ``quads`` in ``folder``, as the build writes them; return the build's two lists."""
    import pyoxigraph as ox

    quads = sorted(set(quads))
    triples = sorted({line[:line.rindex(" <")] + " .\n" for line in quads})
    folder.mkdir(parents=True)
    (folder / "kg.trig").write_bytes(ox.serialize(ox.parse("".join(quads).encode(), format=ox.RdfFormat.N_QUADS),
                                                  format=ox.RdfFormat.TRIG))
    (folder / "kg.nt").write_text("".join(triples), encoding="utf-8")
    return quads, triples


def _graph(line: str) -> str:
    return line[line.rindex(" <") + 1:].rstrip(" .\n")


def _changes(quads: list[str], change: str) -> tuple[list[str], list[str]]:
    """The lines before and after ``change``."""
    graphs = sorted({_graph(line) for line in quads} - {f"<{BASE}graph/ontology>", f"<{BASE}graph/registry>"})
    first, second = graphs[0], graphs[1]
    in_first = [line for line in quads if _graph(line) == first]
    moved = in_first[0].replace(first, second)  # the first graph's first triple, stated by the second graph too
    new = f'<https://example.org/faction-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "new" {first} .\n'
    if change == "a graph states a new triple":
        return quads, quads + [new]
    if change == "a graph drops a triple no other graph states":
        return quads + [new], quads
    if change == "a graph drops a triple another graph still states":
        return quads + [moved], quads
    if change == "a graph is removed":
        return quads, [line for line in quads if _graph(line) != first]
    return [line for line in quads if _graph(line) != first], quads  # a graph is added


@pytest.mark.parametrize("change", ["a graph states a new triple", "a graph drops a triple no other graph states",
                                    "a graph drops a triple another graph still states", "a graph is removed",
                                    "a graph is added"])
def test_a_rebuilds_store_derived_from_the_last_holds_what_a_fresh_load_holds(out_dir, tmp_path, own_cache,
                                                                              monkeypatch, change):
    import pyoxigraph as ox

    monkeypatch.setattr(query_store, "DERIVE_AT_MOST", 1.0)  # even a whole document of the seed is derived
    derived = []
    derive = query_store._derive
    monkeypatch.setattr(query_store, "_derive", lambda *args: derived.append(derive(*args)) or derived[-1])
    before, after = _changes(_lines_of(out_dir), change)
    serves = tmp_path / "out"
    prepare_store(tmp_path / "before", serves, _build_folder(tmp_path / "before", before))
    entry = prepare_store(tmp_path / "after", serves, _build_folder(tmp_path / "after", after))
    assert derived == [True]
    query_store._load_files(tmp_path / "after", tmp_path / "fresh")
    fresh = {str(quad) for quad in ox.Store.read_only(str(tmp_path / "fresh"))}
    assert {str(quad) for quad in ox.Store.read_only(str(entry / "store"))} == fresh
    assert len(fresh) == len(set(after)) + len({line[:line.rindex(" <")] for line in after})


def test_a_store_whose_graph_mostly_changed_is_loaded_whole(out_dir, tmp_path, own_cache, monkeypatch):
    loaded = []
    monkeypatch.setattr(query_store, "_load_lines_whole",
                        lambda *args, load=query_store._load_lines_whole: loaded.append(load(*args)))
    quads = _lines_of(out_dir)
    serves = tmp_path / "out"
    prepare_store(tmp_path / "before", serves, _build_folder(tmp_path / "before", quads[: len(quads) // 2]))
    prepare_store(tmp_path / "after", serves, _build_folder(tmp_path / "after", quads))
    assert len(loaded) == 2  # the first had no store to start from; the second changed by half
    assert _triples(serves.parent / "after") == len({line[:line.rindex(" <")] for line in quads})


@pytest.mark.parametrize("record", ["another folder's store", "a damaged record", "derived too often"])
def test_a_store_is_loaded_whole_without_a_base_it_may_derive_from(out_dir, tmp_path, own_cache, monkeypatch,
                                                                   record):
    import json

    import pyoxigraph as ox

    monkeypatch.setattr(query_store, "DERIVE_AT_MOST", 1.0)
    derived = []
    derive = query_store._derive
    monkeypatch.setattr(query_store, "_derive", lambda *args: derived.append(derive(*args)) or derived[-1])
    before, after = _changes(_lines_of(out_dir), "a graph states a new triple")
    serves = tmp_path / "out"
    first = prepare_store(tmp_path / "before", tmp_path / "elsewhere" if record == "another folder's store" else serves,
                          _build_folder(tmp_path / "before", before))
    if record == "a damaged record":
        (first / query_store.GRAPHS_FILE).write_text('{"graphs": [], "derivations": 0}', encoding="utf-8")
    elif record == "derived too often":
        saved = json.loads((first / query_store.GRAPHS_FILE).read_text(encoding="utf-8"))
        saved["derivations"] = query_store.MAX_DERIVATIONS
        (first / query_store.GRAPHS_FILE).write_text(json.dumps(saved), encoding="utf-8")
    entry = prepare_store(tmp_path / "after", serves, _build_folder(tmp_path / "after", after))
    assert derived == ([False] if record == "derived too often" else [])
    assert json.loads((entry / query_store.GRAPHS_FILE).read_text(encoding="utf-8"))["derivations"] == 0
    query_store._load_files(tmp_path / "after", tmp_path / "fresh")
    assert ({str(q) for q in ox.Store.read_only(str(entry / "store"))}
            == {str(q) for q in ox.Store.read_only(str(tmp_path / "fresh"))})


def test_a_rebuild_derives_its_store_and_a_forced_one_loads_it_whole(sources_copy, tmp_path, own_cache, monkeypatch):
    import sys

    from graph.cache import BuildCache
    from graph.pipeline import build

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from measure import edit_one_document

    monkeypatch.setattr(query_store, "DERIVE_AT_MOST", 1.0)  # one document of five is a fifth of the lines
    derived = []
    derive = query_store._derive
    monkeypatch.setattr(query_store, "_derive", lambda *args: derived.append(derive(*args)) or derived[-1])
    out = tmp_path / "out"
    build(sources_copy, out, cache=BuildCache())
    edit_one_document(sources_copy)
    build(sources_copy, out, cache=BuildCache())
    assert derived == [True]
    edit_one_document(sources_copy)
    build(sources_copy, out)  # kg build --force
    assert derived == [True]
    assert _triples(out) == len((out / "kg.nt").read_text(encoding="utf-8").splitlines())
