"""Query parameters are parsed by their declared kind, checked against the build and bound as RDF terms."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import QueryError
from graph.sparql import bind, load_library, run_sparql

LIBRARY = load_library()
PARAMETERS = [(name, param) for name, query in sorted(LIBRARY.items()) for param in query.params]
HOSTILE = [
    "<urn:x> UNDEF <urn:y>",
    "http://example.org/evil",
    '"} ; DELETE WHERE { ?s ?p ?o } #',
    'x" } } INSERT DATA { <a:b> <a:b> <a:b> } #',
    "al-nujaba> } UNION { ?s ?p ?o } #",
    "1 } ?s ?p ?o {",
    '2024-01-01"^^xsd:date } UNION {',
    '\\" \n VALUES ?x { 1 }',
    "id:al-nujaba id:akram-al-kaabi",
    "'''",
]
ID = "https://example.org/faction-kg/id/"


def block_of(query, name: str, rendered: str) -> str:
    """The text that replaced the parameter's VALUES block; everything around it must be the query as written."""
    found = re.search(r"VALUES\s+\?" + name + r"\s*\{[^}]*\}", query.text)
    before, after = query.text[:found.start()], query.text[found.end():]
    assert rendered.startswith(before) and rendered.endswith(after), "text outside the VALUES block changed"
    return rendered[len(before):len(rendered) - len(after)]


def bound_values(block: str, name: str) -> list:
    """The terms a VALUES block binds, read by Oxigraph on its own."""
    solutions = ox.Store().query(f"SELECT * WHERE {{ {block} }}")
    assert [v.value for v in solutions.variables] == [name]
    return [solution[name] for solution in solutions]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("query_name", "param"), PARAMETERS, ids=[f"{n}-{p.name}" for n, p in PARAMETERS])
def test_no_value_changes_the_shape_of_a_query(out_dir, query_name, param, value):
    query = LIBRARY[query_name]
    values = {p.name: [example] for p in query.params if not p.optional and p.name != param.name
              for example in [_example(query, p.name)]}
    values[param.name] = [value]
    from graph.names import search_key

    # a text is bound as itself, a name as its search key; every other kind refuses these values
    expected = {"string": value.strip(), "name": search_key(value)}.get(param.type)
    if not expected:
        with pytest.raises(QueryError, match=f"parameter '{param.name}'"):
            bind(query, values, out_dir)
        return
    rendered = bind(query, values, out_dir)
    block = block_of(query, param.name, rendered)
    assert [(type(t), t.value) for t in bound_values(block, param.name)] == [(ox.Literal, expected)]
    run_sparql(rendered, out_dir)  # and it runs as the query it was


def _example(query, name):
    from graph.sparql import example_value

    return example_value(query, name)


@pytest.mark.parametrize(("value", "slug"), [
    ("al-nujaba", "al-nujaba"), ("  al-nujaba ", "al-nujaba"), ("id:al-nujaba", "al-nujaba"),
    (f"{ID}al-nujaba", "al-nujaba"), (f"<{ID}al-nujaba>", "al-nujaba"), ("Al-Nujaba Movement", "al-nujaba"),
    ("Akram Al-Ka'abi", "akram-al-kaabi"), ("AKRAM AL-KAABI", "akram-al-kaabi"), ("Mahdi", "mahdi-al-kabi"),
])
def test_an_entity_is_an_existing_id_or_a_name_that_resolves_to_one(out_dir, value, slug):
    query = LIBRARY["statements-by"]
    block = block_of(query, "actor", bind(query, {"actor": value}, out_dir))
    assert bound_values(block, "actor") == [ox.NamedNode(ID + slug)]


@pytest.mark.parametrize(("kind_query", "name", "value", "message"), [
    # (al-nujabaa is a spelling of al-nujaba to the transliteration-tolerant match; al-nujabx is nobody)
    ("statements-by", "actor", "al-nujabx", r"no entity 'al-nujabx' in the build; did you mean 'al-nujaba'"),
    ("statements-by", "actor", "al-ka", r"'al-ka' matches 2 entities equally well: akram-al-kaabi .*mahdi-al-kabi"),
    ("statements-by", "actor", f"{ID}no-such-thing", "no entity"),
    ("document-contributions", "document", "jttm-2024-01-09",
     r"no document 'jttm-2024-01-09' in the build; did you mean 'jttm-2024-01-08'"),
    ("document-contributions", "document", "al-nujaba", "no document 'al-nujaba'"),
])
def test_an_unknown_or_ambiguous_entity_or_document_is_refused_with_a_hint(out_dir, kind_query, name, value, message):
    with pytest.raises(QueryError, match=message):
        bind(LIBRARY[kind_query], {name: value}, out_dir)


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "2024-1-1", "٢٠٢٤-٠١-٠١", "2024-01-01T00:00",
                                   "01/02/2024", "", "2024-01-01 "  "x"])
