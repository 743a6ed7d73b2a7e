"""Folders the project writes, and the rule that keeps it from deleting anything else.

A folder is the project's to replace only when a marker file inside it says
the project made it: ``.faction-kg-build`` in a build's output folder,
``.faction-kg-store`` in an Oxigraph store folder. Everything else a user
names is theirs: a missing or empty folder may be made into one of ours, a
non-empty unmarked one is refused, and so are the folders no build may ever
replace (``/``, the home folder, the project root, a folder holding ``.git``,
and any folder that is, holds or lies inside the sources folder).

A build also holds a lock beside its output folder for as long as it runs
(:func:`output_lock`), so that two builds into one folder take turns, and
clears the staging folders that killed builds left behind
(:func:`remove_stale_staging`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import KGError
from .paths import project_root

__all__ = [
    "UnsafeFolder",
    "BuildBusy",
    "KINDS",
    "marker_path",
    "mark",
    "is_ours",
    "check_replaceable",
    "check_build_folder",
    "output_lock",
    "staging_prefix",
    "remove_stale_staging",
]

KINDS = {
    "build": "the build's output folder",
    "store": "the Oxigraph store folder",
    "corpus": "a generated benchmark corpus (bench/generate.py)",
    "cache": "the build cache (graph/cache.py)",
}

# What a build wrote before markers existed: a folder holding only these names
# is an earlier build, and may be replaced like a marked one.
_BUILD_NAMES = frozenset({
    "kg.ttl", "kg.nt", "kg.jsonld", "kg.trig", "void.ttl", "report.html", "report.md", "metrics.json",
    "metrics.csv", "kg.graphml", "kg.gexf", "graph.html", "sources",
})


class UnsafeFolder(KGError):
    """A folder the user named is not one the project may replace or write into."""


class BuildBusy(KGError):
    """Another build holds the output folder's lock for longer than we wait."""


def marker_path(folder: Path, kind: str) -> Path:
    """The marker file that says ``folder`` is ``kind`` and the project made it.

    Examples
    --------
    >>> marker_path(Path("out"), "build").name
    '.faction-kg-build'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown folder kind {kind!r}; one of {sorted(KINDS)}")
    return Path(folder) / f".faction-kg-{kind}"


def mark(folder: Path, kind: str) -> Path:
    """Write the marker into ``folder`` (made if missing); the text is the same on every run."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("faction-kg")
    except PackageNotFoundError:  # run from a checkout that was never installed
        release = "unknown"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = marker_path(folder, kind)
    marker.write_text(f"faction-kg {release} made this folder: {KINDS[kind]}.\n"
                      "faction-kg replaces this folder whole; do not keep your own files in it.\n",
                      encoding="utf-8")
    marker.chmod(0o644)
    return marker


def is_ours(folder: Path, kind: str) -> bool:
    """Whether ``folder`` holds the project's marker of ``kind``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> is_ours(folder, "build")
    False
    >>> _ = mark(folder, "build")
    >>> is_ours(folder, "build"), is_ours(folder, "store")
    (True, False)
    """
    marker = marker_path(folder, kind)
    return marker.is_file() and not marker.is_symlink()


def _looks_like_earlier_build(folder: Path) -> bool:
    names = {entry.name for entry in folder.iterdir()}
    return bool(names) and all(name in _BUILD_NAMES or (name.startswith("graph-") and name.endswith(".html"))
                               for name in names) and "kg.nt" in names


def _forbidden_reason(folder: Path, sources: Path | None) -> str | None:
    """Why no build may ever replace ``folder`` (resolved), or None."""
    home = Path.home().resolve()
    root = project_root().resolve()
    if folder == Path(folder.anchor):
        return "it is the root of the file system"
    if folder == home or folder in home.parents:
        return "it is your home folder" if folder == home else "it holds your home folder"
    if folder == root or folder in root.parents:
        return "it is the project's own folder" if folder == root else "it holds the project's folder"
    if sources is not None:
        sources = sources.resolve()
        if folder == sources or folder in sources.parents:
            return "it is the sources folder" if folder == sources else "it holds the sources folder"
        if sources in folder.parents:
            return "it lies inside the sources folder"
    if (folder / ".git").exists():
        return "it holds a .git folder (a repository)"
    return None


