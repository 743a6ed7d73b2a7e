"""Candidate facts from patterns that the curated facts already follow.

Every curated relation record whose quote names both its subject and its
object teaches one pattern: the relation, which of the two comes first, and
the words between them. "Husayn Al-Mousawi, the spokesman for the Iran-backed
Iraqi Al-Nujaba Movement" teaches *X, the spokesman for ... Y ->
spokespersonOf(X, Y)*. A pattern keeps the first words of the connector
(:data:`HEAD_WORDS`, articles left out) and allows a few more words than it had; on a new text,
any two registry mentions in one sentence joined by such a connector, whose
types fit the relation's domain and range in the ontology, give a candidate.
No pattern is written by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..quotes import normalize
from .mentions import Mention, NameIndex

__all__ = ["Pattern", "CandidateFact", "learn_patterns", "apply_patterns", "HEAD_WORDS"]

#: How many words of a connector a pattern requires exactly.
HEAD_WORDS = 3
#: The most words a connector may have.
MAX_WORDS = 12
#: How many more words than where it was learned a connector may have.
SLACK_WORDS = 3


@dataclass(frozen=True)
class Pattern:
    """``<first> <connector head> ... <second>`` -> ``relation``; ``subject_first`` says which mention is the subject."""

    relation: str
    subject_first: bool
    head: tuple[str, ...]
    words: int  # how many words the connector had where it was learned
    status: str
    source: str  # the document and line it was learned from

    def describe(self) -> str:
        x, y = ("X", "Y") if self.subject_first else ("Y", "X")
        more = " ..." if self.words > len(self.head) else ""
        return f"{x} {' '.join(self.head)}{more} {y} -> {self.relation}(X, Y)"


@dataclass(frozen=True)
class CandidateFact:
    relation: str
    subject: str
    object: str
    status: str
    start: int
    end: int
    quote: str
    pattern: Pattern


#: Words a connector leaves out: articles say nothing about the relation.
_SKIPPED = {"the", "a", "an"}


def _connector(text: str, start: int, end: int, mentions: list[Mention]) -> list[str]:
    """The words between two mentions, lower-cased, without articles; another name in between becomes ``<name>``."""
    pieces, at = [], start
    for mention in mentions:
        if start <= mention.start and mention.end <= end:
            pieces += [text[at:mention.start], " <name> "]
            at = mention.end
    pieces.append(text[at:end])
    tokens = re.findall(r"<name>|[\w'’-]+|[,;:()]", normalize("".join(pieces)).lower())
    return [t for t in tokens if t not in _SKIPPED]


def learn_patterns(examples, index: NameIndex) -> list[Pattern]:
    """Patterns from curated relation records.

    Parameters
    ----------
    examples : iterable of (relation, subject id, object id, status, quote, source)
        Relation records and one quote of each.
    index : NameIndex
        The registry, to find the subject and the object in the quote.

    Examples
    --------
    >>> from graph.curation.mentions import RegistryEntity
    >>> index = NameIndex([RegistryEntity("x", "Person", ("Husayn Al-Mousawi",)), RegistryEntity("y", "ArmedGroup", ("Al-Nujaba",))])
    >>> [p.describe() for p in learn_patterns([("spokespersonOf", "x", "y", "reported",
    ...     "Husayn Al-Mousawi, the spokesman for the Iran-backed Iraqi Al-Nujaba", "doc.yaml, line 3")], index)]
    ['X , spokesman for ... Y -> spokespersonOf(X, Y)']
    """
    found: dict[tuple, Pattern] = {}
    for relation, subject, obj, status, quote, source in examples:
        mentions = index.find(quote)
        subjects = [m for m in mentions if subject in m.entities]
        objects = [m for m in mentions if obj in m.entities]
        if not subjects or not objects or subject == obj:
            continue
        pairs = [(s, o) for s in subjects for o in objects]
        s, o = min(pairs, key=lambda p: abs(p[0].start - p[1].start))  # the closest pair
        first, second = (s, o) if s.start < o.start else (o, s)
        between = _connector(quote, first.end, second.start, mentions)
        if len(between) > MAX_WORDS:
            continue
        pattern = Pattern(relation, s.start < o.start, tuple(between[:HEAD_WORDS]), len(between), status, source)
        found.setdefault((relation, pattern.subject_first, pattern.head), pattern)
    return sorted(found.values(), key=lambda p: (p.relation, p.head, p.subject_first))


def _fits(pattern: Pattern, subject: str, obj: str, schema, types: dict[str, str]) -> bool:
    prop = schema.curated_relations.get(pattern.relation)
    if prop is None:
        return False
    domain_ok = not prop.domain or prop.domain not in schema.ancestors or schema.is_a(types.get(subject, ""), prop.domain)
    range_ok = not prop.range or prop.range not in schema.ancestors or schema.is_a(types.get(obj, ""), prop.range)
    return domain_ok and range_ok and subject != obj


def apply_patterns(text: str, mentions: list[Mention], patterns: list[Pattern], schema, types: dict[str, str]) -> list[CandidateFact]:
    """Candidate facts: pairs of mentions in one sentence joined as a pattern's connector is."""
    found: dict[tuple, CandidateFact] = {}
    known = [m for m in mentions if len(m.entities) == 1]
    for i, first in enumerate(known):
        for second in known[i + 1:]:
            gap = text[first.end:second.start]
            if re.search(r"[.!?]\s|\n", gap):
                break
            between = _connector(text, first.end, second.start, mentions)
            if len(between) > MAX_WORDS:
                break
            for pattern in patterns:
                if tuple(between[:len(pattern.head)]) != pattern.head or len(between) > pattern.words + SLACK_WORDS:
                    continue
                if len(pattern.head) < HEAD_WORDS and len(between) != pattern.words:
                    continue  # a short connector must match whole
                subject, obj = (first, second) if pattern.subject_first else (second, first)
                s, o = subject.entities[0], obj.entities[0]
                if _fits(pattern, s, o, schema, types):
                    key = (pattern.relation, s, o)
                    if key not in found:
                        found[key] = CandidateFact(pattern.relation, s, o, pattern.status, first.start, second.end,
                                                   text[first.start:second.end], pattern)
    return sorted(found.values(), key=lambda c: (c.start, c.relation))

