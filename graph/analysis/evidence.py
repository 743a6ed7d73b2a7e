"""The quote that states a fact: of a fact's verbatim quotes, the one that names what it is about.

A fact keeps every quote its record gives, so its first quote is often the
record's opening sentence, not the words that state the fact. The report,
the profile pages and the source pages show :func:`stating_quote` instead:
the quote that names the fact's object (and, better still, its subject too),
or for a dated fact the one that names the month; failing that, the one that
shares most words with the two ends' names and descriptions; the first quote
only when nothing tells them apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["stating_quote", "fold"]

_APOSTROPHES = re.compile("['`´ʹʼʻʽʾʿ‘’‛′]")
_NOT_WORD = re.compile(r"[\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")  # marks are never ASCII: only these runs are looked at letter by letter
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


def _without_marks(run: re.Match) -> str:
    return "".join(c for c in run[0] if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 14)  # a quote is folded again for each fact it states and each page that shows it
def fold(text: str) -> str:
    """Text folded for matching names: no case, accents or apostrophes, single spaces, padded.

    Examples
    --------
    >>> fold("Akram Al-Ka'abi"), fold("Ḥusayn Al-Mūsawī’s")
    (' akram al kaabi ', ' husayn al musawis ')
    """
    if not text.isascii():
        text = _NON_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", text))
    return " " + _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.casefold())).strip() + " "


def _names(graph, node: str | None) -> list[str]:
    if not node or node not in graph:
        return []
    data = graph.nodes[node]
    names = [data.get("label") or "", *data.get("aliases", ())]
    return [folded for folded in (fold(n) for n in names) if folded.strip()]


_STOP = {"with", "that", "this", "from", "which", "their", "there", "about", "after", "before", "other", "these",
         "those", "formerly", "where", "while", "would", "could", "also", "into", "over", "than"}


def _stems(text: str) -> set[str]:
    """Five-letter stems of a text's longer words ("tweeted" and "tweet" share "tweet")."""
    return {word[:5] for word in fold(text).split() if len(word) > 3 and word not in _STOP}


def _about(graph, node: str | None) -> set[str]:
    if not node or node not in graph:
        return set()
    data = graph.nodes[node]
    return _stems(" ".join([data.get("label") or "", *data.get("aliases", ()), data.get("description") or ""]))


def _date_words(value: str) -> list[str]:
    """Words a quote giving the date ``date/2022-08-05`` would contain ("august")."""
    found = re.findall(r"(\d{4})(?:-(\d{2}))?", value)
    return [f" {_MONTHS[int(m) - 1]} " if m else f" {y} " for y, m in found]


def stating_quote(graph, subject: str | None, obj: str | None, evidence, value: str | None = None) -> tuple:
    """The ``(quote, start, end)`` of ``evidence`` that best states the fact ``subject`` — ``obj``.

    Parameters
    ----------
    graph
        A networkx graph whose nodes carry ``label`` and ``aliases``.
    subject, obj
        Node keys of the fact's two ends (``obj`` is None for a value fact).
    evidence
        The fact's ``(quote, start, end)`` triples, in their stored order.
    value
        A value fact's value, such as ``date/2022-08-05``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("id/a", label="Abu Ala' Al-Walai", aliases=[])
    >>> g.add_node("id/x", label="Abu Ala' Al-Walai's X account", aliases=["his X account"])
    >>> quotes = [("The following is a review of responses.", 0, 40), ("He wrote on his X account", 90, 115)]
    >>> stating_quote(g, "id/a", "id/x", quotes)
    ('He wrote on his X account', 90, 115)
    >>> stating_quote(g, "id/a", None, [("On August 5, he said", 3, 23), ("It was late", 0, 11)], "date/2022-08-05")
    ('On August 5, he said', 3, 23)
    """
    evidence = list(evidence)
    if len(evidence) <= 1:
        return tuple(evidence[0]) if evidence else ("", 0, 0)
    wanted_object = _names(graph, obj) or (_date_words(value) if value and value.startswith("date/") else
                                           [fold(value.rsplit("/", 1)[-1].replace("-", " "))] if value else [])
    wanted_subject = _names(graph, subject)
    about = _about(graph, obj) | _about(graph, subject)

    def score(item) -> tuple:
        text = fold(item[0])
        return (any(n in text for n in wanted_object), any(n in text for n in wanted_subject),
                len(_stems(item[0]) & about))

    best = max(range(len(evidence)), key=lambda i: (score(evidence[i]), -i))
    return tuple(evidence[best])

