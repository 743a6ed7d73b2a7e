"""The four voices stay apart: claimed, reported, assessed and the curator's inference.

A date the curator worked out (a bound from neighbouring dates, a year read
into "On July 29") is the curator's, never the claimant's, the document's or
its author's. The check is against the quotes themselves: a date in another
voice must be written in its own evidence.
"""

from __future__ import annotations

import calendar
import re

import pytest

from graph.dates import DateSpec
from graph.schema import load_schema

MONTHS = {f"{n:02d}": name for n, name in enumerate(calendar.month_name) if n}


def written_in(spec: DateSpec, text: str) -> list[str]:
    """What of ``spec`` its evidence ``text`` does not write (empty when the date is stated)."""
    if spec.precision == "within-bounds":
        return ["a day within bounds is always worked out"]
    missing = []
    for part in spec.edtf.split("/"):
        part = part.rstrip("~?")
        if part in ("", ".."):
            continue
        year, *rest = part.split("-")
        if not re.search(rf"\b{year}\b", text):
            missing.append(f"the year {year}")
        if rest and MONTHS[rest[0]] not in text:
            missing.append(f"the month {MONTHS[rest[0]]}")
        if len(rest) > 1 and not re.search(rf"\b{int(rest[1])}\b", text):
            missing.append(f"the day {int(rest[1])}")
    return missing


@pytest.mark.parametrize(("spec", "text", "missing"), [
    (DateSpec("2023-10-23", "day", None, None), "On October 23, Al-Nujaba", ["the year 2023"]),
    (DateSpec("2024-07-25/2024-07-26", "interval", None, None), "On July 25-26, 2024, rockets", []),
    (DateSpec("[..2023-10-23]", "within-bounds", None, None), "On October 23, 2023", ["a day within bounds is always worked out"]),
    (DateSpec("2023-11/2023-12", "interval", None, None), "several times, in November and December 2023", []),
])
def test_written_in_finds_what_the_quote_does_not_say(spec, text, missing):
    assert written_in(spec, text) == missing


def test_no_claimed_reported_or_assessed_fact_carries_a_date_the_curator_derived(corpus):
    derived = []
    for fact in corpus.facts:
        if isinstance(fact.object, DateSpec) and fact.object.precision != "unknown" and fact.status != "Inferred":
            missing = written_in(fact.object, " ".join(e.exact for e in fact.evidence))
            if missing:
                derived.append(f"{fact.file}:{fact.line} {fact.subject.id} {fact.predicate} {fact.object.edtf} "
                               f"({fact.status}): quotes lack {', '.join(missing)}")
    assert not derived, "\n".join(derived)


def test_every_inferred_fact_gives_its_reasoning_and_its_quotes(corpus):
    inferred = [f for f in corpus.facts if f.status == "Inferred"]
    assert len(inferred) >= 5
    assert all(f.notes and f.evidence and not f.attributed_to for f in inferred)


def test_the_voices_are_read_from_the_ontology():
    schema = load_schema()
    assert set(schema.statuses.values()) == {"Claimed", "Reported", "Assessed", "Inferred"}
    assert all(schema.labels[name] == label for label, name in schema.statuses.items())


def test_the_undated_article_is_exported_as_unknown_with_inferred_bounds(corpus):
    # news-haifa-drones-undated.txt has no date line; "continues since ... October 7, 2023" bounds it.
    dates = [f for f in corpus.facts if f.subject.id == "news-haifa-drones-undated" and f.predicate == "date"]
    assert [(f.object.precision, f.status) for f in dates] == [("unknown", "Inferred")]
    (bounds,) = [f for f in corpus.facts if f.subject.id == "news-haifa-drones-undated" and f.predicate == "dateBounds"]
    assert (bounds.status, bounds.object.edtf, str(bounds.object.earliest)) == ("Inferred", "[2023-10-07..]", "2023-10-07")
    assert any("October 7, 2023" in e.exact for e in bounds.evidence)


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_VOICES = [
    # an inferred tie without its reasoning
    ("jttm-2024-07-30.yaml", "    note: \"The curator's inference: the document implies", "    see: \"",
     r"relation 'backedBy' is inferred but gives no reasoning"),
    # an inferred date without its reasoning
    ("jttm-2023-11-01.yaml", "      note: \"\\\"On October 23\\\" gives no year", "      notes: \"\\\"On October 23\\\" gives no year",
     r"'date_inferred' needs 'note'"),
    # an assessment's verdict that is not true or false
    ("jttm-2024-07-30.yaml", "    value: false\n    status: assessed", "    value: not relayed\n    status: assessed",
     r"relation 'relayedByOtherChannels' takes true or false, not 'not relayed'"),
    # an undated document that states a date after all
    ("news-haifa-drones-undated.yaml", "    date: unknown\n    note: The article states", "    date: 2024-01-01\n    note: The article states",
     r"a document with 'bounds' has no stated date"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BAD_VOICES,
                         ids=["inferred-without-note", "date-inferred-without-note", "verdict-not-boolean", "bounds-with-date"])
def test_a_voice_used_wrongly_is_one_clear_problem(sources_copy, file, old, new, message):
    from graph.errors import SourceError
    from graph.loader import load_sources

    _edit(sources_copy / "documents" / file, old, new)
    with pytest.raises(SourceError, match=message):
        load_sources(sources_copy)
