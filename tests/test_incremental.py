"""Incremental builds: a build that takes unchanged document files from the cache writes what a clean build writes.

A 50-document corpus from bench/generate.py is built once with a cache; then
one document is edited, and the cached build of the edited sources is compared,
file by file, with a clean build of the same sources.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import cache as cache_module
from graph.cache import MANIFEST, BuildCache, input_hashes, up_to_date
from graph.cli import main
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 50
EDITED = "synthetic-00007"


def documents(stats: dict[str, int]) -> dict[str, int]:
    """The cache's counts for document files (a build also counts the graphs it saw conform)."""
    return {kind: count for kind, count in stats.items() if kind.startswith("document.")}


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def shorten_first_quote(yaml_file: Path) -> str:
    """Drop the last word of the first fact's quote: still verbatim in the text, with other offsets."""
    lines = yaml_file.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  quote: ") and i > lines.index("facts:"))
    lines[at] = lines[at].rsplit(" ", 1)[0]
    yaml_file.write_text("\n".join(lines), encoding="utf-8")
    return lines[at].removeprefix("  quote: ")


@pytest.fixture(scope="module")
def corpus_sources(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "sources"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--documents", str(DOCUMENTS), "--seed", "1",
                    "--out", str(folder)], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def first_build(corpus_sources, tmp_path_factory):
    """A cached build of the generated corpus: every document file checked and remembered."""
    cache = BuildCache(tmp_path_factory.mktemp("cache") / "build")
    result = build(corpus_sources, tmp_path_factory.mktemp("first") / "out", cache=cache)
    return result, cache.folder


@pytest.fixture()
def edited(corpus_sources, tmp_path) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(corpus_sources, sources)
    shorten_first_quote(sources / "documents" / f"{EDITED}.yaml")
    return sources


@pytest.fixture()
def cache_copy(first_build, tmp_path) -> Path:
    """The first build's cache, copied so that each test may change it."""
    folder = tmp_path / "cache" / "build"
    shutil.copytree(first_build[1], folder)
    return folder


def test_first_build_checks_every_document_file_and_remembers_each(first_build):
    result, folder = first_build
    assert documents(result.cache_stats) == {"document.miss": DOCUMENTS, "document.write": DOCUMENTS}
    assert len(list((folder / "document").glob("*.entry"))) == DOCUMENTS


def test_after_one_edit_the_cached_build_rechecks_that_document_only_and_equals_a_clean_build(
        first_build, edited, cache_copy, tmp_path):
    incremental = build(edited, tmp_path / "incremental" / "out", cache=BuildCache(cache_copy))
    assert documents(incremental.cache_stats) == {"document.hit": DOCUMENTS - 1, "document.miss": 1, "document.write": 1}
    clean = build(edited, tmp_path / "clean" / "out")
    assert tree(incremental.out) == tree(clean.out)
    # The edit reached the outputs: the edited document's quote is shorter in the graph and in its page.
    before = tree(first_build[0].out)
    assert before[f"sources/{EDITED}.html"] != tree(clean.out)[f"sources/{EDITED}.html"]
    assert [name for name in before if before[name] != tree(clean.out).get(name)]


def test_a_damaged_cache_entry_is_checked_again_and_rewritten(first_build, corpus_sources, cache_copy, tmp_path):
    entries = sorted((cache_copy / "document").glob("*.entry"))
    damaged = entries[3]
    data = bytearray(damaged.read_bytes())
    data[-10] ^= 0xFF  # one flipped bit inside the pickled record: its stored hash no longer matches
    damaged.write_bytes(bytes(data))
    entries[5].write_bytes(b"")  # and one entry cut to nothing
    result = build(corpus_sources, tmp_path / "out", cache=BuildCache(cache_copy))
    assert documents(result.cache_stats) == {"document.hit": DOCUMENTS - 2, "document.miss": 2, "document.write": 2}
    assert tree(result.out) == tree(first_build[0].out)
    assert BuildCache(cache_copy).get("document", damaged.stem) is not None, "the entry was written again"


