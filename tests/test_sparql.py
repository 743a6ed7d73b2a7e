"""The query library answers the competency questions as the documents do."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.errors import MissingBuild, QueryError
from graph.sparql import bind, load_library, run_sparql

from .conftest import document_text

LIBRARY = load_library()
KG_NS = "https://example.org/faction-kg/ontology#"


def rows(out_dir, query_name, engine="oxigraph", **params):
    """Run a named query with its parameters bound as the command line binds them; return dicts of plain values."""
    result = run_sparql(bind(LIBRARY[query_name], params, out_dir, engine), out_dir, engine)
    return [{v: (c[1] if c else None) for v, c in zip(result.variables, row)} for row in result.rows]


def canonical(result):
    """Rows as a multiset; GROUP_CONCAT order is unspecified by SPARQL, so its parts are sorted."""
    def cell(c):
        if c is None:
            return None
        return (c[0], " | ".join(sorted(c[1].split(" | "))), c[2], c[3])
    return Counter(tuple(cell(c) for c in row) for row in result.rows)


def test_library_covers_the_twelve_competency_questions():
    assert len(LIBRARY) >= 12
    for query in LIBRARY.values():
        assert query.title and query.question and query.columns, query.name
        for param in query.params:
            assert f"VALUES ?{param.name}" in query.text, (query.name, param.name)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_both_engines_give_identical_answers(out_dir, name):
    text = LIBRARY[name].text
    oxigraph = run_sparql(text, out_dir, "oxigraph")
    rdflib = run_sparql(text, out_dir, "rdflib")
    assert oxigraph.variables == rdflib.variables == LIBRARY[name].columns
    assert canonical(oxigraph) == canonical(rdflib)
    assert oxigraph.rows, f"{name} answers nothing on the real graph"


def test_spokespersons_answer_with_document_and_quote(out_dir):
    found = rows(out_dir, "spokespersons", org="al-nujaba")
    assert {(r["personLabel"], r["document"].rsplit("/", 1)[-1]) for r in found} >= {
        ("Husayn Al-Mousawi", "jttm-2024-01-08")}
    assert all("Mousawi" in r["quote"] for r in found)


def test_leaders_and_members_in_the_sources_words(out_dir):
    found = {(r["orgLabel"], r["role"], r["personLabel"]) for r in rows(out_dir, "leaders-and-members")}
    assert ("Al-Nujaba Movement", "secretary-general", "Akram Al-Kaabi") in found
    assert ("Sayyid Al-Shuhada' Brigades", "secretary-general", "Abu Ala' Al-Walai") in found
    assert ("Al-Nujaba Movement", "member", "Mahdi Al-Ka'bi") in found
    assert ("Sayyid Al-Shuhada' Brigades", "commander", "Unnamed senior commander, Sayyid Al-Shuhada' Brigades") in found
    words = {r["roleWords"] for r in rows(out_dir, "leaders-and-members", org="sayyid-al-shuhada-brigades")}
    assert "senior commander" in words


def test_umbrella_members_keep_claims_to_belong_apart(out_dir):
    found = rows(out_dir, "umbrella-members", umbrella="islamic-resistance-in-iraq")
    thawriyoun = [r for r in found if r["groupLabel"] == "Al-Thawriyoun"]
    assert thawriyoun and {r["membership"] for r in thawriyoun} == {"claims to belong"}
    assert all(r["claimedBy"].endswith("/id/al-thawriyoun") for r in thawriyoun)
    ircc = rows(out_dir, "umbrella-members", umbrella="iraqi-resistance-coordination-committee")
    assert {(r["groupLabel"], r["membership"], r["claimedBy"].rsplit("/", 1)[-1]) for r in ircc} == {
        ("Al-Nujaba Movement", "claims to belong", "mahdi-al-kabi")}


def test_attacks_with_claimant_target_date_precision_and_status(out_dir):
    attacks = {r["attack"].rsplit("/", 1)[-1]: r for r in rows(out_dir, "attacks")}
    july = attacks["thawriyoun-rockets-us-bases-2024-07-25"]
    assert "Al-Thawriyoun" in july["claimedBy"].split(" | ")
    assert set(july["target"].split(" | ")) >= {"Ayn Al Asad airbase", "Conoco base"}
    assert (july["edtf"], july["precision"], july["earliest"], july["latest"]) == (
        "2024-07-25/2024-07-26", "interval", "2024-07-25", "2024-07-26")
    assert july["status"] == KG_NS + "Reported" and july["occurrences"] == "3"
    december = attacks["iri-mediterranean-attack-2023-12"]
    assert (december["precision"], december["earliest"], december["latest"]) == ("month", "2023-12-01", "2023-12-31")
    assert december["status"] == KG_NS + "Claimed" and "mid-December 2023" in december["dateText"]


@pytest.mark.parametrize("name", sorted(n for n, q in LIBRARY.items() if "status" in q.columns))
def test_every_query_gives_a_status_as_the_ontologys_iri(out_dir, name):
    from rdflib import RDF

    from graph.schema import KG, load_schema

    statuses = {str(s) for s in load_schema().graph.subjects(RDF.type, KG.AssertionStatus)}
    assert len(statuses) >= 3
    result = run_sparql(LIBRARY[name].text, out_dir, "oxigraph")
    cells = [row[result.variables.index("status")] for row in result.rows]
    assert cells and all(cell is not None for cell in cells)
    assert {cell[0] for cell in cells} == {"uri"} and {cell[1] for cell in cells} <= statuses


def test_statements_by_a_person_in_date_order(out_dir):
    found = rows(out_dir, "statements-by", actor="akram-al-kaabi")
    assert [r["edtf"] for r in found] == sorted(r["edtf"] for r in found)
    assert {r["edtf"] for r in found} == {"2022-08-05", "2023-11-01"}
    november = [r for r in found if r["edtf"] == "2023-11-01"]
    assert any("militarily liberate Iraq" in r["quote"] and r["via"].startswith("Akram Al-Kaabi's X account")
               for r in november)


def test_statements_by_an_organization_include_those_made_on_its_behalf(out_dir):
    found = rows(out_dir, "statements-by", actor="al-nujaba")
    speakers = {r["speaker"] for r in found}
    assert "Al-Nujaba Movement" in speakers and len(found) >= 3
    assert [r["earliest"] for r in found] == sorted(r["earliest"] for r in found)


@pytest.mark.parametrize("document", ["jttm-2024-07-30", "news-haifa-drones-undated"])
def test_document_contributions_quote_the_document_at_their_offsets(out_dir, document):
    found = rows(out_dir, "document-contributions", document=document)
    text = document_text(document)
    assert len(found) > 20
    for row in found:
        assert text[int(row["start"]):int(row["end"])] == row["quote"]


def test_august_2022_threats_were_not_followed(out_dir):
    found = [r for r in rows(out_dir, "threat-follow-through", days="30") if r["edtf"].startswith("2022-08")]
    assert len(found) >= 4
    for row in found:
        assert row["followed"] == "not followed", row
        assert row["sourceSays"] == "not carried out"


def test_threat_window_is_a_parameter(out_dir):
    # The October 30, 2023 Al-Nujaba threat video: nothing Al-Nujaba claimed follows within a day.
    day = {r["threat"].rsplit("/", 1)[-1]: r["followed"] for r in rows(out_dir, "threat-follow-through", days="1")}
    assert day["nujaba-threat-video-us-forces-2023-10-30"] == "not followed"


def test_disavowals_name_what_they_disavow_and_who_claimed_it(out_dir):
    found = rows(out_dir, "disavowals")
    july = [r for r in found if r["disavowed"].endswith("thawriyoun-rockets-us-bases-2024-07-25")]
    assert july and july[0]["speaker"].startswith("Unnamed senior commander")
    assert "Al-Thawriyoun" in july[0]["claimedBy"].split(" | ")
    assert "Al-Sharq Al-Awsat" in july[0]["via"]


@pytest.mark.parametrize(
    ("spelling", "found_id", "not_found_id"),
    [("Kaabi", "akram-al-kaabi", "al-nujaba"), ("Kaabi", "mahdi-al-kabi", "al-nujaba"),
     ("Ka'abi", "akram-al-kaabi", None), ("ka'bi", "mahdi-al-kabi", None), ("Musawi", "husayn-al-mousawi", None),
     ("Hezbollah", "hizbullah-brigades", None), ("Nujaba", "al-nujaba", "akram-al-kaabi"),
     ("Freemen of Iraq", "ahrar-al-iraq", None), ("thawriyoun", "al-thawriyoun", None)],
)
def test_an_entity_is_found_from_any_spelling(out_dir, spelling, found_id, not_found_id):
    ids = {r["entity"].rsplit("/", 1)[-1] for r in rows(out_dir, "find-entity", name=spelling)}
    assert found_id in ids
    assert not_found_id not in ids


def test_activity_per_month_keeps_imprecise_dates_as_ranges(out_dir):
    found = {(r["actorLabel"], r["period"], r["kind"]): int(r["items"]) for r in rows(out_dir, "activity-per-month")}
    assert found[("Al-Thawriyoun", "2024-07", "claimed attack")] == 1
    assert found[("Islamic Resistance in Iraq", "2023-11..2023-12", "claimed attack")] >= 1  # Eilat, "November and December"
    assert ("Islamic Resistance in Iraq", "2023-11", "claimed attack") in found  # the Dead Sea coast, November 2
    assert not any(period == "2023-12-15" for _, period, _ in found)


def test_source_count_separates_single_and_multiple_sources(out_dir):
    found = rows(out_dir, "source-count", minimum="2")
    edges = {(r["subject"].rsplit("/", 1)[-1], r["predicate"].rsplit("#", 1)[-1], r["object"].rsplit("/", 1)[-1]): r
             for r in found}
    sg = edges[("akram-al-kaabi", "secretaryGeneralOf", "al-nujaba")]
    assert sg["support"] == "several sources" and set(sg["documents"].split(" | ")) == {"jttm-2023-11-01", "jttm-2022-08-08"}
    assert all(int(r["sources"]) >= 2 for r in found)
    single = rows(out_dir, "source-count", minimum="1")
    assert any(r["support"] == "single source" and r["subject"].endswith("thawriyoun-rockets-us-bases-2024-07-25")
               and r["predicate"].endswith("#claimedBy") for r in single)


def _source_count_rows(out_dir) -> dict[tuple[str, str, str], set[str]]:
    found = {}
    for row in rows(out_dir, "source-count", minimum="1"):
        edge = (row["subject"], row["predicate"], row["object"])
        assert edge not in found, f"source-count lists {edge} twice"
        documents = set(row["documents"].split(" | "))
        assert int(row["sources"]) == len(documents)
        assert row["support"] == ("several sources" if len(documents) > 1 else "single source")
        found[edge] = documents
    return found


def test_source_count_lists_every_curated_edge_with_the_documents_that_state_it(out_dir, corpus):
    # Expected from the source files themselves: each fact the YAML states, grouped by its edge, with the
    # documents stating it. An event's status (the ontology's kg:status, ranging over kg:AssertionStatus) is how
    # a document tells of the event, not a relation between two things, and is not an edge here.
    from graph.dates import DateSpec
    from graph.model import Node
    from graph.rdf import date_iri, node_iri
    from graph.schema import KG, load_schema

    def term(obj) -> str:
        return str(node_iri(obj) if isinstance(obj, Node) else date_iri(obj) if isinstance(obj, DateSpec) else obj.value)

    schema = load_schema()
    not_relations = {name for name, prop in schema.properties.items() if prop.range == "AssertionStatus"}
    assert not_relations == {"status"}
    expected: dict[tuple[str, str, str], set[str]] = {}
    for fact in corpus.facts:
        if fact.predicate not in not_relations:
            edge = (str(node_iri(fact.subject)), str(KG[fact.predicate]), term(fact.object))
            expected.setdefault(edge, set()).add(fact.document)
    found = _source_count_rows(out_dir)
    assert not [edge for edge in found if edge[1] == str(KG.status)]
    assert found == expected


@pytest.mark.parametrize(("subject", "predicate", "obj", "documents", "words"), [
    # "the Iran-backed Iraqi Al-Nujaba Movement militia" and the like, in four reports
    ("al-nujaba", "backedBy", "iran", {"jttm-2022-08-08", "jttm-2023-11-01", "jttm-2024-01-08", "jttm-2024-07-30"},
     "Iran"),
    ("akram-al-kaabi", "secretaryGeneralOf", "al-nujaba", {"jttm-2022-08-08", "jttm-2023-11-01"}, "Secretary"),
    # Only the July 2024 report tells of the Al-Thawriyoun claim.
    ("thawriyoun-rockets-us-bases-2024-07-25", "claimedBy", "al-thawriyoun", {"jttm-2024-07-30"}, "Thawriyoun"),
])
def test_source_count_rows_rest_on_what_the_documents_say(out_dir, corpus, subject, predicate, obj, documents, words):
    found = _source_count_rows(out_dir)
    edge = (f"https://example.org/faction-kg/id/{subject}", KG_NS + predicate, f"https://example.org/faction-kg/id/{obj}")
    assert found[edge] == documents
    for document in documents:
        text = document_text(document)
        quotes = [text[e.start:e.end] for f in corpus.facts
                  if (f.subject.id, f.predicate, getattr(f.object, "id", None), f.document) == (subject, predicate, obj,
                                                                                                  document)
                  for e in f.evidence]
        assert quotes and any(words.casefold() in quote.casefold() for quote in quotes), (document, quotes)


def test_between_dates_uses_the_bounds(out_dir):
    year_2024 = {r["item"].rsplit("/", 1)[-1] for r in rows(out_dir, "between-dates", start="2024-01-01", end="2024-12-31")}
    assert "thawriyoun-rockets-us-bases-2024-07-25" in year_2024
    assert not any("2022" in item for item in year_2024)
    late_december = {r["item"].rsplit("/", 1)[-1]
                     for r in rows(out_dir, "between-dates", start="2023-12-20", end="2023-12-31")}
    assert "iri-mediterranean-attack-2023-12" in late_december  # "mid-December 2023" may fall in it
    assert "iri-dead-sea-coast-attack-2023-11-02" not in late_december


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ?x WHERE { ?x ?y }", r"invalid SPARQL: .* at \(line 1, column \d+\)"),
        ("SELECT ?x\nWHERE {\n  ?x ?y ?z .\n  FILTER(\n}", r"invalid SPARQL: .* at \(line [45], column \d+\)"),
        ("INSERT DATA { <a:b> <a:b> <a:b> }", "update queries are refused"),
        ("PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }", "update queries are refused"),
    ],
)
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_bad_queries_get_one_clear_message(out_dir, text, message, engine):
    with pytest.raises(QueryError, match=message):
        run_sparql(text, out_dir, engine)


def test_a_missing_build_says_to_build_first(tmp_path):
    with pytest.raises(MissingBuild, match="run the build first"):
        run_sparql("ASK {}", tmp_path)


def test_a_runaway_query_is_stopped_by_the_timeout(out_dir):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryError, match=r"stopped after 1 s \(--timeout\)"):
        run_sparql(runaway, out_dir, "oxigraph", timeout=1)


def test_string_parameters_cannot_break_out_of_the_query(out_dir):
    hostile = 'x" } } INSERT DATA { <a:b> <a:b> <a:b> } #'
    assert rows(out_dir, "find-entity", name=hostile) == []


@pytest.mark.parametrize("voice", ["assessed", "inferred"])
def test_author_assessments_lists_every_fact_of_the_voice_and_its_author(out_dir, corpus, voice):
    found = rows(out_dir, "author-assessments", voice=voice)
    expected = {(f.document, f.subject.id, f.predicate) for f in corpus.facts if f.status == voice.capitalize()}
    assert {(r["document"], r["subject"].rsplit("/", 1)[-1]) for r in found} == {(d, s) for d, s, _ in expected}
    assert {r["author"] for r in found} == ({"MEMRI"} if voice == "assessed" else {"the curator"})
    assert all(r["quote"] for r in found)


def test_author_assessments_gives_the_authors_words_for_a_statement(out_dir):
    (row,) = [r for r in rows(out_dir, "author-assessments") if r["judgement"] == "amounts to"]
    assert row["verdict"] == "essentially declaring war against U.S. forces in Iraq"
    assert row["verdict"] in document_text(row["document"])


def test_unbound_values_stay_in_their_columns_on_both_engines(out_dir):
    text = """SELECT ?first ?second ?third WHERE {
      VALUES (?first ?second ?third) { (id:husayn-al-mousawi UNDEF "x") (UNDEF 1 UNDEF) (UNDEF UNDEF "y") }
    }"""
    answers = {engine: sorted(run_sparql(text, out_dir, engine).rows, key=repr) for engine in ("oxigraph", "rdflib")}
    assert answers["oxigraph"] == answers["rdflib"]
    assert set(answers["oxigraph"]) == {
        (("uri", "https://example.org/faction-kg/id/husayn-al-mousawi", None, None), None,
         ("literal", "x", None, None)),
        (None, ("literal", "1", "http://www.w3.org/2001/XMLSchema#integer", None), None),
        (None, None, ("literal", "y", None, None)),
    }
