"""A validation scoped to what changed (graph/shacl_scope.py) gives what validating the whole graph gives.

Each fault of tests/data/shacl_mutations.yaml is a change to the seed graph, which conforms; the scoped
validation of that change must report exactly the whole graph's violations and report text. The faults
at the end of the table break a node by changing another one, a link away.
"""

from __future__ import annotations

import random

import pytest

from graph.shacl_scope import Reach, changed_lines, reach, validate_change, validation_context
from graph.shacl_sparql import CompiledShapes, validate_ntriples
from tests.test_shacl_engines import MUTATIONS, _mutated, compiled, seed  # noqa: F401  (fixtures)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["name"] for m in MUTATIONS])
def test_a_scoped_validation_finds_what_the_whole_graph_gives(seed, compiled, mutation):  # noqa: F811
    lines, _deleted, _inserted = _mutated(seed, mutation)
    whole = validate_ntriples("".join(lines), compiled)
    scoped = validate_change(seed.lines, lines, compiled, reach(compiled), at_most=1.0)
    assert scoped is not None, "the change should be scoped"
    assert not whole.conforms
    assert scoped.results == whole.results
    assert scoped.text == whole.text


def test_a_scoped_validation_reads_a_small_part_of_the_graph(seed, compiled, monkeypatch):  # noqa: F811
    from graph import shacl_scope

    mutation = next(m for m in MUTATIONS if m["name"] == "evidence-from-another-document")
    lines, _deleted, _inserted = _mutated(seed, mutation)
    validated = []
    monkeypatch.setattr(shacl_scope, "validate_ntriples",
                        lambda text, *args, **kwargs: validated.append(text) or validate_ntriples(text, *args, **kwargs))
    assert not validate_change(seed.lines, lines, compiled, reach(compiled)).conforms
    assert 0 < validated[0].count("\n") < len(lines) / 10


def test_an_unchanged_graph_conforms(seed, compiled):  # noqa: F811
    result = validate_change(seed.lines, seed.lines, compiled, reach(compiled))
    assert result is not None and result.conforms


@pytest.mark.parametrize("change", ["subclass", "too-wide", "unbounded"])
def test_a_change_that_cannot_be_scoped_asks_for_the_whole_graph(seed, compiled, change):  # noqa: F811
    lines = list(seed.lines)
    shape_reach = reach(compiled)
    if change == "subclass":
        subclass = ("<https://e.org/A> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                    "<https://example.org/faction-kg/ontology#Actor> .\n")
        lines = sorted({*lines, subclass})
    elif change == "too-wide":
        lines = lines[::2]
    else:
        shape_reach = None
    assert validate_change(seed.lines, lines, compiled, shape_reach) is None


SPARQL_TARGET = ('sh:target [ a sh:SPARQLTarget ; sh:prefixes kgsh: ; sh:select "SELECT ?this WHERE {{ {} }}" ] ; '
                 "sh:property [ sh:path kg:p ; sh:minCount 1 ]")
SHAPES_HEAD = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://e.org/kg#> .\n"
               "@prefix kgsh: <https://e.org/kgsh#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
               "kgsh: sh:declare [ sh:prefix \"kg\" ; sh:namespace \"https://e.org/kg#\"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .\n")


@pytest.mark.parametrize(("shape", "expected"), [
    ("sh:targetClass kg:C ; sh:property [ sh:path kg:p ; sh:minCount 1 ]", Reach(0, frozenset())),
    ("sh:targetClass kg:C ; sh:property [ sh:path kg:p ; sh:class kg:D ]",
     Reach(1, frozenset({"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}))),
    ("sh:targetClass kg:C ; sh:property [ sh:path ( kg:p kg:q kg:r ) ; sh:minCount 1 ]",
     Reach(2, frozenset({"https://e.org/kg#q", "https://e.org/kg#r"}))),
    (SPARQL_TARGET.format("?this kg:p/kg:q ?x"), Reach(1, frozenset({"https://e.org/kg#q"}))),
    (SPARQL_TARGET.format("?this kg:p ?x . ?x ?any ?y"), Reach(1, None)),
    ("sh:targetClass kg:C ; sh:property [ sh:path [ sh:inversePath kg:p ] ; sh:minCount 1 ]", None),
    ("sh:targetObjectsOf kg:p ; sh:property [ sh:path kg:p ; sh:minCount 1 ]", None),
    (SPARQL_TARGET.format("?x kg:p ?this"), None),
    ("sh:targetClass kg:C ; sh:property [ sh:path kg:p ; sh:node kgsh:Other ]", None),
    (SPARQL_TARGET.format("?this kg:p ?x FILTER ("), None),
], ids=["own-triples", "class", "sequence", "sparql-target", "sparql-any-predicate", "inverse-path",
        "target-objects-of", "sparql-target-from-elsewhere", "nested-shape", "sparql-target-rdflib-cannot-read"])
def test_how_far_the_checks_read_comes_from_the_shapes(tmp_path, shape, expected):
    from rdflib import Graph

    shapes = Graph().parse(data=SHAPES_HEAD + f"kgsh:S a sh:NodeShape ; {shape} .\n", format="turtle")
    prefixes = "PREFIX kg: <https://e.org/kg#>\n"
    assert reach(CompiledShapes(shapes, prefixes)) == expected


@pytest.mark.parametrize("seed_value", range(6))
def test_changed_lines_are_the_two_set_differences(seed_value):
    rng = random.Random(seed_value)
    universe = [f"<s:{n:05d}> <s:p> <s:o> .\n" for n in range(3000)]
    before = sorted(rng.sample(universe, rng.randrange(0, 3000)))
    after = set(before)
    for _ in range(rng.choice([0, 1, 5, 400])):
        line = rng.choice(universe)
        after ^= {line}
    after = sorted(after)
    removed, added = changed_lines(before, after)
    assert removed == sorted(set(before) - set(after))
    assert added == sorted(set(after) - set(before))


def test_the_shapes_are_compiled_again_when_their_file_changes(tmp_path, monkeypatch):
    # kg build --watch validates in one process across edits to ontology/shapes.ttl.
    import shutil

    from graph import paths, shacl_sparql
    from graph.paths import ontology_dir

    folder = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), folder)
    monkeypatch.setattr(paths, "ontology_dir", lambda: folder)
    before = shacl_sparql.default_shapes()
    shapes = folder / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8").replace(
        "kgsh:ClaimOfResponsibilityShape a sh:NodeShape ;",
        "kgsh:ClaimOfResponsibilityShape a sh:NodeShape ; sh:deactivated true ;"), encoding="utf-8")
    after = shacl_sparql.default_shapes()
    assert after.digest != before.digest and len(after.checks) < len(before.checks)
    assert validation_context(after) != validation_context(before)


LINE_SEPARATOR = '<https://e.org/d> <http://purl.org/dc/terms/title> "one\u2028two\u2029three\x85" .\n'


def test_a_literal_holding_a_unicode_line_separator_is_one_line(tmp_path):
    from graph.cache import BuildCache

    lines = sorted({LINE_SEPARATOR, '<https://e.org/d> <https://e.org/p> <https://e.org/o> .\n'})
    assert validate_ntriples("".join(lines)).conforms
    path = tmp_path / "kg.nt"
    path.write_text("".join(lines), encoding="utf-8")
    cache = BuildCache(tmp_path / "cache")
    import hashlib

    cache.put_conforming(hashlib.sha256(path.read_bytes()).hexdigest(), "context")
    assert cache.conforming(path, "context") == lines
