"""Dates written in a text, with the precision the text gives them.

"January 8, 2024" is a day, "mid-December 2023" a month, "July 25-26, 2024"
two days, "2023" a year; "on Wednesday" and "the following day" are
relative and need the curator to resolve them against the document's date.
Each :class:`TextDate` has its exact words and offsets and an EDTF value the
loader accepts (:func:`graph.dates.parse_date`), ``unknown`` for a relative one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = ["TextDate", "find_dates"]

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTH = "(?P<month>" + "|".join(name for name in calendar.month_name if name) + ")"
_WEEKDAY = "|".join(calendar.day_name)
_PATTERNS = [
    ("days", re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})[-–](?P<day2>\d{{1,2}}), (?P<year>\d{{4}})\b")),
    ("day", re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}}), (?P<year>\d{{4}})\b")),
    ("day", re.compile(rf"\b(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>\d{{4}})\b")),
    ("day", re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b")),
    ("month", re.compile(rf"\b(?:(?:early|mid|late)[- ])?{_MONTH},? (?P<year>\d{{4}})\b", re.I)),
    ("relative", re.compile(rf"\b(?i:on |last |this |next )?(?:{_WEEKDAY})\b")),
    ("relative", re.compile(r"\b(?:the (?:following|previous|next) day|the day before|yesterday|today|this morning|"
                            r"last night|tonight)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|of) (?P<year>(?:19|20)\d{2})\b")),
]


@dataclass(frozen=True)
class TextDate:
    """A date expression in a text.

    Attributes
    ----------
    start, end : int
        Offsets of ``exact`` in the text (Python string indices).
    exact : str
        The words as written.
    edtf : str
        The value for a ``date:`` field: ``2024-01-08``, ``2023-12``,
        ``2024-07-25/2024-07-26``, ``2023``, or ``unknown`` for a relative date.
    precision : str
        ``day``, ``days``, ``month``, ``year`` or ``relative``.
    """

    start: int
    end: int
    exact: str
    edtf: str
    precision: str


def _edtf(kind: str, found: re.Match) -> str:
    groups = found.groupdict()
    if kind == "relative":
        return "unknown"
    year = groups["year"]
    if kind == "year":
        return year
    month = int(groups["mon"]) if groups.get("mon") else _MONTHS[groups["month"].lower()]
    if kind == "month":
        return f"{year}-{month:02d}"
    first = f"{year}-{month:02d}-{int(groups['day']):02d}"
    return f"{first}/{year}-{month:02d}-{int(groups['day2']):02d}" if kind == "days" else first


def find_dates(text: str) -> list[TextDate]:
    """Every date expression in ``text``, in order, the longest where two overlap.

    Examples
    --------
    >>> for d in find_dates("On July 25-26, 2024, and in mid-December 2023, on Wednesday; see 2024-01-08."):
    ...     print(d.exact, "|", d.edtf, d.precision)
    July 25-26, 2024 | 2024-07-25/2024-07-26 days
    mid-December 2023 | 2023-12 month
    on Wednesday | unknown relative
    2024-01-08 | 2024-01-08 day
    """
    found: list[TextDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "year":  # the number alone, without its preposition
                start = match.start("year")
            if any(start < e and end > s for s, e in taken):
                continue
            try:
                edtf = _edtf(kind, match)
                if kind in ("day", "days"):
                    calendar.weekday(*map(int, edtf.split("/")[-1].split("-")))  # a real day?
                    calendar.weekday(*map(int, edtf.split("/")[0].split("-")))
            except (ValueError, KeyError):
                continue
            taken.append((start, end))
            found.append(TextDate(start, end, text[start:end], edtf, kind))
    return sorted(found, key=lambda d: d.start)
