"""The build cache: what the build derived from each input, keyed by the hashes of what it read.

Two things live here, and nothing else in the build knows how keys are made:

- :class:`BuildCache`, entries outside ``out/`` under ``$KG_CACHE_DIR/build``
  (else ``~/.cache/faction-kg/build``), each keyed by the hashes of the bytes
  it was derived from and of the code (:func:`code_version`). The loader asks
  it for a document's checked record (:meth:`BuildCache.document`); any other
  per-document product can use :meth:`BuildCache.get` and :meth:`BuildCache.put`.
  An entry is written to a temporary file and renamed into place, so two
  builds may share the cache; it carries the hash of its own bytes, so a
  damaged entry is a miss, never a result. The folder holds the project's
  marker; only files named ``*.entry`` in a marked folder are ever removed,
  oldest first, when the cache outgrows :data:`MAX_BYTES`.
- :func:`input_hashes` and :func:`up_to_date`: a build writes the hashes of
  every input, and the names and sizes of the outputs, to ``build-inputs.json`` in
  ``out/``, so that ``kg build`` can tell, without loading anything, that
  nothing changed since. A clean build writes the same file, so clean and
  incremental outputs stay byte-identical.

Entries are pickles: the folder is the user's own (made with mode 0700), and an
entry is read only when its hash matches its bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import stat
import tempfile
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .folders import is_ours, mark
from .paths import ontology_dir, project_root

__all__ = ["BuildCache", "MAX_BYTES", "MANIFEST", "cache_dir", "code_version", "input_hashes", "up_to_date",
           "write_manifest"]

MAX_BYTES = 2 * 1024 ** 3
"""The largest the cache grows (2 GiB): a 10,000-document corpus takes about 250 MB."""
MANIFEST = "build-inputs.json"
SIZE_FILE = "size"  # in the cache folder: the entries' bytes, as of the last count plus what was written since
_MAGIC = b"faction-kg cache 1\n"


def cache_base() -> Path:
    """The folder of every cache (build records, query stores, charts): $KG_CACHE_DIR, else ~/.cache/faction-kg."""
    configured = os.environ.get("KG_CACHE_DIR")
    return Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "faction-kg"


def cache_dir() -> Path:
    """$KG_CACHE_DIR/build, else ~/.cache/faction-kg/build (beside the query stores' ``oxigraph``)."""
    return cache_base() / "build"


def claim_cache_folder(folder: Path) -> bool:
    """Make ``folder`` a marked cache folder, or find it one; False if someone else's, or not writable.

    A folder that exists, is not empty and holds no cache marker is never written to.
    """
    try:
        if folder.is_dir() and any(folder.iterdir()) and not is_ours(folder, "cache"):
            return False  # a folder someone else made: leave it alone
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not is_ours(folder, "cache"):
            mark(folder, "cache")
        return True
    except OSError:
        return False  # no cache (read-only home, ...): the build works without one


def replace_atomically(path: Path, data: bytes | list[bytes]) -> None:
    """Write ``data`` (bytes, or pieces written one after another) to ``path`` through a temporary file beside it,
    renamed into place; raises OSError.

    A reader sees the old file or the new one, never part of one; a failed
    write leaves no temporary file behind.
    """
    handle, temporary = tempfile.mkstemp(prefix=".writing-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.writelines([data] if isinstance(data, bytes) else data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=1)
def code_version() -> str:
    """The SHA-256 of the package's source files (``graph/``, its templates included): any edit changes it.

    Examples
    --------
    >>> len(code_version()), code_version() == code_version()
    (64, True)
    """
    package = project_root() / "graph"
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(package).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BuildCache:
    """Entries keyed by input hashes; ``stats`` counts hits, misses and writes per kind.

    Parameters
    ----------
    folder : Path, optional
        Where the entries live (default :func:`cache_dir`). A folder that exists,
        is not empty and holds no cache marker is never written to: the cache is off.
    max_bytes : int
        The size above which the oldest entries are removed by :meth:`trim`.
    read_only : bool
        Find entries, in a folder a build marked, but never write (``kg check``).

    Examples
    --------
    >>> import tempfile
    >>> cache = BuildCache(Path(tempfile.mkdtemp()) / "build")
    >>> key = cache.key("demo", b"some input")
    >>> cache.get("demo", key) is None
    True
    >>> cache.put("demo", key, {"derived": [1, 2]})
    >>> cache.get("demo", key), dict(cache.stats)
    ({'derived': [1, 2]}, {'demo.miss': 1, 'demo.write': 1, 'demo.hit': 1})
    """

    def __init__(self, folder: Path | None = None, *, max_bytes: int = MAX_BYTES, read_only: bool = False):
        self.folder = Path(folder) if folder is not None else cache_dir()
        self.max_bytes = max_bytes
        self.stats: Counter = Counter()
        self.read_only = read_only
        self.enabled = is_ours(self.folder, "cache") if read_only else self._claim()
        self.written_bytes = 0

    @classmethod
    def off(cls) -> "BuildCache":
        """A cache that stores nothing and finds nothing (``kg build --no-cache``); it still counts the misses."""
        cache = cls.__new__(cls)
        cache.folder, cache.max_bytes, cache.stats, cache.enabled, cache.read_only = None, 0, Counter(), False, True
        cache.written_bytes = 0
        return cache

    def _claim(self) -> bool:
        return claim_cache_folder(self.folder)

    @staticmethod
    def key(kind: str, *parts: bytes | str) -> str:
        """The key of what ``kind`` derives from ``parts`` with this code: the SHA-256 of them all."""
        digest = hashlib.sha256(f"{kind}\0{code_version()}".encode())
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(b"\0%d\0" % len(data))
            digest.update(data)
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.entry"

    def get(self, kind: str, key: str, valid=None):
        """The value stored under ``key``, or None when there is none, it is damaged or ``valid(value)`` is false."""
        value = None
        if self.enabled:
            try:
                data = self._path(kind, key).read_bytes()
                head, stored_key, digest, payload = data.split(b"\n", 3)
                if head + b"\n" == _MAGIC and stored_key.decode() == key and digest.decode() == _sha256(payload):
                    value = pickle.loads(payload)
                    if valid is not None and not valid(value):
                        value = None
            except (OSError, ValueError, UnicodeDecodeError, pickle.UnpicklingError, EOFError, AttributeError,
                    ImportError, IndexError, TypeError):
                value = None
        self.stats[f"{kind}.{'miss' if value is None else 'hit'}"] += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        """Store ``value`` under ``key``: written whole to a temporary file, then renamed into place."""
        if not self.enabled or self.read_only:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder = self.folder / kind
        try:
            folder.mkdir(exist_ok=True, mode=0o700)
            entry = b"%s%s\n%s\n%s" % (_MAGIC, key.encode(), _sha256(payload).encode(), payload)
            replace_atomically(self._path(kind, key), entry)
            self.written_bytes += len(entry)
        except OSError:
            return  # a full disk costs the next build time, not this build
        self.stats[f"{kind}.write"] += 1

    def document(self, display: str, raw_yaml: bytes, valid=None):
        """The checked record of the document file ``display`` holding ``raw_yaml``, or None.

        ``valid`` tells whether the entry still holds, e.g. that the text it names has the hash it recorded.
        """
        return self.get("document", self.key("document", display, raw_yaml), valid)

    def put_document(self, display: str, raw_yaml: bytes, record) -> None:
        self.put("document", self.key("document", display, raw_yaml), record)

    def conforming(self, path: Path, ontology: str) -> list[str] | None:
        """The lines of the N-Triples file at ``path``, if this cache saw that very graph conform to the
        shapes of ``ontology`` (the ontology's hash and the shapes' and libraries' versions) with this code;
        else None.

        What a scoped validation (:mod:`graph.shacl_scope`) may take as its starting point.
        """
        if not self.enabled:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        if self.get("conformed", self.key("conformed", ontology, _sha256(data))) is None:
            return None
        return io.StringIO(data.decode("utf-8"), newline="\n").readlines()  # a literal may hold U+2028, not "\n"

    def put_conforming(self, digest: str, ontology: str) -> None:
        """Record that the N-Triples text with SHA-256 ``digest`` conforms to the shapes of ``ontology``."""
        self.put("conformed", self.key("conformed", ontology, digest), True)

    def trim(self) -> int:
        """Remove the oldest entries until the cache is below ``max_bytes``; return how many went.

        The cache's size is kept in ``size`` (as of the last count, plus what
        builds wrote since), so the entries are counted only when that could
        pass ``max_bytes``: listing 30,000 entries cost every rebuild half a
        second. An entry replaced or removed by hand makes the figure too
        high, never too low, so the cache is counted early, not late.
        """
        if not self.enabled or self.read_only or not any(k.endswith(".write") for k in self.stats):
            return 0
        ledger = self.folder / SIZE_FILE
        try:
            estimate = int(ledger.read_text(encoding="ascii")) + self.written_bytes
        except (OSError, ValueError):
            estimate = None
        if estimate is not None and estimate <= self.max_bytes:
            self._record_size(ledger, estimate)
            return 0
        entries = []
        for kind in self.folder.iterdir():
            if kind.is_dir() and not kind.is_symlink():
                for path in kind.glob("*.entry"):
                    try:
                        status = path.lstat()
                    except OSError:
                        continue
                    entries.append((status.st_mtime_ns, status.st_size, path))
        total, removed = sum(size for _, size, _ in entries), 0
        for _mtime, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total, removed = total - size, removed + 1
        self._record_size(ledger, total)
        return removed

    def _record_size(self, ledger: Path, total: int) -> None:
        self.written_bytes = 0
        try:
            replace_atomically(ledger, f"{total}\n".encode("ascii"))
        except OSError:
            pass  # without the figure, the next trim counts the entries


# -- the whole build: up to date? --------------------------------------------------


def _digest(lines) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(f"{line}\n".encode())
    return digest.hexdigest()


def _tree(folder: Path):
    """Yield each entry under ``folder`` as its relative path, its kind and, for a file, the SHA-256 of its bytes.

    Links are not followed into folders, and their targets count: a link that
    leaves the sources, dangles or loops is bad input even when the bytes agree.
    """
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(top) / name
            try:
                mode = path.lstat().st_mode
                kind = f"link to {os.readlink(path)}" if stat.S_ISLNK(mode) else \
                    "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else f"special {mode:o}"
                digest = _sha256(path.read_bytes()) if path.is_file() else ""
            except OSError:  # the loader reports it; here it only has to differ from any readable content
                kind, digest = "unreadable", ""
            yield f"{path.relative_to(folder).as_posix()}\0{kind}\0{digest}"


def input_hashes(sources: Path) -> dict[str, str]:
    """One hash for each kind of input the build reads: the sources, the ontology and the code.

    Examples
    --------
    >>> from graph.paths import sources_dir
    >>> hashes = input_hashes(sources_dir())
    >>> sorted(hashes), hashes == input_hashes(sources_dir())
    (['code', 'ontology', 'sources', 'sources_name'], True)
    """
    sources = Path(sources)
    return {"code": code_version(), "ontology": _digest(_tree(ontology_dir())), "sources": _digest(_tree(sources)),
            "sources_name": sources.name}  # messages name files by it (e.g. sources/documents/x.yaml)


def _outputs(folder: Path) -> dict:
    files = [f"{path.relative_to(folder).as_posix()}\0{path.stat().st_size}"
             for path in sorted(folder.rglob("*")) if path.is_file() and path.name != MANIFEST]
    return {"files": len(files), "sizes": _digest(files)}


def write_manifest(staging: Path, hashes: dict[str, str]) -> None:
    """Write ``build-inputs.json`` last into a finished build: the input hashes and the outputs' names and sizes."""
    record = {"inputs": hashes, "outputs": _outputs(staging)}
    (staging / MANIFEST).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def up_to_date(out: Path, hashes: dict[str, str]) -> bool:
    """Whether ``out`` is the build of the inputs with these :func:`input_hashes`, and holds only what it wrote."""
    try:
        record = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
        return record["inputs"] == hashes and record["outputs"] == _outputs(Path(out))
    except (OSError, ValueError, KeyError, TypeError):
        return False
