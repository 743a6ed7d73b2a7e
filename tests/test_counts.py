"""The build's summary, the graph page and the report agree on what they count.

Each count is computed here from the built RDF with rdflib's SPARQL, not with
the project's own graph code, and each place must show it under the same
words (``graph.counts``).
"""

from __future__ import annotations

import html
import re

import pytest
from rdflib import Graph

from graph.counts import CURATED_FACTS, FACT_LINKS, PROVENANCE_LINKS, VALUE_FACTS

BASE = "https://example.org/faction-kg/"
PREFIXES = """PREFIX kg: <https://example.org/faction-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def rdf(out_dir) -> Graph:
    return Graph().parse(out_dir / "kg.nt", format="nt")


def ask(rdf: Graph, where: str) -> list:
    return [tuple(map(str, row)) for row in rdf.query(PREFIXES + where)]


@pytest.fixture(scope="module")
def counted(rdf) -> dict:
    facts = ask(rdf, "SELECT ?fact ?status ?object WHERE { ?fact a kg:Fact ; kg:status ?status ; rdf:object ?object }")
    links = [f for f in facts if f[2].startswith((BASE + "id/", BASE + "document/"))]
    statuses = {}
    for _, status, _ in facts:
        name = status.rsplit("#", 1)[-1].lower()
        statuses[name] = statuses.get(name, 0) + 1
    provenance = ask(rdf, """SELECT ?record ?document WHERE {
        VALUES ?top { kg:Event kg:Statement } ?record a/rdfs:subClassOf* ?top ; prov:wasDerivedFrom ?document }""")
    people = ask(rdf, "SELECT DISTINCT ?p WHERE { VALUES ?c { kg:Person kg:UnnamedSource } ?p a ?c }")
    named = ask(rdf, "SELECT DISTINCT ?p WHERE { ?p a kg:Person }")
    return {"facts": len(facts), "links": len(links), "statuses": statuses, "provenance": len(set(provenance)),
            "people": len(people), "named": len(named), "unnamed": len(people) - len(named)}


def test_the_counts_differ_so_the_words_matter(counted):
    assert counted["facts"] > counted["links"] > 0 and counted["provenance"] > 0 and counted["unnamed"] > 0


def test_the_build_summary_names_curated_facts_fact_links_and_value_facts(built, counted):
    line = next(line for line in built.summary().splitlines() if line.startswith("facts:"))
    assert (f"{counted['facts']} {CURATED_FACTS}: {counted['links']} {FACT_LINKS}, "
            f"{counted['facts'] - counted['links']} {VALUE_FACTS}") in line
    for status, number in counted["statuses"].items():
        assert f"{status} {number}" in line
    entities = next(line for line in built.summary().splitlines() if line.startswith("entities:"))
    assert f"Person {counted['named']}," in entities and f"UnnamedSource {counted['unnamed']}," in entities


def _legend(page: str, attribute: str) -> dict[str, tuple[str, int]]:
    found = re.findall(rf'data-{attribute}="([\w-]+)" checked>.*?(?:</svg>)\s*(.*?)\s*<span class="muted">(\d+)</span>',
                       page, re.S)
    return {key: (html.unescape(label), int(count)) for key, label, count in found}


def test_the_page_legend_counts_what_it_shows_and_says_so(out_dir, counted):
    page = (out_dir / "graph.html").read_text(encoding="utf-8")
    kinds, relations, statuses = _legend(page, "kind"), _legend(page, "relation"), _legend(page, "status")
    # The person kind groups named people and unnamed sources, and says so.
    assert kinds["person"] == ("Person / unnamed source", counted["people"])
    # The relation kinds add up to the fact links plus the provenance links, which have a kind of their own.
    label, number = relations.pop("provenance")
    assert PROVENANCE_LINKS.capitalize() in label and number == counted["provenance"]
    assert sum(number for _, number in relations.values()) == counted["links"]
    # The statuses count links as drawn (a disputed claim apart), and each says it counts links.
    assert sum(number for _, number in statuses.values()) == counted["links"] + counted["provenance"]
    assert all(" links (" in label for label, _ in statuses.values())
    total = re.search(r'id="counts"[^>]*>(\d+) nodes, (\d+) links', page)
    assert int(total[2]) == counted["links"] + counted["provenance"]


def test_the_report_names_curated_facts_and_fact_links(out_dir, counted):
    report = (out_dir / "report.md").read_text(encoding="utf-8")
    assert (f"{counted['facts']} {CURATED_FACTS}: {counted['links']} {FACT_LINKS}, "
            f"{counted['facts'] - counted['links']} {VALUE_FACTS}") in report
    assert f"| fact status | {CURATED_FACTS} |" in report
    for status, number in counted["statuses"].items():
        assert re.search(rf"^\| {status} \| {number}(\[\^\d+\])? \|", report, re.M), status
    row = next(line for line in report.splitlines()
               if line.startswith("| Full typed graph |") and line.count("|") > 6)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert FACT_LINKS in cells[1] and int(cells[3]) == counted["links"]


def test_every_class_of_entity_and_event_in_the_ontology_has_a_node_kind():
    """A class without a kind would drop its nodes from the typed graph, and the counts would disagree."""
    from graph.network import NODE_KINDS
    from graph.schema import load_schema

    schema = load_schema()
    leaves = {c for top in ("Entity", "Event") for c in schema.subclasses(top) if set(schema.subclasses(c)) == {c}}
    unkinded = {c for c in leaves if c not in NODE_KINDS and not any(c in schema.subclasses(k) for k in NODE_KINDS)}
    assert not unkinded
