"""A file written run by run, each run's bytes kept for the next build: TriG, Turtle and JSON-LD.

The build's sorted lines are cut into runs at points their own text picks (a
content-defined cut, as rsync cuts a file): among the places a format can
start afresh (a new subject, a new graph), those whose line's CRC-32 is a
multiple of :data:`RUN_CUT`. A change to a few lines so moves no cut but its
own. Each run is written on its own and its bytes are kept in a cache folder
(a :class:`~graph.content_cache.ContentCache`) by the SHA-256 of its lines, so
a rebuild after one document changed writes the runs that changed and copies
the rest. The file is the same whatever the cache holds (tests/test_runs.py).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RUN_CUT", "RunFile", "run_starts", "write_runs"]

RUN_CUT = 64  # one candidate cut in this many (on average) starts a run


def run_starts(lines: list[str], candidates: list[int]) -> list[int]:
    r"""Where each run starts: 0, and each of the ``candidates`` (line indices) whose line the cut picks.

    Examples
    --------
    >>> lines = [f"<s:{n}> <s:p> <s:o> .\n" for n in range(2000)]
    >>> starts = run_starts(lines, list(range(len(lines))))
    >>> starts[0], 10 < len(starts) < 60, starts == run_starts(list(lines), list(range(len(lines))))
    (0, True, True)
    """
    return [0] + [index for index in candidates if index and zlib.crc32(lines[index].encode("utf-8")) % RUN_CUT == 0]


@dataclass
class RunFile:
    """One file written by :func:`write_runs`: where, what comes before and after the runs, and its kept runs.

    ``name`` names its cache folder; ``context`` is whatever else the bytes
    of a run depend on (the prefixes); the cache keeps one entry for each
    context, with the library that writes the runs. A run may carry a tag,
    what else its bytes were made with (JSON-LD: the coercion of each of its
    predicates), and a kept run is used only if ``accept(tag)`` holds.
    The first ``drop_first`` bytes of the first run are left out (a separator nothing precedes).
    """

    path: Path
    name: str
    context: str
    head: bytes = b""
    tail: bytes = b""
    drop_first: int = 0
    accept: Callable[[object], bool] | None = None

    def __post_init__(self):
        from .content_cache import ContentCache, content_key, package_and_libraries

        self.cache = ContentCache(self.name, ".runs", max_entries=2)
        self.key = content_key(self.name, self.context, package_and_libraries(("pyoxigraph",)))

    def kept(self) -> dict[str, tuple[memoryview, object]]:
        """The runs the last build wrote, with their tags: an entry is a line of JSON listing each run's
        digest, size and tag, then the runs' bytes one after another."""
        data = self.cache.get_bytes(self.key)
        newline = -1 if data is None else data.find(b"\n")
        if newline < 0:
            return {}
        view, kept, offset = memoryview(data), {}, newline + 1
        try:
            for digest, size, tag in json.loads(data[:newline]):
                if self.accept is None or self.accept(tag):
                    kept[str(digest)] = (view[offset:offset + int(size)], tag)
                offset += int(size)
        except (ValueError, TypeError):
            return {}
        return kept if offset == len(data) else {}


def write_runs(lines: list[str], starts: list[int], files: list[RunFile],
               make: Callable[[str, list[int]], dict[int, bytes]]) -> int:
    """Write each of ``files`` from the runs of ``lines`` that begin at ``starts``; return the runs made.

    ``make(text, wanted)`` makes, for the run whose lines are ``text``, the
    bytes of each file whose index is in ``wanted`` (those whose cache lacks
    the run), each with its tag (or None). So files cut alike (Turtle and
    JSON-LD, both by subject) parse a run once between them.
    """
    kept = [file.kept() for file in files]
    pieces: list[list] = [[] for _ in files]
    digests, made = [], 0
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        text = "".join(lines[start:end])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        found = [runs.get(digest) for runs in kept]
        wanted = [index for index, piece in enumerate(found) if piece is None]
        if wanted:
            made += 1
            fresh = make(text, wanted)
            found = [fresh[index] if piece is None else piece for index, piece in enumerate(found)]
        digests.append(digest)
        for index, piece in enumerate(found):
            pieces[index].append(piece)
    for file, file_pieces, file_kept in zip(files, pieces, kept):
        with file.path.open("wb") as out:
            out.write(file.head)
            if file_pieces:
                out.write(file_pieces[0][0][file.drop_first:])
                out.writelines(piece for piece, _tag in file_pieces[1:])
            out.write(file.tail)
        if any(digest not in file_kept for digest in digests):
            listed = json.dumps([[digest, len(piece), tag] for digest, (piece, tag) in zip(digests, file_pieces)])
            file.cache.put_pieces(file.key, [listed.encode("utf-8") + b"\n", *(piece for piece, _tag in file_pieces)])
    return made
