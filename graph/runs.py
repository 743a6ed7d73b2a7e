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
from pathlib import Path

__all__ = ["RUN_CUT", "KeptRuns", "run_starts"]

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


class KeptRuns:
    """The runs of one file that the last build wrote with the same ``context``, found by their lines' digest.

    ``context`` is whatever else the bytes of a run depend on (the prefixes,
    the library that writes them); the cache keeps one entry for each.
    """

    def __init__(self, name: str, context: str):
        from .content_cache import ContentCache, content_key, package_and_libraries

        self.cache = ContentCache(name, ".runs", max_entries=2)
        self.key = content_key(name, context, package_and_libraries(("pyoxigraph",)))
        self.kept = self._read()

    def _read(self) -> dict[str, memoryview]:
        """The entry: a line of JSON listing each run's digest and size, then the runs' bytes one after another."""
        data = self.cache.get_bytes(self.key)
        newline = -1 if data is None else data.find(b"\n")
        if newline < 0:
            return {}
        view, kept, offset = memoryview(data), {}, newline + 1
        try:
            for digest, size in json.loads(data[:newline]):
                kept[str(digest)] = view[offset:offset + int(size)]
                offset += int(size)
        except (ValueError, TypeError):
            return {}
        return kept if offset == len(data) else {}

    def write(self, path: Path, head: bytes, lines: list[str], starts: list[int],
              make: Callable[[str, int, int], bytes], tail: bytes = b"", drop_first: int = 0) -> int:
        """Write ``head``, each run's bytes, and ``tail`` to ``path``; return how many runs were made.

        ``make(text, start, end)`` makes the bytes of the run of ``lines[start:end]`` (``text``, joined).
        The first ``drop_first`` bytes of the first run are left out (a separator nothing precedes).
        """
        digests, pieces, made = [], [], 0
        for start, end in zip(starts, [*starts[1:], len(lines)]):
            text = "".join(lines[start:end])
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            piece = self.kept.get(digest)
            if piece is None:
                piece, made = make(text, start, end), made + 1
            digests.append(digest)
            pieces.append(piece)
        with path.open("wb") as out:
            out.write(head)
            if pieces:
                out.write(pieces[0][drop_first:])
                out.writelines(pieces[1:])
            out.write(tail)
        if made:
            listed = json.dumps([[digest, len(piece)] for digest, piece in zip(digests, pieces)])
            self.cache.put_pieces(self.key, [listed.encode("ascii") + b"\n", *pieces])
        return made
