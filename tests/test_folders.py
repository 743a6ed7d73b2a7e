"""No command deletes or replaces a folder the project did not make."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.folders import UnsafeFolder, check_replaceable, is_ours, mark, output_lock, remove_stale_staging

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (``.git`` included) with the hash of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args])


@pytest.fixture()
def home(tmp_path_factory, monkeypatch) -> Path:
    folder = tmp_path_factory.mktemp("home")
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "todo.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(folder))
    return folder


def user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "analysis"
    folder.mkdir()
    (folder / "draft.md").write_text("my draft\n", encoding="utf-8")
    return folder


def repository(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    mark(folder, "build")  # even a marked folder is refused once it holds a repository
    return folder


def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "out.txt"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


# (how to get the folder, what the message says); each is refused with exit 2 and left untouched.
DANGEROUS = [
    (lambda tmp, sources, home: Path("/"), "it is the root of the file system"),
    (lambda tmp, sources, home: home, "it is your home folder"),
    (lambda tmp, sources, home: home.parent, "it holds your home folder"),
    (lambda tmp, sources, home: ROOT, "it is the project's own folder"),
    (lambda tmp, sources, home: sources, "it is the sources folder"),
    (lambda tmp, sources, home: sources.parent, "it holds the sources folder"),
    (lambda tmp, sources, home: sources / "documents", "it lies inside the sources folder"),
    (lambda tmp, sources, home: repository(tmp), "it holds a .git folder"),
    (lambda tmp, sources, home: user_folder(tmp), "is not empty and was not made by faction-kg"),
    (lambda tmp, sources, home: a_file(tmp), "is a file"),
]
IDS = ["root", "home", "above-home", "project", "sources", "above-sources", "inside-sources", "git", "user-folder",
       "file"]


@pytest.mark.parametrize(("folder", "message"), DANGEROUS, ids=IDS)
def test_build_refuses_a_folder_it_did_not_make(tmp_path, sources_copy, home, folder, message):
    target = folder(tmp_path, sources_copy, home)
    watched = target if target.is_dir() and target not in (Path("/"), ROOT) and target != home.parent else None
    before = snapshot(watched) if watched else None
    source_files = snapshot(sources_copy)
    result = build("--sources", str(sources_copy), "--out", str(target))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "--out" in result.output and "Traceback" not in result.output
    if watched:
        assert snapshot(watched) == before
    assert snapshot(sources_copy) == source_files


def test_a_dangling_symlink_is_refused(tmp_path, sources_copy):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    result = build("--sources", str(sources_copy), "--out", str(link))
    assert result.exit_code == 2 and "broken symbolic link" in result.output
    assert link.is_symlink()


def test_out_dot_in_a_throwaway_clone_leaves_the_checkout_whole(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    shutil.rmtree(clone / "graph")  # the code under test, committed or not
    shutil.copytree(ROOT / "graph", clone / "graph", ignore=shutil.ignore_patterns("__pycache__"))
    before = snapshot(clone)
    env = {**os.environ, "PYTHONPATH": str(clone)}
    result = subprocess.run([sys.executable, "build.py", "--out", "."], cwd=clone, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "refusing to use . as the build's output folder: it is the project's own folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(clone) == before


@pytest.mark.parametrize("content", ["empty", "missing", "marked", "earlier-build"])
def test_build_replaces_only_its_own_or_an_empty_folder(tmp_path, sources_copy, out_dir, content):
    target = tmp_path / "out"
    if content == "empty":
        target.mkdir()
    elif content == "marked":
        mark(target, "build")
        (target / "stale.txt").write_text("from an older build\n", encoding="utf-8")
    elif content == "earlier-build":  # written before markers existed: only names a build writes
        target.mkdir()
        for name in ("kg.nt", "kg.ttl", "report.html"):
            (target / name).write_bytes((out_dir / name).read_bytes())
    result = build("--sources", str(sources_copy), "--out", str(target))
    assert result.exit_code == 0, result.output
    assert is_ours(target, "build") and (target / "kg.nt").read_bytes() == (out_dir / "kg.nt").read_bytes()
    assert not (target / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sources"], "no lock or staging folder is left"


@pytest.mark.parametrize("command", [["report"], ["view", "--focus", "al-nujaba"]])
def test_report_and_view_write_only_into_a_build_folder(tmp_path, out_dir, command):
    folder = user_folder(tmp_path)
    (folder / "kg.nt").write_bytes((out_dir / "kg.nt").read_bytes())
    before = snapshot(folder)
    result = CliRunner().invoke(main, [*command, "--out", str(folder)])
    assert result.exit_code == 2, result.output
    assert "was not written by the build" in result.output
    assert snapshot(folder) == before


def test_stale_staging_of_a_killed_build_is_removed_and_a_strangers_folder_is_not(tmp_path):
    out = tmp_path / "out"
    dead = tmp_path / ".out-building-abc123"
    mark(dead, "build")
    (dead / "kg.nt").write_text("half written\n", encoding="utf-8")
    lookalike = tmp_path / ".out-building-mine"
    lookalike.mkdir()
    (lookalike / "keep.txt").write_text("mine\n", encoding="utf-8")
    with output_lock(out):
        assert remove_stale_staging(out) == [dead]
    assert not dead.exists() and (lookalike / "keep.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_store_folder_needs_the_store_marker(tmp_path):
    build_folder = tmp_path / "out"
    mark(build_folder, "build")
    (build_folder / "kg.nt").write_text("", encoding="utf-8")
    with pytest.raises(UnsafeFolder, match=r"has no \.faction-kg-store file.*--store"):
        check_replaceable(build_folder, "store")
    mark(tmp_path / "store", "store")
    assert check_replaceable(tmp_path / "store", "store") == (tmp_path / "store").resolve()


def test_concurrent_builds_into_one_folder_take_turns(tmp_path, sources_copy):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "build.py", "--sources", str(sources_copy), "--out", str(out)]
    builds = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(3)]
    outcomes = [(b.wait(timeout=300), *b.communicate()) for b in builds]
    assert [code for code, _, _ in outcomes] == [0, 0, 0], outcomes
    assert not any("Traceback" in err for _, _, err in outcomes)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sources"]
    assert is_ours(out, "build") and (out / "kg.nt").is_file()


def test_a_second_lock_holder_waits_for_the_first(tmp_path):
    out = tmp_path / "out"
    told = []

    def second():
        with output_lock(out, notify=told.append):
            pass

    with output_lock(out):
        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive(), "the second one waits while the first holds the lock"
    waiter.join(timeout=5)
    assert not waiter.is_alive() and told == [f"waiting for another build writing into {out} to finish"]
    assert not (tmp_path / ".out.lock").exists()


def test_a_rebuild_says_what_it_replaced_of_other_commands(tmp_path, sources_copy):
    out = tmp_path / "out"
    assert build("--sources", str(sources_copy), "--out", str(out)).exit_code == 0
    runner = CliRunner()
    assert runner.invoke(main, ["view", "--focus", "al-nujaba", "--hops", "1", "--out", str(out)]).exit_code == 0
    assert runner.invoke(main, ["report", "--window", "90", "--out", str(out)]).exit_code == 0
    result = build("--sources", str(sources_copy), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "replaced 1 page written by kg view --focus (graph-al-nujaba-1hops.html)" in result.output
    assert "run kg report --window 90" in result.output
    assert not (out / "graph-al-nujaba-1hops.html").exists()
