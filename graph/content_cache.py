"""Text kept outside ``out/`` under a key made from everything that decides it: drawn charts, page layouts.

A :class:`ContentCache` is one folder beside the query stores
(:func:`graph.cache.cache_base`: ``$KG_CACHE_DIR``, else ``~/.cache/faction-kg``),
marked as the build cache's folder is: a folder of that name that the project
did not make is never written to or pruned, and only files named by a key
(64 hexadecimal digits and the cache's suffix) are ever removed. Each entry is
written to a temporary file and renamed into place, and holds the SHA-256 of
its text on its first line: a truncated or altered entry counts as missing,
and is made again and replaced. When the folder cannot be written, the text
is made and the build goes on. Only the ``max_entries`` most recently used
entries are kept.

What is kept must be a function of the key alone (the callers' keys hold
their data, the source of the code that makes the text, and the versions of
the libraries it uses), so a found entry has the bytes a fresh one would have.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

__all__ = ["ContentCache", "code_and_libraries", "content_key"]


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


def code_and_libraries(source: Path, libraries: tuple[str, ...]) -> str:
    """The SHA-256 of a module's source and the versions of ``libraries``: part of a key, so any change makes anew.

    Examples
    --------
    >>> code_and_libraries(Path(__file__), ("networkx",)).endswith(";networkx=" + metadata.version("networkx"))
    True
    """
    versions = [f"{name}={metadata.version(name)}" for name in libraries]
    return hashlib.sha256(Path(source).read_bytes()).hexdigest() + ";" + ";".join(versions)


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
        entry = self.entry(key)
        try:
            digest, data = entry.read_bytes().split(b"\n", 1)  # bytes: a carriage return in the text stays one
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest().encode("ascii") != digest:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        try:
            os.utime(entry)  # most recently used: kept longest
        except OSError:
            pass
        return text

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` under ``key``, atomically; then drop all but the most recently used entries."""
        from .cache import claim_cache_folder, replace_atomically

        folder = self.folder
        if not claim_cache_folder(folder):
            return  # someone else's folder, or not writable: the text is made, not kept
        data = text.encode("utf-8")
        try:
            replace_atomically(self.entry(key), hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
            entry_name = re.compile(r"^[0-9a-f]{64}" + re.escape(self.suffix) + "$")  # the only files pruned
            entries = sorted((path for path in folder.glob("*" + self.suffix) if entry_name.match(path.name)),
                             key=lambda path: path.stat().st_mtime_ns, reverse=True)
            for stale in entries[self.max_entries:]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs the next build the work

    def get_or_make(self, key: str, make: Callable[[], str]) -> str:
        """The text kept under ``key``, or ``make()``'s, which is then kept."""
        text = self.get(key)
        if text is None:
            text = make()
            self.put(key, text)
        return text
