"""Names in a text: mentions of registry entities, and capitalised names the registry lacks.

Registry names are matched on their search key (:func:`graph.names.search_key`),
the normaliser the graph page's search uses, so "Husayn Al-Musawi" finds
Husayn Al-Mousawi; a spelling the entity does not list yet is marked as a
new alias. Matching is greedy, longest span first, and spans never overlap.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..names import search_key
from ..quotes import normalize

__all__ = ["RegistryEntity", "Mention", "NameIndex", "capitalised_names", "words", "without_composite_names"]

_WORD = re.compile(r"[^\W_]+(?:['’‘ʿʾ`](?!s\b)[^\W_]+)*(?:['’](?![^\W_]))?")
_CONNECTORS = {"al", "el", "of", "the", "in", "for", "bin", "ibn", "abu", "and"}
_NAME_PARTS = {"al", "el", "bin", "ibn", "abu"}  # connectors that may begin a name ("Abu Mahdi", "Al Asad")
_NOT_NAMES = {name.lower() for name in (*calendar.month_name, *calendar.day_name) if name}


@dataclass(frozen=True)
class RegistryEntity:
    id: str
    type: str
    names: tuple[str, ...]  # the label first, then the aliases


@dataclass(frozen=True)
class Mention:
    """A span of the text that names something; ``entities`` are the registry ids it may mean (none: a new name)."""

    start: int
    end: int
    exact: str
    entities: tuple[str, ...] = ()
    new_alias: bool = False


def _spelling(name: str) -> str:
    """A name as written, but for case (a headline's "Iran-Backed" is the text's "Iran-backed", as the
    loader's alias check has it), typographic quotes and dashes, runs of spaces and a final full stop."""
    return normalize(name).strip().rstrip(".").casefold()


def without_composite_names(entities: list[RegistryEntity]) -> list[RegistryEntity]:
    """The entities without the aliases that hold another entity's name ("Iran-Backed Al-Nujaba Movement"
    holds Iran's), so that a fact's pattern sees both ends; the label always stays.

    Examples
    --------
    >>> found = without_composite_names([RegistryEntity("iran", "Country", ("Iran",)),
    ...     RegistryEntity("al-nujaba", "ArmedGroup", ("Al-Nujaba", "Iran-Backed Al-Nujaba Movement"))])
    >>> found[1].names
    ('Al-Nujaba',)
    """
    owners: dict[tuple[str, ...], set[str]] = {}
    for entity in entities:
        for name in entity.names:
            owners.setdefault(tuple(search_key(name).split()), set()).add(entity.id)

    def composite(name: str, own: str) -> bool:
        parts = search_key(name).split()
        return any(owners.get(tuple(parts[i:j]), {own}) - {own}
                   for i in range(len(parts)) for j in range(i + 1, len(parts) + 1) if j - i < len(parts))

    kept = []
    for entity in entities:
        label, *aliases = entity.names
        kept.append(RegistryEntity(entity.id, entity.type, (label, *(n for n in aliases if not composite(n, entity.id)))))
    return kept


def words(text: str) -> list[tuple[int, int]]:
    """The spans of the words in ``text``: hyphens split words ("Iran-backed" names Iran), apostrophes do not.

    Examples
    --------
    >>> text = "Akram Al-Ka'abi, of Iraq's Iran-backed Shuhada' Brigades."
    >>> [text[s:e] for s, e in words(text)]
    ['Akram', 'Al', "Ka'abi", 'of', 'Iraq', 'Iran', 'backed', "Shuhada'", 'Brigades']
    """
    return [m.span() for m in _WORD.finditer(text)
            if not (m.group() == "s" and text[m.start() - 1:m.start()] in ("'", "’"))]  # a possessive 's is no word


class NameIndex:
    """Every registry name by its search key.

    Examples
    --------
    >>> index = NameIndex([RegistryEntity("husayn-al-mousawi", "Person", ("Husayn Al-Mousawi", "Al-Mousawi"))])
    >>> [(m.exact, m.entities, m.new_alias) for m in index.find("Then Husayn Al-Musawi spoke; Al-Mousawi said.")]
    [('Husayn Al-Musawi', ('husayn-al-mousawi',), True), ('Al-Mousawi', ('husayn-al-mousawi',), False)]
    """

    def __init__(self, entities):
        self.entities = {e.id: e for e in entities}
        self.by_key: dict[str, set[str]] = {}
        for entity in self.entities.values():
            for name in entity.names:
                key = search_key(name)
                if key:
                    self.by_key.setdefault(key, set()).add(entity.id)
        self.longest = max((len(k.split()) for k in self.by_key), default=1) + 2  # articles are dropped from keys

    def find(self, text: str, spans=None) -> list[Mention]:
        """Every registry name in ``text``, longest first, not overlapping; spans are offsets into ``text``."""
        spans = words(text) if spans is None else spans
        found: list[Mention] = []
        i = 0
        while i < len(spans):
            for size in range(min(self.longest, len(spans) - i), 0, -1):
                start, end = spans[i][0], spans[i + size - 1][1]
                exact = text[start:end]
                if "\n\n" in exact:
                    continue
                ids = self.by_key.get(search_key(exact))
                if ids:
                    known = any(_spelling(exact) == _spelling(name) for e in ids for name in self.entities[e].names)
                    found.append(Mention(start, end, exact, tuple(sorted(ids)), new_alias=not known))
                    i += size
                    break
            else:
                i += 1
        return self._resolve(found)

    @staticmethod
    def _resolve(found: list[Mention]) -> list[Mention]:
        """An ambiguous short name ("Al-Ka'bi") means the candidate last named unambiguously before it, if any."""
        last: dict[str, int] = {}
        resolved = []
        for position, mention in enumerate(found):
            if len(mention.entities) == 1:
                last[mention.entities[0]] = position
            else:
                named = [e for e in mention.entities if e in last]
                if named:
                    mention = Mention(mention.start, mention.end, mention.exact, (max(named, key=last.get),), mention.new_alias)
            resolved.append(mention)
        return resolved


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines in title case (headlines), where capitals say nothing about names."""
    found, at = [], 0
    for line in text.splitlines(keepends=True):
        long = [w for w in re.findall(r"[^\W\d_]{4,}", line)]
        if len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.75 * len(long):
            found.append((at, at + len(line)))
        at += len(line)
    return found


def capitalised_names(text: str, taken: list[Mention]) -> list[Mention]:
    """Runs of two or more capitalised words that no registry name covers: candidate new entities.

    Small connectors ("of", "the", "al") may join the words, hyphens too
    ("Deir Al-Zour"). Headlines, months and weekdays are left out, and so is
    a sentence's first word when the text also uses it in lower case ("Then").

    Examples
    --------
    >>> text = "Rockets hit the Ayn Al Asad airbase. Then the Conoco Base in Deir Al-Zour's east was hit, and then Israeli ports."
    >>> [m.exact for m in capitalised_names(text, [])]
    ['Ayn Al Asad', 'Conoco Base in Deir Al-Zour']
    """
    covered = [(m.start, m.end) for m in taken] + _headline_lines(text)
    spans = words(text)
    common = {text[s:e] for s, e in spans if text[s].islower()}
    found, run = [], []
    lower = lambda span: text[span[0]:span[1]].lower()

    def sentence_start(at: int) -> bool:
        return at == 0 or bool(re.search(r"[.!?:;\n\"“(]\s*$", text[max(0, at - 3):at]))

    def close():
        if run and sentence_start(run[0][0]) and lower(run[0]) in common:
            run.pop(0)  # "Then the Conoco base": the sentence's first word is no part of the name
        while run and (lower(run[0]) in _CONNECTORS - _NAME_PARTS or not text[run[0][0]].isupper()):
            run.pop(0)
        while run and lower(run[-1]) in _CONNECTORS:
            run.pop()
        if sum(text[s].isupper() for s, _ in run) >= 2:
            start, end = run[0][0], run[-1][1]
            exact = re.sub(r"['’]s$", "", text[start:end])
            found.append(Mention(start, start + len(exact), exact))
        run.clear()

    for start, end in spans:
        word = text[start:end]
        gap = text[run[-1][1]:start] if run else ""
        if run and (gap not in (" ", "-")):
            close()
        inside = any(start < e and end > s for s, e in covered)
        if not inside and (word[0].isupper() and word.lower() not in _NOT_NAMES or (run and word.lower() in _CONNECTORS)):
            run.append((start, end))
        else:
            close()
    close()
    return found