def test_a_new_code_version_checks_every_document_again(corpus_sources, cache_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
    result = build(corpus_sources, tmp_path / "out", cache=BuildCache(cache_copy))
    assert result.cache_stats["document.miss"] == DOCUMENTS and "document.hit" not in result.cache_stats


def test_a_registry_edit_makes_the_output_stale_and_the_cached_build_follows_it(
        first_build, corpus_sources, cache_copy, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(corpus_sources, sources)
    people = sources / "entities" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    description = next(line for line in text.split("\n") if line.strip().startswith("description:"))
    people.write_text(text.replace(description, description + " (edited)", 1), encoding="utf-8")
    out = tmp_path / "incremental" / "out"
    shutil.copytree(first_build[0].out, out)
    assert not up_to_date(out, input_hashes(sources))
    incremental = build(sources, out, cache=BuildCache(cache_copy))
    # A document file's checked record does not depend on the registry: references are resolved after it.
    assert documents(incremental.cache_stats) == {"document.hit": DOCUMENTS}
    clean = build(sources, tmp_path / "clean" / "out")
    assert tree(incremental.out) == tree(clean.out) != tree(first_build[0].out)
    assert b"(edited)" in (clean.out / "kg.nt").read_bytes()


def test_an_ontology_or_code_edit_makes_the_output_stale(first_build, corpus_sources, tmp_path, monkeypatch):
    hashes = input_hashes(corpus_sources)
    assert up_to_date(first_build[0].out, hashes)
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    (ontology / "kg.ttl").write_text((ontology / "kg.ttl").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(cache_module, "ontology_dir", lambda: ontology)
    assert not up_to_date(first_build[0].out, input_hashes(corpus_sources))
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
    assert not up_to_date(first_build[0].out, input_hashes(corpus_sources))


def test_an_unchanged_build_does_nothing_until_an_output_is_touched(first_build, corpus_sources, cache_copy, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_build[0].out, out)
    assert build(corpus_sources, out, cache=BuildCache(cache_copy)) is None
    (out / "kg.nt").write_bytes(b"")  # a damaged output: the build is no longer what it wrote
    result = build(corpus_sources, out, cache=BuildCache(cache_copy))
    assert result is not None and documents(result.cache_stats) == {"document.hit": DOCUMENTS}
    assert tree(out) == tree(first_build[0].out)


def test_the_cli_says_up_to_date_and_force_rebuilds(first_build, corpus_sources, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "kg-cache"))
    out = tmp_path / "out"
    shutil.copytree(first_build[0].out, out)
    forced = CliRunner().invoke(main, ["build", "--sources", str(corpus_sources), "--out", str(out), "--force"])
    assert forced.exit_code == 0 and f"documents: {DOCUMENTS}" in forced.output and "cache:" not in forced.output
    assert not (tmp_path / "kg-cache" / "build").exists(), "--force neither reads nor writes the build cache"
    quiet = CliRunner().invoke(main, ["build", "--sources", str(corpus_sources), "--out", str(out)])
    assert quiet.exit_code == 0 and quiet.output == f"{out} is up to date: nothing changed since its build " \
                                                    "(kg build --force rebuilds it)\n"
    assert tree(out) == tree(first_build[0].out)


def test_bad_input_in_an_edited_document_gives_the_clean_builds_message(corpus_sources, cache_copy, tmp_path,
                                                                        monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(corpus_sources, sources)
    yaml_file = sources / "documents" / f"{EDITED}.yaml"
    lines = yaml_file.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  quote: ") and i > lines.index("facts:"))
    lines[at] = "  quote: words this document never says"
    yaml_file.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(cache_copy.parent))
    args = ["build", "--sources", str(sources), "--out", str(tmp_path / "out")]
    cached, clean = (CliRunner().invoke(main, args + extra) for extra in ([], ["--no-cache"]))
    assert cached.exit_code == clean.exit_code == 2
    assert cached.output == clean.output
    assert f"sources/documents/{EDITED}.yaml, line {at + 1}: " in cached.output and "never says" in cached.output
    assert "Traceback" not in cached.output


def test_a_folder_the_cache_did_not_make_is_left_alone(tmp_path):
    folder = tmp_path / "build"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    cache = BuildCache(folder)
    cache.put("document", cache.key("document", b"x"), "value")
    assert not cache.enabled and sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_trim_removes_the_oldest_entries_and_nothing_else(tmp_path):
    import os

    cache = BuildCache(tmp_path / "build", max_bytes=3500)  # room for three entries of about 1,030 bytes
    keys = [cache.key("demo", str(n)) for n in range(6)]
    for n, key in enumerate(keys):
        cache.put("demo", key, "x" * 900)
        path = cache.folder / "demo" / f"{key}.entry"
        os.utime(path, ns=(n * 10 ** 9, n * 10 ** 9))  # written one second apart
    (cache.folder / "demo" / "readme.txt").write_text("not an entry\n")
    assert cache.trim() == 3
    assert [cache.get("demo", key) is not None for key in keys] == [False] * 3 + [True] * 3
    assert (cache.folder / "demo" / "readme.txt").exists() and (cache.folder / ".faction-kg-cache").exists()


def test_trim_counts_the_entries_only_when_the_recorded_size_could_pass_the_limit(tmp_path):
    import os

    from graph.cache import SIZE_FILE

    def sizes(folder):
        return sum(path.stat().st_size for path in (folder / "demo").glob("*.entry"))

    def build_writing(*names):
        cache = BuildCache(tmp_path / "build", max_bytes=3500)
        for name in names:
            cache.put("demo", cache.key("demo", name), "x" * 900)  # about 1,030 bytes each
        return cache

    first = build_writing("a", "b")
    assert first.trim() == 0 and int((first.folder / SIZE_FILE).read_text()) == sizes(first.folder)
    stray = first.folder / "demo" / f"{'0' * 64}.entry"  # 1,500 bytes the size file does not know of
    stray.write_bytes(b"s" * 1500)
    os.utime(stray, ns=(0, 0))
    assert build_writing("c").trim() == 0 and stray.exists()  # 3,090 bytes on record: not counted
    fourth = build_writing("d")  # 4,120 on record: counted, and the two oldest go
    assert fourth.trim() == 2 and not stray.exists()
    assert int((fourth.folder / SIZE_FILE).read_text()) == sizes(fourth.folder) <= 3500


def test_the_manifest_is_in_every_build_and_names_no_folder_of_this_machine(first_build):
    text = (first_build[0].out / MANIFEST).read_text(encoding="utf-8")
    assert str(first_build[0].out.parent) not in text and '"sources_name": "sources"' in text


def test_watch_rebuilds_on_save_reports_bad_input_and_stops_on_ctrl_c(corpus_sources, tmp_path):
    import os
    import queue
    import signal
    import threading

    sources, out = tmp_path / "sources", tmp_path / "out"
    shutil.copytree(corpus_sources, sources)
    yaml_file = sources / "documents" / f"{EDITED}.yaml"
    original = yaml_file.read_text(encoding="utf-8")
    watcher = subprocess.Popen([sys.executable, "-m", "graph", "build", "--watch", "--sources", str(sources),
                                "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "KG_CACHE_DIR": str(tmp_path / "kg-cache")})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout], daemon=True).start()

    def next_line(containing: str) -> str:
        while True:
            line = lines.get(timeout=300)
            if containing in line:
                return line

    try:
        assert f"built {out} in " in next_line(" built ")
        yaml_file.write_text(original.replace("status: reported", "status: rumoured", 1), encoding="utf-8")
        error = next_line(" error: ") + lines.get(timeout=60)  # "1 problem in the source files:", then the problem
        assert f"documents/{EDITED}.yaml" in error and "rumoured" in error
        yaml_file.write_text(original, encoding="utf-8")
        shorten_first_quote(yaml_file)
        rebuilt = next_line(" built ")
        assert f"1 document files checked, {DOCUMENTS - 1} unchanged" in rebuilt
        assert watcher.poll() is None, "the watch goes on"
    finally:
        watcher.send_signal(signal.SIGINT)
        code = watcher.wait(timeout=120)
    assert code == 0 and "stopped watching" in next_line("stopped")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg-cache", "out", "sources"], "no staging folder is left"
    assert up_to_date(out, input_hashes(sources)), "out/ is the build of the last save"


def _without_the_types_of_a_document(corpus_nquads):
    """``corpus_nquads`` with every rdf:type of the first source document dropped: the facts citing it break."""
    def broken(corpus, schema):
        lines = corpus_nquads(corpus, schema)
        kind = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        document = next(line.split(" ", 1)[0] for line in lines
                        if f"{kind}<https://example.org/faction-kg/ontology#SourceDocument> " in line)
        return [line for line in lines if not line.startswith(document + kind)]
    return broken


def test_a_rebuild_validates_what_changed_and_finds_what_a_clean_build_finds(
        first_build, edited, cache_copy, tmp_path, monkeypatch):
    from graph import pipeline

    out = tmp_path / "out"
    shutil.copytree(first_build[0].out, out)  # the last build, whose graph the cache saw conform
    rebuilt = build(edited, out, cache=BuildCache(cache_copy))
    assert "shacl.scoped" in rebuilt.step_seconds and "shacl.validate" not in rebuilt.step_seconds
    assert tree(out) == tree(build(edited, tmp_path / "clean" / "out").out)

    touched = tmp_path / "touched"
    shutil.copytree(out, touched)
    with (touched / "kg.nt").open("a", encoding="utf-8") as handle:
        handle.write("<https://e.org/a> <https://e.org/b> <https://e.org/c> .\n")  # not the graph that conformed
    again = build(edited, touched, cache=BuildCache(cache_copy))
    assert "shacl.validate" in again.step_seconds and "shacl.scoped" not in again.step_seconds

    monkeypatch.setattr(pipeline, "corpus_nquads", _without_the_types_of_a_document(pipeline.corpus_nquads))
    monkeypatch.setenv("KG_CACHE_DIR", str(cache_copy.parent))
    before = tree(out)
    shorten_first_quote(edited / "documents" / f"{EDITED}.yaml")  # so that the cached build runs
    args = ["build", "--sources", str(edited), "--out"]
    cached = CliRunner().invoke(main, [*args, str(out)])
    clean = CliRunner().invoke(main, [*args, str(tmp_path / "other"), "--no-cache"])
    assert cached.exit_code == clean.exit_code == 1
    assert cached.output == clean.output
    assert "SHACL: " in cached.output and "SourceDocument" in cached.output and "Traceback" not in cached.output
    assert tree(out) == before