def test_a_date_must_be_a_real_day(out_dir, value):
    with pytest.raises(QueryError, match="parameter 'start' takes a real date as YYYY-MM-DD"):
        bind(LIBRARY["between-dates"], {"start": value, "end": "2024-12-31"}, out_dir)


def test_a_date_is_bound_as_an_xsd_date(out_dir):
    rendered = bind(LIBRARY["between-dates"], {"start": "2024-02-29", "end": "2024-02-29"}, out_dir)
    block = re.search(r"VALUES \?end \{[^}]*\}", rendered)[0]
    assert bound_values(block, "end") == [ox.Literal("2024-02-29", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#date"))]


def test_a_reversed_date_range_is_refused(out_dir):
    with pytest.raises(QueryError, match=r"the dates are reversed: start \(2024-05-01\) comes after end \(2024-01-01\)"):
        bind(LIBRARY["between-dates"], {"start": "2024-05-01", "end": "2024-01-01"}, out_dir)


@pytest.mark.parametrize(("query_name", "name", "value"), [
    ("threat-follow-through", "days", "-1"), ("threat-follow-through", "days", "3651"),
    ("threat-follow-through", "days", "1e3"), ("threat-follow-through", "days", "ten"),
    ("threat-follow-through", "days", ""), ("threat-follow-through", "days", "３０"),
    ("threat-follow-through", "days", "99999999999999999999"), ("source-count", "minimum", "0"),
])
def test_a_number_must_be_a_whole_number_within_its_bounds(out_dir, query_name, name, value):
    low, high = LIBRARY[query_name].param(name).bounds
    with pytest.raises(QueryError, match=f"parameter '{name}' takes a whole number from {low} to {high}"):
        bind(LIBRARY[query_name], {name: value}, out_dir)


@pytest.mark.parametrize("value", ["0", "3650", "+7"])
def test_numbers_at_the_bounds_are_accepted(out_dir, value):
    query = LIBRARY["threat-follow-through"]
    block = block_of(query, "days", bind(query, {"days": value}, out_dir))
    assert [term.value for term in bound_values(block, "days")] == [str(int(value))]


@pytest.mark.parametrize("value", ["", "   ", "x" * 501])
def test_a_search_string_must_have_some_text_and_not_too_much(out_dir, value):
    with pytest.raises(QueryError, match="parameter 'name' (needs some text|takes at most 500 characters)"):
        bind(LIBRARY["find-entity"], {"name": value}, out_dir)


def test_a_parameter_given_twice_is_refused_unless_it_takes_several(out_dir):
    with pytest.raises(QueryError, match="parameter 'org' of query 'spokespersons' takes one value, but it was given 2"):
        bind(LIBRARY["spokespersons"], {"org": ["al-nujaba", "hizbullah-brigades"]}, out_dir)


def test_a_parameter_that_takes_several_values_answers_for_each(out_dir):
    query = LIBRARY["activity-per-month"]

    def actors(values):
        result = run_sparql(bind(query, {"actor": values}, out_dir), out_dir)
        return {row[0][1] for row in result.rows}, len(result.rows)

    nujaba, nujaba_rows = actors(["al-nujaba"])
    kaabi, kaabi_rows = actors(["akram-al-kaabi"])
    both, both_rows = actors(["al-nujaba", "Akram Al-Kaabi"])
    assert nujaba == {ID + "al-nujaba"} and kaabi == {ID + "akram-al-kaabi"}
    assert both == nujaba | kaabi and both_rows == nujaba_rows + kaabi_rows


def test_a_missing_required_parameter_names_it_with_an_example(out_dir):
    with pytest.raises(QueryError, match=r"query 'statements-by' needs --param actor=\.\.\. \(e\.g\. actor=akram-al-kaabi\)"):
        bind(LIBRARY["statements-by"], {}, out_dir)


def test_an_unknown_parameter_lists_the_real_ones(out_dir):
    with pytest.raises(QueryError, match=r"has no parameter 'person' \(its parameters: actor\)"):
        bind(LIBRARY["statements-by"], {"actor": "al-nujaba", "person": "x"}, out_dir)


@pytest.mark.parametrize(("args", "message"), [
    (["statements-by", "-p", "actor=al-nujabx"], "did you mean 'al-nujaba'"),
    (["between-dates", "-p", "start=2024-05-01", "-p", "end=2024-01-01"], "the dates are reversed"),
    (["threat-follow-through", "-p", "days=-30"], "takes a whole number from 0 to 3650"),
    (["find-entity", "-p", "name="], "needs some text"),
    (["spokespersons", "-p", "org=al-nujaba", "-p", "org=al-nujaba"], "takes one value"),
])
def test_the_command_line_answers_a_bad_parameter_with_one_message_and_exit_2(out_dir, args, message):
    result = CliRunner().invoke(main, ["query", *args, "--out", str(out_dir)])
    assert result.exit_code == 2, result.output
    assert message in result.output and result.output.startswith("error: ")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
