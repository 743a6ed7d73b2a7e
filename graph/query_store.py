"""The query store: an on-disk Oxigraph store of a build, cached outside ``out/`` and keyed by its content.

``kg query`` runs on this store. The build makes it (:func:`prepare_store`,
once ``kg.trig`` and ``kg.nt`` are written), so the first query after a
build is as fast as the rest; a query on a build that has none makes it then.

A store is a RocksDB folder, not byte-stable, so it lives in the cache
(``$KG_CACHE_DIR/oxigraph``, else ``~/.cache/faction-kg/oxigraph``), never in
the deterministic ``out/``. Its key is a hash of the two files' bytes, so it
does not depend on where the build is: the staging folder the build writes
into and the ``out/`` it is renamed to share one store. Hashing a 1M-triple
build takes a noticeable part of a second, so each store also remembers the
files it was checked against by their device, inode, size and time, which a
rename keeps: a query reads four ``stat`` results, not the files. A rebuild,
which writes new files, is hashed again.

A rebuild's store is derived from the last store of the same build folder
when little changed: that store is copied (a RocksDB checkpoint, which
hard-links its files), the named graphs whose lines changed are replaced,
and a triple leaves the default graph when no named graph states it any
more. Each store records the SHA-256 of each named graph's lines
(``graphs.json``) to find what changed. The result holds the same quads as a
store loaded whole; after a curator's note at 10,000 documents it is made in
about a second, against some 20 s of loading and compaction.

The cache keeps the newest few stores, and of those that served one build
folder only the newest. Its folder holds the project's cache marker, as the
build cache's does: a folder that is not empty and not marked is never
written to. Even in its own folder it deletes only folders it made (named by
a key, holding a ``source`` file) and its own staging folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .errors import KGError

__all__ = ["cache_root", "content_key", "prepare_store", "start_store", "open_store", "CACHE_ENTRIES"]

CACHE_ENTRIES = 8
FILES = ("kg.trig", "kg.nt")  # the named graphs, and their merge as the default graph
_KEY = re.compile(r"^[0-9a-f]{40}$")
_CHUNK = 1 << 20


def cache_root() -> Path:
    """Where query stores are cached: ``$KG_CACHE_DIR/oxigraph``, else ``~/.cache/faction-kg/oxigraph``."""
    from .cache import cache_base

    return cache_base() / "oxigraph"


def content_key(folder: Path) -> str:
    r"""A hash of the bytes of a build's ``kg.trig`` and ``kg.nt``: the same for the same graph, wherever it is.

    Examples
    --------
    >>> import tempfile
    >>> first, second = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> for folder in (first, second):
    ...     _ = (folder / "kg.trig").write_text("<a:s> <a:p> <a:o> .\n"), (folder / "kg.nt").write_text("")
    >>> content_key(first) == content_key(second), len(content_key(first))
    (True, 40)
    >>> _ = (second / "kg.nt").write_text("<a:s> <a:p> <a:o> .\n")
    >>> content_key(first) == content_key(second)
    False
    >>> for folder in (first, second):
    ...     shutil.rmtree(folder)
    """
    digest = hashlib.sha1()
    for name in FILES:
        with open(Path(folder) / name, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            digest.update(f"{name}:{size}\n".encode())  # the boundary between the files is part of the key
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _signature(folder: Path) -> str:
    """The files' device, inode, size and modification time: unchanged by a rename, changed by a rewrite."""
    parts = []
    for name in FILES:
        stat = (Path(folder) / name).stat()
        parts.append(f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1(" ".join(parts).encode()).hexdigest()


def _remember(root: Path, signature: str, key: str) -> None:
    seen = root / "seen"
    seen.mkdir(parents=True, exist_ok=True)
    temporary = seen / f".{signature}.{os.getpid()}"
    temporary.write_text(key, encoding="utf-8")
    temporary.replace(seen / signature)


CHUNK_LINES = 100_000  # lines per bulk load: Oxigraph's bulk loader holds a whole input in memory
DERIVE_AT_MOST = 0.1  # a store is derived from the last one when at most this share of the lines changed
MAX_DERIVATIONS = 16  # ... and was itself derived fewer times in a row: then it is loaded whole, and compacted


def _load_lines(store, lines: list[str], fmt, **graph) -> None:
    for start in range(0, len(lines), CHUNK_LINES):
        store.bulk_load("".join(lines[start:start + CHUNK_LINES]).encode("utf-8"), format=fmt, **graph)


GRAPHS_FILE = "graphs.json"  # beside a store: each named graph's digest, so that the next build's store can be derived


def _graph_start(line: str) -> int:
    """Where an N-Quads line's graph term starts, after its space: the last ``<``, as an IRI holds no space."""
    return line.rindex(" <")


def _by_graph(quads: list[str]) -> dict[str, list[str]]:
    """N-Quads lines grouped by their graph's IRI (``<...>``)."""
    groups: dict[str, list[str]] = {}
    for line in quads:
        start = _graph_start(line)
        groups.setdefault(line[start + 1:line.index(">", start) + 1], []).append(line)
    return groups


def _digests(groups: dict[str, list[str]]) -> dict[str, list]:
    """Each graph's SHA-256 and number of lines."""
    return {graph: [hashlib.sha256("".join(lines).encode("utf-8")).hexdigest(), len(lines)]
            for graph, lines in groups.items()}


def _base(root: Path, serves: Path) -> tuple[Path, dict] | None:
    """The newest store that served ``serves`` with a readable record of its graphs (:data:`GRAPHS_FILE`), if any."""
    try:
        entries = sorted((p for p in root.iterdir() if _KEY.match(p.name) and (p / GRAPHS_FILE).is_file()),
                         key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:  # another build evicted one meanwhile: load whole
        return None
    for entry in entries:
        try:
            if (entry / "source").read_text(encoding="utf-8") != str(serves) or not (entry / "store").is_dir():
                continue
            record = json.loads((entry / GRAPHS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _well_formed(record):
            return entry, record
    return None


def _well_formed(record) -> bool:
    return (isinstance(record, dict) and isinstance(record.get("derivations"), int)
            and isinstance(record.get("graphs"), dict)
            and all(isinstance(g, str) and isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                    and isinstance(v[1], int) for g, v in record["graphs"].items()))


def _derive(base: Path, target: Path, groups: dict[str, list[str]], old: dict, new: dict) -> bool:
    """Make the store of ``groups`` at ``target`` from a copy of the store at ``base``; False if it should not.

    ``old`` is the base's record (:data:`GRAPHS_FILE`), ``new`` this build's
    graphs (:func:`_digests`). Only the named graphs whose digest changed are
    replaced. A triple of the default graph (the merge) goes when no named
    graph states it any more. When more than :data:`DERIVE_AT_MOST` of the
    lines changed (removed and added), or after :data:`MAX_DERIVATIONS` in a
    row (a derived store is not compacted), the store is loaded whole instead.
    """
    import pyoxigraph as ox

    before = old["graphs"]
    changed = sorted(g for g in before.keys() | new.keys() if before.get(g) != new.get(g))  # [digest, lines]
    moved = sum(before[g][1] for g in changed if g in before) + sum(new[g][1] for g in changed if g in new)
    if moved > DERIVE_AT_MOST * sum(count for _, count in new.values()) or old["derivations"] >= MAX_DERIVATIONS:
        return False
    try:
        ox.Store.read_only(str(base / "store")).backup(str(target))  # RocksDB's checkpoint: hard links
    except (OSError, ValueError):
        return False
    store = ox.Store(str(target))
    dropped = []
    for graph in changed:
        name = ox.NamedNode(graph[1:-1])
        if graph in before:
            dropped += [ox.Triple(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, name)]
            store.remove_graph(name)
        if graph in new:
            text = "".join(groups[graph])
            store.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            triples = "".join(line[:_graph_start(line)] + " .\n" for line in groups[graph])
            store.load(triples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    for triple in dropped:
        stated = any(not isinstance(q.graph_name, ox.DefaultGraph)
                     for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None))
        if not stated:
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    store.flush()
    del store  # closed before the folder is renamed
    return True


def _load_files(folder: Path, target: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(target))
    # The default graph is the merge (kg.nt), not a union view of the named
    # graphs: a triple stated by two documents must count once.
    store.bulk_load(path=str(folder / FILES[0]), format=ox.RdfFormat.TRIG)
    store.bulk_load(path=str(folder / FILES[1]), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.flush()


def _load_lines_whole(target: Path, quads: list[str], triples: list[str]) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(target))
    # The build's own lines, in slices: loading a million-triple file at once takes over a gigabyte
    # (at 10k documents, 1.1 GB against 0.1 GB). Compaction then makes the slices one index again,
    # which queries need (without it, they take up to twice as long).
    _load_lines(store, quads, ox.RdfFormat.N_QUADS)
    _load_lines(store, triples, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.optimize()
    store.flush()


def _load(folder: Path, root: Path, key: str, serves: Path, lines: tuple | None = None,
          derive: bool = True) -> Path:
    entry = root / key
    staging = Path(tempfile.mkdtemp(prefix=".loading-", dir=root))
    try:
        if lines is None:
            _load_files(folder, staging / "store")
        else:
            quads, triples = lines
            groups = _by_graph(quads)
            digests = _digests(groups)
            base = _base(root, serves) if derive else None
            derived = base is not None and _derive(base[0], staging / "store", groups, base[1], digests)
            if not derived:
                shutil.rmtree(staging / "store", ignore_errors=True)
                _load_lines_whole(staging / "store", quads, triples)
            record = {"graphs": digests, "derivations": base[1]["derivations"] + 1 if derived else 0}
            (staging / GRAPHS_FILE).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        (staging / "source").write_text(str(serves), encoding="utf-8")
        staging.rename(entry)
    except OSError:
        if not (entry / "store").is_dir():  # not a lost race with another process loading the same build
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return entry


def prepare_store(folder: Path, serves: Path | None = None, lines: tuple[list[str], list[str]] | None = None,
                  derive: bool = True) -> Path:
    """Make (or find) the query store of the build files in ``folder``; return its cache folder.

    Parameters
    ----------
    folder : Path
        Where ``kg.trig`` and ``kg.nt`` are now: the build's staging folder, or ``out/``.
    serves : Path, optional
        The build folder queries will name (``out/``, default ``folder``): older
        stores of the same folder are dropped from the cache.
    lines : (list of str, list of str), optional
        The build's N-Quads lines (what ``kg.trig`` holds) and N-Triples lines
        (``kg.nt``), loaded instead of reading the files, in less memory.
    derive : bool
        With ``lines``, make the store from the last one that served ``serves``
        when little changed (``kg build --force`` loads it whole).
    """
    folder = Path(folder)
    serves = Path(serves or folder).resolve()
    root = cache_root()
    _claim(root)
    key = content_key(folder)
    entry = root / key
    if not (entry / "store").is_dir():
        entry = _load(folder, root, key, serves, lines, derive)
    else:
        (entry / "source").write_text(str(serves), encoding="utf-8")
        os.utime(entry)  # the newest in use: kept longest
    _remember(root, _signature(folder), key)
    _evict(root, keep=entry, source=str(serves))
    return entry


class ForeignFolderError(PermissionError):
    """The query stores' folder exists, holds files, and no marker says the project made it."""


def _made_by_an_earlier_version(path: Path) -> bool:
    """Whether ``path`` is what the query store cache writes: a key folder with its ``source`` file and
    ``store``, the ``seen`` folder, or a staging folder."""
    if path.is_symlink() or not path.is_dir():
        return False
    if _KEY.match(path.name):
        return (path / "source").is_file() and (path / "store").is_dir()
    return path.name == "seen" or path.name.startswith(".loading-")


def _claim(root: Path) -> None:
    """Make ``root`` the marked folder of the query stores, or raise OSError; a foreign folder is left alone.

    A folder that an earlier version made before it wrote markers holds
    nothing but key folders (each with its ``source`` file and ``store``),
    the ``seen`` folder and staging folders: it is marked now.
    Any other folder that is not empty and not marked is someone else's.
    """
    from .cache import claim_cache_folder
    from .folders import is_ours, mark

    if (root.is_dir() and not is_ours(root, "cache") and any(root.iterdir())
            and all(_made_by_an_earlier_version(path) for path in root.iterdir())):
        mark(root, "cache")
    if not claim_cache_folder(root):
        if root.is_dir() and not is_ours(root, "cache"):
            raise ForeignFolderError(f"{root} holds files the project did not make (no .faction-kg-cache marker), "
                                     "so query stores are not written there; set KG_CACHE_DIR to another folder, "
                                     "or empty this one")
        raise PermissionError(f"cannot write to {root}")


def _prepare_for_build(folder: Path, serves: Path | None, lines, derive: bool) -> Path | None:
    try:
        return prepare_store(folder, serves, lines, derive)
    except OSError:  # an unwritable or full cache must not fail the build: the first query tries again, and says why
        return None


def start_store(folder: Path, serves: Path | None = None, lines: tuple[list[str], list[str]] | None = None,
                derive: bool = True) -> Future:
    """:func:`prepare_store` on a thread of its own, for the build; ``.result()`` waits for it.

    Oxigraph parses and loads without holding the interpreter lock, so the
    store is made on the other core while the build goes on in Python. The
    result is the store's folder, or None if the cache could not be written.
    """
    executor = ThreadPoolExecutor(1, thread_name_prefix="query-store")
    future = executor.submit(_prepare_for_build, folder, serves, lines, derive)
    executor.shutdown(wait=False)
    return future


def open_store(folder: Path):
    """The build in ``folder`` as a read-only pyoxigraph store, made first if the build did not make it."""
    import pyoxigraph as ox

    folder = Path(folder)
    root = cache_root()
    try:
        key = (root / "seen" / _signature(folder)).read_text(encoding="utf-8")
    except OSError:
        key = ""
    entry = root / key if _KEY.match(key) else None
    if entry is None or not (entry / "store").is_dir():
        try:
            entry = prepare_store(folder)
        except ForeignFolderError as error:
            raise KGError(str(error)) from None
        except OSError as error:
            raise KGError(f"cannot make the query store in {root}: {error.strerror or error}; "
                          "set KG_CACHE_DIR to a folder you can write to") from None
    return ox.Store.read_only(str(entry / "store"))


def _evict(root: Path, keep: Path, source: str) -> None:
    """Drop older stores of the same build folder, and all but the newest few; forget the files they served."""
    entries = sorted((p for p in root.iterdir() if _KEY.match(p.name) and p != keep and (p / "source").is_file()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for position, entry in enumerate(entries):
        stale = (entry / "source").read_text(encoding="utf-8") == source
        if stale or position >= CACHE_ENTRIES - 1:
            shutil.rmtree(entry, ignore_errors=True)
    seen = root / "seen"
    if seen.is_dir():
        for memo in seen.iterdir():
            try:
                if not (root / memo.read_text(encoding="utf-8") / "store").is_dir():
                    memo.unlink()
            except OSError:
                pass
