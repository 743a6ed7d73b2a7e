"""Dates as precise as the source gives them.

A small subset of EDTF (ISO 8601-2) is accepted; each date gets an EDTF
string, a precision, and the earliest and latest day it can mean, so that
"mid-December 2023" stays a month and never becomes 2023-12-15.

=======================  ==============  =========================
written                  precision       bounds
=======================  ==============  =========================
``2024-01-08``           day             that day
``2023-12``              month           the whole month
``2023``                 year            the whole year
``2023-11/2023-12``      interval        start of A to end of B
``2023-10-07/..``        interval        open end
``[2024-01-01..2024-01-07]``  within-bounds   as written, either side open
``unknown``              unknown         none
=======================  ==============  =========================

:func:`in_words` is the one place that turns a date back into words for
people; every page, the report and the query table call it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DateSpec", "DateError", "parse_date", "in_words", "UNKNOWN"]

_SINGLE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)$")
_BOUNDS = re.compile(r"^\[([^\[\]]*)\.\.([^\[\]]*)\]$")


class DateError(ValueError):
    """A date string that is not in the accepted EDTF subset."""


@dataclass(frozen=True)
class DateSpec:
    """A date with its precision and its earliest and latest possible day."""

    edtf: str
    precision: str  # day | month | year | interval | within-bounds | unknown
    earliest: dt.date | None
    latest: dt.date | None
    approximate: bool = False
    uncertain: bool = False

    @property
    def slug(self) -> str:
        """A readable IRI segment derived from the EDTF string.

        Examples
        --------
        >>> parse_date("[..2024-01-07]").slug
        'within-open-to-2024-01-07'
        >>> parse_date("2023-11/2023-12").slug
        '2023-11-to-2023-12'
        """
        if self.precision == "unknown":
            return "unknown"
        text = self.edtf.replace("~", "-approximate").replace("?", "-uncertain").replace("%", "-approximate-uncertain")
        match = _BOUNDS.match(text)
        if match:
            start, end = match.groups()
            return f"within-{start or 'open'}-to-{end or 'open'}"
        start, _, end = text.partition("/")
        if end:
            return f"{'open' if start == '..' else start}-to-{'open' if end == '..' else end}"
        return text

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """True when the date can fall within ``start``..``end`` (inclusive).

        Examples
        --------
        >>> parse_date("2023-12").overlaps(dt.date(2023, 12, 20), dt.date(2024, 1, 5))
        True
        >>> parse_date("unknown").overlaps(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        False
        """
        if self.precision == "unknown":
            return False
        return (self.earliest is None or self.earliest <= end) and (self.latest is None or self.latest >= start)


UNKNOWN = DateSpec("", "unknown", None, None)


def _single(text: str) -> tuple[DateSpec, str]:
    match = _SINGLE.match(text)
    if not match:
        raise DateError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day, qualifier = match.groups()
    y = int(year)
    try:
        if day:
            earliest = latest = dt.date(y, int(month), int(day))
            precision = "day"
        elif month:
            m = int(month)
            earliest = dt.date(y, m, 1)
            latest = dt.date(y, m, calendar.monthrange(y, m)[1])
            precision = "month"
        else:
            earliest, latest, precision = dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError as exc:
        raise DateError(f"{text!r} is not a real date ({exc})") from None
    spec = DateSpec(
        text,
        precision,
        earliest,
        latest,
        approximate=qualifier in "~%" and bool(qualifier),
        uncertain=qualifier in "?%" and bool(qualifier),
    )
    return spec, precision


def parse_date(value: object) -> DateSpec:
    """Parse a curator's date into a :class:`DateSpec`.

    Examples
    --------
    >>> d = parse_date("2023-12")
    >>> d.precision, str(d.earliest), str(d.latest)
    ('month', '2023-12-01', '2023-12-31')
    >>> parse_date("[..2024-01-07]").earliest is None
    True
    >>> try:
    ...     parse_date("2024-02-30")
    ... except DateError as exc:
    ...     print(exc)
    '2024-02-30' is not a real date (day is out of range for month)
    """
    if value is None:
        raise DateError("the date is empty; write a date or 'unknown'")
    text = str(value).strip()
    if text == "unknown":
        return UNKNOWN
    match = _BOUNDS.match(text)
    if match:
        start, end = (part.strip() for part in match.groups())
        if not start and not end:
            raise DateError(f"{text!r} has no bounds; write 'unknown' instead")
        earliest = _single(start)[0].earliest if start else None
        latest = _single(end)[0].latest if end else None
        if earliest and latest and earliest > latest:
            raise DateError(f"{text!r} ends before it starts")
        return DateSpec(text, "within-bounds", earliest, latest)
    if "/" in text:
        start, _, end = text.partition("/")
        if start == ".." and end == "..":
            raise DateError(f"{text!r} is open at both ends; write 'unknown' instead")
        earliest = None if start == ".." else _single(start)[0].earliest
        latest = None if end == ".." else _single(end)[0].latest
        if earliest and latest and earliest > latest:
            raise DateError(f"{text!r} ends before it starts")
        return DateSpec(text, "interval", earliest, latest)
    return _single(text)[0]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


def _bound_words(text: str) -> tuple[str, str, str]:
    """(day, month, year) words of one written bound; missing parts are ''."""
    year, month, day, _ = _SINGLE.match(text).groups()
    return (str(int(day)) if day else "", _MONTHS[int(month) - 1] if month else "", year)


def _single_words(text: str) -> str:
    return " ".join(part for part in _bound_words(text) if part)


def _span_words(start: str, end: str) -> str:
    """A closed span "A to B", sharing the month and year where both have them."""
    (d1, m1, y1), (d2, m2, y2) = _bound_words(start), _bound_words(end)
    if start == end:
        return _single_words(start)
    if y1 == y2 and m1 == m2 and d1 and d2:
        return f"{d1}\u2013{d2} {m1} {y1}"
    if y1 == y2 and m1 and m2 and bool(d1) == bool(d2):
        return f"{' '.join(p for p in (d1, m1) if p)}\u2013{' '.join(p for p in (d2, m2) if p)} {y1}"
    return f"{_single_words(start)} \u2013 {_single_words(end)}"


def _between_words(start: str, end: str) -> str:
    (d1, m1, y1), (d2, m2, y2) = _bound_words(start), _bound_words(end)
    if y1 == y2 and m1 == m2 and d1 and d2:
        return f"between {d1} and {d2} {m1} {y1}"
    if y1 == y2 and m1 and m2 and d1 and d2:
        return f"between {d1} {m1} and {d2} {m2} {y1}"
    return f"between {_single_words(start)} and {_single_words(end)}"


def in_words(date: DateSpec | str | Mapping | None, said: str | None = None) -> str:
    """A date as a person would write it, never as EDTF notation.

    Parameters
    ----------
    date
        A :class:`DateSpec`, an EDTF string in the accepted subset, a mapping
        with an ``"edtf"`` key (as the graph's nodes carry), or None.
    said
        The source's own words for the date (a record's ``date_text``), such
        as "mid-December 2023"; used as given when present.

    Returns
    -------
    str
        For example "25 July 2024", "December 2023", "some day before
        7 January 2024" or "unknown".

    Examples
    --------
    >>> in_words(parse_date("2024-07-25"))
    '25 July 2024'
    >>> in_words("2024-07-25/2024-07-26")
    '25\u201326 July 2024'
    >>> in_words("[..2024-01-07]")
    'some day before 7 January 2024'
    >>> in_words("[2020-05..2022-08-08]")
    'between May 2020 and 8 August 2022'
    >>> in_words({"edtf": "2023-12"}, said="mid-December 2023")
    'mid-December 2023'
    >>> in_words(None)
    'unknown'
    """
    if said and said.strip():
        return " ".join(said.split())
    if isinstance(date, Mapping):
        date = date.get("edtf")
    if date is None or date == "":
        return "unknown"
    spec = date if isinstance(date, DateSpec) else parse_date(date)
    if spec.precision == "unknown":
        return "unknown"
    text = spec.edtf.rstrip("~?%")
    match = _BOUNDS.match(text)
    if match:
        start, end = (part.strip() for part in match.groups())
        if start and end:
            return _between_words(start, end)
        if end:
            return f"some day before {_single_words(end)}"
        return f"some day after {_single_words(start)}"
    if "/" in text:
        start, _, end = text.partition("/")
        if start == "..":
            return f"until {_single_words(end)}"
        if end == "..":
            return f"from {_single_words(start)} on"
        return _span_words(start, end)
    words = _single_words(text)
    if spec.approximate and spec.uncertain:
        return f"perhaps about {words}"
    if spec.approximate:
        return f"about {words}"
    if spec.uncertain:
        return f"perhaps {words}"
    return words
