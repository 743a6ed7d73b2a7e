"""The curation format as data: which fields each mapping takes, and their shapes.

``docs/curation.md`` describes the same format for curators. The loader
checks every mapping against these tables before it reads a value, so that a
list where one value belongs, or a mapping where text belongs, gets one
message instead of a traceback.
"""

from __future__ import annotations

import difflib
import re

__all__ = [
    "SLUG", "CONTEXT_CHARS", "DOCUMENT_KINDS", "EVENT_FIELDS", "STATEMENT_FIELDS",
    "EVENT_KEYS", "STATEMENT_KEYS", "RELATION_KEYS", "ENTITY_KEYS", "DOCUMENT_KEYS", "QUOTE_KEYS",
    "PUBLISHED_KEYS", "BOUND_KEYS", "INFERRED_KEYS", "SERIES_KEYS", "ENTITY_QUOTE_KEYS", "FOLLOWED_KEYS",
    "MIN_QUOTE_WORDS", "MIN_QUOTE_CHARS", "hint", "as_list", "shape_problem",
]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONTEXT_CHARS = 32
DOCUMENT_KINDS = {"monitoring-report": "MonitoringReport", "news-article": "NewsArticle"}
MIN_QUOTE_WORDS = 3
MIN_QUOTE_CHARS = 12

# Record fields: YAML key -> (kg property, how the value is read).
EVENT_FIELDS = {
    "claimed_by": ("claimedBy", "ids"),
    "perpetrator": ("perpetrator", "ids"),
    "target": ("target", "ids"),
    "place": ("place", "ids"),
    "weapon": ("weapon", "ids"),
    "declared_by": ("declaredBy", "ids"),
    "covers": ("covers", "ids"),
    "part_of": ("partOfEvent", "ids"),
    "in_response_to": ("inResponseTo", "ids"),
    "date": ("date", "date"),
    "occurrences": ("occurrences", "integer"),
    "occurrences_text": ("occurrencesText", "string"),
    "outcome": ("outcome", "string"),
}
STATEMENT_FIELDS = {
    "speaker": ("speaker", "ids"),
    "on_behalf_of": ("onBehalfOf", "ids"),
    "date": ("date", "date"),
    "via": ("via", "ids"),
    "claims": ("claimsResponsibilityFor", "ids"),
    "disavows": ("disavows", "ids"),
    "denies": ("denies", "ids"),
    "threatens": ("threatens", "ids"),
    "declares": ("declares", "ids"),
    "declares_end_of": ("declaresEndOf", "ids"),
    "affirms_commitment_to": ("affirmsCommitmentTo", "ids"),
    "supports": ("supports", "ids"),
    "criticizes": ("criticizes", "ids"),
    "about": ("about", "ids"),
    "covers": ("covers", "ids"),
    "in_response_to": ("inResponseTo", "ids"),
}
COMMON_KEYS = {"quote", "quotes", "note", "status"}
EVENT_KEYS = {"event", "type", "label", "date_text", "date_inferred", *EVENT_FIELDS, *COMMON_KEYS}
STATEMENT_KEYS = {"statement", "types", "label", "gist", "date_text", "date_inferred", "followed_through",
                  *STATEMENT_FIELDS, *COMMON_KEYS}
RELATION_KEYS = {"relation", "subject", "object", "value", "date", "role", "claimed_by", *COMMON_KEYS}
ENTITY_KEYS = {"id", "type", "label", "aliases", "shared_aliases", "description", "unnamed", "note"}
DOCUMENT_KEYS = {
    "id", "file", "original_file", "sha256", "title", "kind", "language", "publisher",
    "series", "published", "cites", "boilerplate", "notes",
}
QUOTE_KEYS = {"text", "occurrence", "short"}
PUBLISHED_KEYS = {"date", "text", "note", "bounds", "quote", "quotes"}
BOUND_KEYS = {"date", "quote", "quotes", "note"}
INFERRED_KEYS = {"note", "quote", "quotes"}
SERIES_KEYS = {"value", "quote", "quotes"}
ENTITY_QUOTE_KEYS = {"entity", "quote", "quotes"}
FOLLOWED_KEYS = {"value", "status", "quote", "quotes", "note"}

_TEXT = "one piece of text"
_IDS = "an id or a list of ids"
# The shape of every field that is not a nested mapping. Fields not named
# here (quote, quotes, boilerplate, cites, published, bounds, series, followed_through,
# date_inferred, occurrence, occurrences, value) are checked where they are read.
_SHAPES = {
    **dict.fromkeys(("id", "type", "label", "description", "note", "file", "original_file", "sha256", "title",
                     "kind", "language", "relation", "event", "statement", "role", "date_text", "gist", "outcome",
                     "occurrences_text", "status", "text"), _TEXT),
    **dict.fromkeys(("subject", "object", "claimed_by", "entity",
                     *(k for k, (_, reader) in {**EVENT_FIELDS, **STATEMENT_FIELDS}.items() if reader == "ids")), _IDS),
    "date": "one date",
    "types": "a list of types",
    "aliases": "a list of names",
    "shared_aliases": "a list of names",
    "notes": "a list of notes",
    "unnamed": "true or false",
    "short": "true or false",
}
_FIXES = {
    _TEXT: "write one value after the colon; put text that starts with '[', '{', '&' or '*' in quotes",
    _IDS: "write one id, or a list such as [al-nujaba, iran]",
    "one date": "write one date, such as 2024-01-08 or '[2023-10-07..]'",
    "true or false": "write true or false",
}


def _is_scalar(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _kind(value) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (yes/no/true/false mean true or false in YAML)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"{type(value).__name__} {value!r}"


def shape_problem(key: str, value) -> tuple[str, str] | None:
    """What is wrong with the shape of ``value`` for field ``key``: (what, fix), or None.

    Examples
    --------
    >>> shape_problem("type", ["ArmedGroup"])[0]
    'must be one piece of text, not a list'
    >>> shape_problem("object", ["iran", "syria"]) is None
    True
    """
    shape = _SHAPES.get(key)
    if shape is None or value is None:
        return None
    if shape == _TEXT or shape == "one date":
        ok = _is_scalar(value)
    elif shape == _IDS:
        ok = _is_scalar(value) or (isinstance(value, list) and all(_is_scalar(v) for v in value))
    elif shape == "true or false":
        ok = isinstance(value, bool)
    else:  # a list of text; one text is taken as a list of one
        ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    if ok:
        return None
    return f"must be {shape}, not {_kind(value)}", _FIXES.get(shape, f"write {key}: [first, second]")


def hint(word, choices) -> str:
    """'did you mean ...?' for the closest of ``choices``, or ''.

    Examples
    --------
    >>> hint("spokesmanOf", ["spokespersonOf", "leaderOf"])
    "did you mean 'spokespersonOf'?"
    """
    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def as_list(value) -> list:
    """``value`` as a list: None is empty, one value is a list of one."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
