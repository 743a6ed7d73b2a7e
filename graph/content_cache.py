"""What the build makes, kept outside ``out/`` under a key made from everything that decides it.

Drawn charts, page layouts and pages are kept as text; the analysis files
and the view's pages as bundles of files (:meth:`ContentCache.keep_files`).
A :class:`ContentCache` is one folder beside the query stores
(:func:`graph.cache.cache_base`: ``$KG_CACHE_DIR``, else ``~/.cache/faction-kg``),
marked as the build cache's folder is: a folder of that name that the project
did not make is never written to or pruned, and only files named by a key
(64 hexadecimal digits and the cache's suffix) are ever removed. Each entry is
written to a temporary file and renamed into place, and holds the SHA-256 of
its bytes on its first line: a truncated or altered entry counts as missing,
and is made again and replaced. When the folder cannot be written, the entry
is made and the build goes on. Only the ``max_entries`` most recently used
entries are kept.

What is kept must be a function of the key alone (the callers' keys hold
their data, the source of the code that makes it, and the versions of
Python and of the libraries it uses), so a found entry has the bytes a fresh
one would have.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

__all__ = ["ContentCache", "code_and_libraries", "content_key", "graph_digest", "package_and_libraries"]


def content_key(*parts) -> str:
    """The SHA-256 of ``parts`` as canonical JSON: any change to any part gives another key.

    Examples
    --------
    >>> content_key("threats", {"rows": []}) == content_key("threats", {"rows": []})
    True
    >>> content_key("threats", {"rows": []}) == content_key("threats", {"rows": [], "window": 30})
    False
    """
    text = json.dumps(list(parts), sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def graph_digest(graph) -> str:
    """The SHA-256 of a networkx multigraph as canonical JSON; ValueError or TypeError if a value has no JSON form.

    Nodes are taken in the graph's order, then each node's links in its
    adjacency's order, then the graph's own attributes; the keys of each
    attribute dictionary are sorted. Order counts because what is made from
    a graph may depend on it (ties, seeded communities, layouts). One node
    or link is encoded at a time, so a large graph is never held as text.

    Examples
    --------
    >>> import networkx as nx
    >>> a = nx.MultiDiGraph(value_facts={}); a.add_edge("x", "y", key="f", relation="memberOf")
    'f'
    >>> b = nx.MultiDiGraph(value_facts={}); b.add_edge("x", "y", key="f", relation="memberOf")
    'f'
    >>> graph_digest(a) == graph_digest(b)
    True
    >>> b.edges["x", "y", "f"]["relation"] = "leaderOf"
    >>> graph_digest(a) == graph_digest(b)
    False
    """
    digest, encode = hashlib.sha256(), _CANONICAL.encode
    for item in graph.nodes(data=True):
        digest.update(encode(item).encode("utf-8") + b"\n")
    digest.update(b"links\n")
    for item in graph.edges(keys=True, data=True):
        digest.update(encode(item).encode("utf-8") + b"\n")
    digest.update(encode(graph.graph).encode("utf-8"))
    return digest.hexdigest()


_CANONICAL = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True, check_circular=False)


def code_and_libraries(source: Path, libraries: tuple[str, ...]) -> str:
    """The SHA-256 of a module's source and the versions of ``libraries``: part of a key, so any change makes anew.

    Examples
    --------
    >>> code_and_libraries(Path(__file__), ("networkx",)).endswith(";networkx=" + metadata.version("networkx"))
    True
    """
    versions = [f"{name}={metadata.version(name)}" for name in libraries]
    return hashlib.sha256(Path(source).read_bytes()).hexdigest() + ";" + ";".join(versions)


def package_and_libraries(libraries: tuple[str, ...]) -> str:
    """The package's code (:func:`graph.cache.code_version`) and the versions of ``libraries`` ("missing" if absent).

    Examples
    --------
    >>> package_and_libraries(("networkx", "no-such-library")).endswith(";no-such-library=missing")
    True
    >>> ";python=3." in package_and_libraries(())
    True
    """
    import sys

    from .cache import code_version

    python = "python={}.{}".format(*sys.version_info[:2])  # unicodedata, str and json change with it
    return code_version() + f";{python}" + "".join(f";{name}={_version(name)}" for name in libraries)


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "missing"


def _plain_relative(name: str) -> bool:
    """True for a relative path that stays inside its folder ("sources/d.html"; not "/x", "../x" or "a//b")."""
    parts = name.split("/")
    return bool(name) and all(part not in ("", ".", "..") for part in parts) and not any(c in name for c in "\\\0:")


class ContentCache:
    """The folder ``name`` of the cache base, holding ``*suffix`` entries named by their key.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp()
    >>> cache = ContentCache("examples", ".txt")
    >>> key = content_key("example")
    >>> cache.get(key) is None
    True
    >>> cache.get_or_make(key, lambda: "made once")
    'made once'
    >>> cache.get_or_make(key, lambda: "made again")
    'made once'
    >>> del os.environ["KG_CACHE_DIR"]
    """

    def __init__(self, name: str, suffix: str, max_entries: int = 64):
        self.name, self.suffix, self.max_entries = name, suffix, max_entries

    @property
    def folder(self) -> Path:
        from .cache import cache_base

        return cache_base() / self.name

    def entry(self, key: str) -> Path:
        return self.folder / (key + self.suffix)

    def get(self, key: str) -> str | None:
        """The text kept under ``key``, or None if it is missing or does not match its checksum."""
        found = self._payload(key)
        if found is None:
            return None
        raw, start = found
        try:
            return str(memoryview(raw)[start:], "utf-8")
        except UnicodeDecodeError:
            return None

    def get_bytes(self, key: str) -> bytes | None:
        """The bytes kept under ``key``, or None if they are missing or do not match their checksum."""
        found = self._payload(key)
        return None if found is None else found[0][found[1]:]

    def _payload(self, key: str) -> tuple[bytes, int] | None:
        """The entry's bytes and where what it keeps starts, if they match their checksum (read once, not copied)."""
        entry = self.entry(key)
        try:
            raw = entry.read_bytes()  # bytes: a carriage return in the text stays one
        except OSError:
            return None
        start = raw.find(b"\n") + 1
        if not start or hashlib.sha256(memoryview(raw)[start:]).hexdigest().encode("ascii") != raw[:start - 1]:
            return None
        try:
            os.utime(entry)  # most recently used: kept longest
        except OSError:
            pass
        return raw, start

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` under ``key``, atomically; then drop all but the most recently used entries."""
        self.put_bytes(key, text.encode("utf-8"))

    def put_bytes(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``, atomically; then drop all but the most recently used entries."""
        self._put_chunks(key, [data])

    def put_pieces(self, key: str, pieces: list) -> None:
        """:meth:`put_bytes` of the pieces (bytes or memoryviews) one after another, never joined."""
        self._put_chunks(key, pieces)

    def _put_chunks(self, key: str, chunks: list[bytes]) -> None:
        """Keep the bytes of ``chunks``, one after another, under ``key``: written piece by piece, never joined."""
        from .cache import claim_cache_folder, replace_atomically

        folder = self.folder
        if not claim_cache_folder(folder):
            return  # someone else's folder, or not writable: the data is made, not kept
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
        try:
            replace_atomically(self.entry(key), [digest.hexdigest().encode("ascii") + b"\n", *chunks])
            entry_name = re.compile(r"^[0-9a-f]{64}" + re.escape(self.suffix) + "$")  # the only files pruned
            entries = sorted((path for path in folder.glob("*" + self.suffix) if entry_name.match(path.name)),
                             key=lambda path: path.stat().st_mtime_ns, reverse=True)
            for stale in entries[self.max_entries:]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs the next build the work

    def keep_files(self, key: str, folder: Path, names: list[str] | tuple[str, ...]) -> None:
        """Keep the files ``names`` of ``folder`` (relative paths) as one entry under ``key``, byte for byte.

        The entry is a line of JSON listing each name with its size, then the files' bytes one after another.
        """
        try:
            contents = [(folder / name).read_bytes() for name in names]
        except OSError:
            return  # not kept: the next build makes the files again
        header = json.dumps([[name, len(data)] for name, data in zip(names, contents)], ensure_ascii=False)
        self._put_chunks(key, [header.encode("utf-8") + b"\n", *contents])

    def restore_files(self, key: str, folder: Path) -> list[Path] | None:
        """Write the files kept under ``key`` into ``folder``, byte for byte, and return them; None if not kept.

        Only relative names that stay inside ``folder`` are written. On None,
        some of the files may have been written (a disk that filled up): the
        caller then makes them all, into the same names.
        """
        found = self._payload(key)
        if found is None:
            return None
        raw, start = found
        body = raw.find(b"\n", start) + 1
        try:
            names = [(str(name), int(size)) for name, size in json.loads(raw[start:body])]
        except (ValueError, TypeError):
            return None
        if sum(size for _, size in names) != len(raw) - body or not all(_plain_relative(n) for n, _ in names):
            return None
        written, offset, view = [], body, memoryview(raw)
        try:
            for name, size in names:
                path = folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(view[offset:offset + size])
                offset += size
                written.append(path)
        except OSError:
            return None
        return written

    def get_or_make(self, key: str, make: Callable[[], str]) -> str:
        """The text kept under ``key``, or ``make()``'s, which is then kept."""
        text = self.get(key)
        if text is None:
            text = make()
            self.put(key, text)
        return text
