"""Find verbatim evidence quotes in a document and return their offsets.

Only differences in whitespace, typographic quotes, dashes and no-break
spaces are tolerated. Offsets are Python string indices (Unicode code
points) into the original text, as the W3C Web Annotation
``TextPositionSelector`` expects.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["NormalizedText", "Match", "normalize"]

_TRANSLATION = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ",
    }
)
_WHITESPACE_RUN = re.compile(r"\s+")
NEEDLE_CHARS = 200
_HITS_PER_PIECE = 20


def normalize(text: str) -> str:
    """Fold typographic characters and collapse whitespace.

    Examples
    --------
    >>> normalize("“WAFA,”  the\\u00a0port – Haifa")
    '"WAFA," the port - Haifa'
    """
    return _WHITESPACE_RUN.sub(" ", text.translate(_TRANSLATION))


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    exact: str


class NormalizedText:
    """A document's text, normalized once, that maps matches back to offsets.

    Examples
    --------
    >>> doc = NormalizedText("He said:\\n  “to disrupt the American plan”.")
    >>> m = doc.find_all('said: "to disrupt')[0]
    >>> (m.start, m.end, m.exact)
    (3, 22, 'said:\\n  “to disrupt')
    """

    def __init__(self, text: str):
        self.text = text
        translated = text.translate(_TRANSLATION)
        pieces: list[str] = []
        # Breakpoints: normalized offset -> original offset, at each change of run.
        self._norm_starts = [0]
        self._orig_starts = [0]
        norm_len = 0
        last = 0
        for run in _WHITESPACE_RUN.finditer(translated):
            pieces.append(translated[last:run.start()])
            norm_len += run.start() - last
            self._norm_starts.append(norm_len)
            self._orig_starts.append(run.start())
            pieces.append(" ")
            norm_len += 1
            self._norm_starts.append(norm_len)
            self._orig_starts.append(run.end())
            last = run.end()
        pieces.append(translated[last:])
        self.normalized = "".join(pieces)

    def _original(self, norm_index: int) -> int:
        k = bisect.bisect_right(self._norm_starts, norm_index) - 1
        return self._orig_starts[k] + (norm_index - self._norm_starts[k])

    def find_all(self, quote: str) -> list[Match]:
        """Every occurrence of ``quote``, as original offsets and exact text."""
        needle = normalize(quote).strip()
        if not needle:
            return []
        found = []
        at = self.normalized.find(needle)
        while at != -1:
            start = self._original(at)
            end = self._original(at + len(needle) - 1) + 1
            found.append(Match(start, end, self.text[start:end]))
            at = self.normalized.find(needle, at + 1)
        return found

    def closest_passage(self, quote: str, width: int = 160) -> str:
        """The passage most like ``quote``, for an error message.

        Pieces of the quote (its first ``NEEDLE_CHARS`` characters) are looked
        up with ``str.find``; each hit votes for where the quote would start,
        and only a short window around the winner is compared with
        ``difflib``. The time is linear in the text and bounded in the quote.

        Examples
        --------
        >>> NormalizedText("the spokesman for the Al-Nujaba Movement").closest_passage("spokesman of the Al-Nujaba")
        'spokesman for the Al-Nujaba'
        >>> NormalizedText("nothing alike").closest_passage("xyzzy")
        ''
        """
        needle = normalize(quote).strip()[:NEEDLE_CHARS]
        haystack = self.normalized
        anchor = self._anchor(needle)
        if anchor is None:
            return ""
        # Align the whole quote at the anchor, then trim the window to the
        # first and last characters that match.
        slack = len(needle) // 2 + 10
        lo = max(0, anchor - slack)
        window = haystack[lo : anchor + len(needle) + slack]
        blocks = [b for b in difflib.SequenceMatcher(None, window, needle, autojunk=False).get_matching_blocks() if b.size > 2]
        if not blocks:
            return ""
        start = lo + blocks[0].a
        end = lo + blocks[-1].a + blocks[-1].size
        while start > 0 and haystack[start - 1].isalnum():
            start -= 1
        while end < len(haystack) and haystack[end].isalnum():
            end += 1
        passage = haystack[start:end]
        if len(passage) > width:
            passage = passage[: width - 1] + "…"
        return passage

    def _anchor(self, needle: str) -> int | None:
        """Where in the normalized text ``needle`` most likely starts, or None if no piece of it occurs."""
        haystack = self.normalized
        for size in (8, 4, 3):
            votes: Counter[int] = Counter()
            for offset in range(0, len(needle) - size + 1, max(1, size // 2)):
                piece = needle[offset : offset + size]
                at, hits = haystack.find(piece), 0
                while at != -1 and hits < _HITS_PER_PIECE:
                    votes[at - offset] += 1
                    hits += 1
                    at = haystack.find(piece, at + 1)
            if votes:
                return max(votes.items(), key=lambda item: (item[1], -item[0]))[0]
        return None
