"""Finding the entity a user means by a name: the ranking of the page's search box, ``kg view --focus`` and
``kg query --param``, on plain data (no graph library), so that a query starts without importing one.

Examples
--------
>>> entities = {"id/akram-al-kaabi": ("Akram Al-Kaabi", ["Akram Al-Ka'abi"], "person"),
...             "id/mahdi-al-kabi": ("Mahdi Al-Ka'bi", [], "person")}
>>> resolve_name(entities, "AKRAM AL-KA'ABI"), resolve_name(entities, "mahdi")
('id/akram-al-kaabi', 'id/mahdi-al-kabi')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .names import match_rank, name_keys, search_key

__all__ = ["NODE_KINDS", "ACTOR_KINDS", "RECORD_KINDS", "kind_rank", "ranked_matches", "resolve_name",
           "NameNotFound", "AmbiguousName"]

NODE_KINDS = {
    "Person": "person", "UnnamedSource": "person", "ArmedGroup": "organization", "UmbrellaGroup": "umbrella",
    "CoordinationBody": "umbrella", "Coalition": "umbrella", "Organization": "organization",
    "Government": "organization", "MilitaryForce": "organization", "InternationalOrganization": "organization",
    "Collective": "collective", "Country": "place", "Place": "place", "MediaOutlet": "outlet", "Platform": "outlet",
    "Channel": "outlet", "Weapon": "weapon", "Attack": "event", "MilitaryOperation": "event", "War": "event",
    "Moratorium": "event", "GovernmentAction": "event", "Alert": "event", "Statement": "statement",
    "SourceDocument": "document",
}
"""The coarse kind of a node, by the local name of its most telling ontology class."""
ACTOR_KINDS = frozenset({"person", "organization", "umbrella", "collective"})
RECORD_KINDS = frozenset({"event", "statement", "document"})


class NameNotFound(LookupError):
    """No entity's label or alias matches the name."""


class AmbiguousName(LookupError):
    """Several entities match the name equally well; the message lists them."""


def kind_rank(kind: str) -> int:
    """Search order of node kinds: actors, then other entities, then events, statements and documents."""
    return 0 if kind in ACTOR_KINDS else 2 if kind in RECORD_KINDS else 1


def ranked_matches(entities: Iterable[tuple[str, str, Sequence[str], str]], text: str) -> list[tuple[int, int, str, str]]:
    """``(match, kind rank, label, key)`` of the ``(key, label, aliases, kind)`` whose names match ``text``, best first.

    ``match`` is :func:`graph.names.match_rank` of the text's search key
    against the best of the entity's name keys (0: the same name in any spelling).

    Examples
    --------
    >>> entities = [("id/akram-al-kaabi", "Akram Al-Kaabi", ["Akram Al-Ka'abi"], "person"),
    ...             ("id/mahdi-al-kabi", "Mahdi Al-Ka'bi", [], "person")]
    >>> [hit[::3] for hit in ranked_matches(entities, "Akram Al-Ka'abi")]  # the whole name first
    [(0, 'id/akram-al-kaabi'), (4, 'id/mahdi-al-kabi')]
    """
    wanted = search_key(text)
    hits: list[tuple[int, int, str, str]] = []
    if not wanted:
        return hits
    for key, label, aliases, kind in entities:
        ranks = [rank for rank in (match_rank(wanted, name) for name in name_keys([label, *aliases]))
                 if rank is not None]
        if ranks:
            hits.append((min(ranks), kind_rank(kind), label, key))
    return sorted(hits)


def resolve_name(entities: Mapping[str, tuple[str, Sequence[str], str]], text: str) -> str:
    """The key of the one entity (key -> label, aliases, kind) that best matches ``text`` by a name.

    Raises :class:`NameNotFound` if none matches, :class:`AmbiguousName` if
    several match equally well.

    Examples
    --------
    >>> resolve_name({"a": ("Akram Al-Kaabi", [], "person"), "m": ("Mahdi Al-Ka'bi", [], "person")}, "al-ka")
    Traceback (most recent call last):
    ...
    graph.entity_search.AmbiguousName: 'al-ka' matches 2 entities equally well: a (Akram Al-Kaabi), \
m (Mahdi Al-Ka'bi); give the id
    """
    entries = ((key, label, aliases, kind) for key, (label, aliases, kind) in entities.items())
    hits = [hit for hit in ranked_matches(entries, text) if hit[0] <= 2]  # a whole name, its start, or inside it
    if not hits:
        raise NameNotFound(f"no entity named {text!r}")
    top = [hit for hit in hits if hit[:2] == hits[0][:2]]
    if len(top) == 1:
        return top[0][3]
    listed = ", ".join(f"{key} ({label})" for *_, label, key in top[:8])
    more = f" and {len(top) - 8} more" if len(top) > 8 else ""
    raise AmbiguousName(f"{text!r} matches {len(top)} entities equally well: {listed}{more}; give the id")