def check_replaceable(folder: Path, kind: str, *, sources: Path | None = None) -> Path:
    """Return ``folder`` resolved if the project may replace it whole; else raise :class:`UnsafeFolder`.

    A missing or empty folder, one holding the marker of ``kind``, or (for a
    build) an earlier build from before markers, may be replaced. Every other
    folder is the user's and is refused, with a message that says what to do.

    Examples
    --------
    >>> import tempfile
    >>> mine = Path(tempfile.mkdtemp())
    >>> _ = (mine / "notes.txt").write_text("my notes")
    >>> check_replaceable(mine, "build")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.folders.UnsafeFolder: ... is not empty and was not made by faction-kg ...
    """
    given = Path(folder)
    if given.is_symlink() and not given.exists():
        raise UnsafeFolder(f"{given} is a broken symbolic link; remove it or choose another folder")
    resolved = given.resolve()
    option = "--store" if kind == "store" else "--out"
    reason = _forbidden_reason(resolved, sources)
    if reason:
        raise UnsafeFolder(f"refusing to use {given} as {KINDS[kind]}: {reason}, and it would be replaced whole; "
                           f"choose a new folder with {option}, for example {option} {_suggestion(kind)}")
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeFolder(f"{given} is a file, not a folder; choose a folder with {option}")
    if not resolved.exists() or is_ours(resolved, kind):
        return resolved
    try:
        empty = not any(resolved.iterdir())
    except OSError as error:
        raise UnsafeFolder(f"cannot read {given}: {error.strerror}; choose another folder with {option}") from None
    if empty or (kind == "build" and _looks_like_earlier_build(resolved)):
        return resolved
    raise UnsafeFolder(f"{given} is not empty and was not made by faction-kg (it has no {marker_path(given, kind).name} "
                       f"file), so it is not replaced; choose a new or empty folder with {option}, "
                       f"or move your files out of it first")


def check_build_folder(out: Path) -> Path:
    """The build folder ``kg report`` and ``kg view`` write into: it must be one a build made."""
    out = Path(out)
    if out.is_dir() and (is_ours(out, "build") or _looks_like_earlier_build(out)):
        return out
    if not out.exists():
        return out  # the command's own check says that no build is there
    raise UnsafeFolder(f"{out} was not written by the build (it has no {marker_path(out, 'build').name} file); "
                       "name a build folder with --out, or build one first: python build.py --out FOLDER")


def _suggestion(kind: str) -> str:
    return {"build": "out", "store": "~/.cache/faction-kg/store", "corpus": "bench/corpora/1000"}[kind]


def staging_prefix(out: Path) -> str:
    """The name every staging folder of ``out`` starts with (they sit beside it)."""
    return f".{Path(out).name}-building-"


def remove_stale_staging(out: Path) -> list[Path]:
    """Delete staging folders of ``out`` left by dead builds; call only while holding :func:`output_lock`.

    A staging folder is recognised by its name and by the build marker inside
    it; one without the marker is left alone.
    """
    removed = []
    out = Path(out)
    if not out.parent.is_dir():
        return removed
    for entry in sorted(out.parent.glob(staging_prefix(out) + "*")):
        if entry.is_dir() and not entry.is_symlink() and is_ours(entry, "build"):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextmanager
def output_lock(out: Path, *, wait_seconds: float = 600.0, notify=None):
    """Hold the lock file beside ``out`` (``.<name>.lock``) for the length of a build.

    A second build into the same folder waits for the first (calling
    ``notify`` once with a message) and raises :class:`BuildBusy` after
    ``wait_seconds``. The lock is an ``flock``, which goes with the process
    that holds it, so a killed build never leaves the folder locked; the file
    is removed when the lock is released.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "out"
    >>> with output_lock(out) as lock:
    ...     lock.name, lock.exists()
    ('.out.lock', True)
    >>> lock.exists()
    False
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_file = out.parent / f".{out.name}.lock"
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        handle = open(lock_file, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            handle.close()
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            if time.monotonic() > deadline:
                raise BuildBusy(f"another build has been writing into {out} for over {wait_seconds:.0f} s "
                                f"(lock {lock_file}); wait for it to finish, or build into another folder "
                                "with --out") from None
            if not told:
                (notify or _tell)(f"waiting for another build writing into {out} to finish")
                told = True
            time.sleep(0.1)
            continue
        try:  # the holder before us may have removed the file: then our lock guards nothing
            same_file = os.fstat(handle.fileno()).st_ino == os.stat(lock_file).st_ino
        except FileNotFoundError:
            same_file = False
        if same_file:
            break
        handle.close()
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield lock_file
    finally:
        lock_file.unlink(missing_ok=True)
        handle.close()  # releases the flock


def _tell(message: str) -> None:
    print(message, file=sys.stderr)
