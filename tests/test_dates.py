"""Dates in words: every form the corpus uses, and the forms people expect to read."""

from __future__ import annotations

import re

import pytest

from graph.dates import in_words, parse_date
from graph.paths import project_root
from graph.yamlio import load_yaml


def _dates_in(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "date" and not isinstance(item, (dict, list)):
                yield str(item)
            else:
                yield from _dates_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dates_in(item)


def corpus_dates() -> list[str]:
    found = set()
    for path in sorted((project_root() / "sources" / "documents").glob("*.yaml")):
        data, _ = load_yaml(path, path.name)
        found.update(_dates_in(data))
    return sorted(found)


CORPUS_DATES = corpus_dates()
_NOTATION = re.compile(r"\d{4}-\d{2}|\[|\]|\.\.|/|[~?%]|within|bounds|interval|precision")


def test_the_corpus_has_dates_of_several_forms():
    kinds = {parse_date(text).precision for text in CORPUS_DATES}
    assert {"day", "month", "interval", "within-bounds", "unknown"} <= kinds


@pytest.mark.parametrize("text", CORPUS_DATES)
def test_every_corpus_date_reads_as_words(text):
    spec = parse_date(text)
    words = in_words(spec)
    assert words and not _NOTATION.search(words), words
    for bound in (spec.earliest, spec.latest):
        if bound is not None:
            assert str(bound.year) in words
    assert in_words(text) == words == in_words({"edtf": text})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-12", "December 2023"),
        ("2024-07-25", "25 July 2024"),
        ("2024-07-25/2024-07-26", "25\u201326 July 2024"),
        ("2024-07-25/2024-07-25", "25 July 2024"),
        ("2023-11/2023-12", "November\u2013December 2023"),
        ("2023-12/2024-01", "December 2023 \u2013 January 2024"),
        ("[..2024-01-07]", "some day before 7 January 2024"),
        ("[2023-10-07..]", "some day after 7 October 2023"),
        ("[2020-05..2022-08-08]", "between May 2020 and 8 August 2022"),
        ("[2020-05-01..2022-08-08]", "between 1 May 2020 and 8 August 2022"),
        ("[2024-07-25..2024-07-30]", "between 25 and 30 July 2024"),
        ("[2022-06-01..2022-08-08]", "between 1 June and 8 August 2022"),
        ("2023-10-07/..", "from 7 October 2023 on"),
        ("../2024-01", "until January 2024"),
        ("2023", "2023"),
        ("2023-12~", "about December 2023"),
        ("2024-01-08?", "perhaps 8 January 2024"),
        ("unknown", "unknown"),
    ],
)
def test_date_forms_in_words(text, expected):
    assert in_words(parse_date(text)) == expected


@pytest.mark.parametrize("empty", [None, "", {}, {"edtf": None}, {"edtf": ""}])
def test_no_date_is_unknown(empty):
    assert in_words(empty) == "unknown"


def test_the_sources_own_words_win():
    assert in_words(parse_date("2023-12"), said="  mid-December\n2023 ") == "mid-December 2023"
