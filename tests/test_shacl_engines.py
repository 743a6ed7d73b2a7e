"""The SPARQL validator (graph/shacl_sparql.py) agrees with pySHACL, the reference engine.

On the seed build's graph both find nothing; on each fault of tests/data/shacl_mutations.yaml, injected into
that graph, both find the same violations: focus node, path, value, message, severity and source constraint
component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph

from graph.rdf import NAMESPACES
from graph.shacl_sparql import COMPONENTS, UnsupportedShape, compile_shapes, validate_ntriples
from graph.validate import SH, validate_graph

MUTATIONS = yaml.safe_load((Path(__file__).parent / "data" / "shacl_mutations.yaml").read_text(encoding="utf-8"))
TERM = re.compile(r'"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^\S+)?|\S+')


@dataclass
class Seed:
    lines: list[str]  # the merged graph as N-Triples lines, as kg.nt holds it
    store: ox.Store  # for the mutations' picks
    graph: Graph  # for pySHACL; each test changes it and puts it back


@pytest.fixture(scope="module")
def seed(out_dir) -> Seed:
    text = (out_dir / "kg.nt").read_text(encoding="utf-8")
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    for prefix, namespace in NAMESPACES.items():  # as the build's graph has them: pySHACL's messages use them
        graph.bind(prefix, namespace)
    return Seed(text.splitlines(keepends=True), store, graph.parse(data=text, format="nt"))


@pytest.fixture(scope="module")
def compiled():
    return compile_shapes()


def _term(token: str, bindings: dict[str, str]) -> str:
    """A term of the mutation table as N-Triples text."""
    if token.startswith("?"):
        return bindings[token[1:]]
    if token.startswith('"'):
        literal, _, datatype = token.partition("^^")
        return f"{literal}^^{_term(datatype, bindings)}" if datatype else literal
    if token.startswith("<") or token == "*":
        return token
    prefix, local = token.split(":", 1)
    return f"<{NAMESPACES[prefix]}{local}>"


def _triple(text: str, bindings: dict[str, str]) -> tuple[str, str, str]:
    subject, predicate, obj = (_term(token, bindings) for token in TERM.findall(text))
    return subject, predicate, obj


def _pick(seed: Seed, pattern: str | None) -> dict[str, str]:
    if not pattern:
        return {}
    variables = list(dict.fromkeys(re.findall(r"\?(\w+)", pattern)))
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in NAMESPACES.items())
    query = f"{prefixes}SELECT * WHERE {{ {pattern} }} ORDER BY {' '.join('?' + v for v in variables)} LIMIT 1"
    rows = list(seed.store.query(query))
    assert rows, f"the pick matches nothing in the seed graph: {pattern}"
    return {v: str(rows[0][v]) for v in variables if rows[0][v] is not None}


def _mutated(seed: Seed, mutation: dict) -> tuple[list[str], list[str], list[str]]:
    """The mutated graph's lines, and the lines deleted and inserted."""
    bindings = _pick(seed, mutation.get("pick"))
    deleted: set[str] = set()
    for pattern in mutation.get("delete", []):
        wanted = _triple(pattern, bindings)
        matched = {line for line in seed.lines
                   if all(w in ("*", t) for w, t in zip(wanted, _split(line)))}
        assert matched, f"{mutation['name']}: '{pattern}' deletes nothing"
        deleted |= matched
    kept = set(seed.lines) - deleted
    inserted = {" ".join(_triple(triple, bindings)) + " .\n" for triple in mutation.get("insert", [])} - kept
    lines = sorted(kept | inserted)
    return lines, sorted(deleted), sorted(inserted)


def _split(line: str) -> tuple[str, str, str]:
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[:-3]


def _pyshacl(seed: Seed, deleted: list[str], inserted: list[str]):
    """pySHACL on the seed graph with the change made, then undone."""
    removed = Graph().parse(data="".join(deleted), format="nt") if deleted else Graph()
    added = Graph().parse(data="".join(inserted), format="nt") if inserted else Graph()
    for triple in removed:
        seed.graph.remove(triple)
    for triple in added:
        seed.graph.add(triple)
    try:
        return validate_graph(seed.graph, mix_in_ontology=False)
    finally:
        for triple in added:
            seed.graph.remove(triple)
        for triple in removed:
            seed.graph.add(triple)


def test_the_seed_graph_conforms_on_both_engines(seed, compiled):
    assert validate_graph(seed.graph, mix_in_ontology=False).conforms
    result = validate_ntriples("".join(seed.lines), compiled)
    assert result.conforms and result.results == (), result.text


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["name"] for m in MUTATIONS])
def test_both_engines_find_the_same_violations(seed, compiled, mutation):
    lines, deleted, inserted = _mutated(seed, mutation)
    reference = _pyshacl(seed, deleted, inserted)
    result = validate_ntriples("".join(lines), compiled)
    assert not reference.conforms, "the fault must break a shape"
    assert str(SH[mutation["component"] + "ConstraintComponent"]) in {v.component for v in reference.results}
    assert {v.severity for v in reference.results} == {str(SH.Violation)}
    assert result.results == reference.results
    assert (result.conforms, result.violations) == (reference.conforms, reference.violations)


def test_the_table_injects_a_fault_for_every_component_the_shapes_use(compiled):
    used = {COMPONENTS[check.parameter] for check in compiled.checks}
    injected = {str(SH[m["component"] + "ConstraintComponent"]) for m in MUTATIONS}
    assert used - injected == set()
    assert len(MUTATIONS) >= 30


def test_the_sparql_targets_are_run_as_written(compiled):
    targets = [check.query for check in compiled.checks if "kg:status kg:Claimed" in check.query]
    assert targets and all("SELECT ?this WHERE { ?this a kg:Fact ; kg:status kg:Claimed }" in q for q in targets)


@pytest.mark.parametrize(("shape", "refused"), [
    ("sh:property [ sh:path kg:p ; sh:qualifiedValueShape [ sh:class kg:C ] ; sh:qualifiedMinCount 1 ]",
     "qualifiedMinCount is not supported"),
    ("sh:property [ sh:path kg:p ; sh:node kgsh:Other ]", "nested shapes are not supported"),
    ("sh:property [ sh:path kg:p ; sh:datatype xsd:date ; sh:severity sh:Warning ]", "only sh:Violation"),
    ("sh:target [ a kgsh:CustomTarget ]", "only SPARQL-based targets"),
], ids=["qualified-value-shape", "node", "warning", "custom-target"])
def test_a_shape_the_compiler_cannot_run_is_refused(tmp_path, shape, refused):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                      "@prefix kg: <https://e.org/kg#> . @prefix kgsh: <https://e.org/kgsh#> .\n"
                      f"kgsh:S a sh:NodeShape ; sh:targetClass kg:C ; {shape} .\n", encoding="utf-8")
    with pytest.raises(UnsupportedShape, match=refused):
        compile_shapes(shapes)


@pytest.mark.parametrize("workers", [1, 8])
def test_the_checks_give_the_same_report_on_one_thread_and_on_several(seed, compiled, monkeypatch, workers):
    import graph.shacl_sparql as shacl_sparql

    faulty: set[str] = set(seed.lines)
    for mutation in MUTATIONS:
        lines, deleted, inserted = _mutated(seed, mutation)
        faulty = (faulty - set(deleted)) | set(inserted)
    text = "".join(sorted(faulty))
    monkeypatch.setattr(shacl_sparql, "_workers", lambda: 1)
    alone = validate_ntriples(text, compiled)
    monkeypatch.setattr(shacl_sparql, "_workers", lambda: workers)
    together = validate_ntriples(text, compiled)
    assert not alone.conforms and len(alone.results) >= len(MUTATIONS)
    assert together.results == alone.results and together.text == alone.text


def test_a_check_that_fails_on_its_thread_fails_the_validation(seed, compiled):
    from dataclasses import replace

    broken = replace(compiled, checks=[*compiled.checks[:-1], replace(compiled.checks[-1], query="SELECT ?this {")])
    with pytest.raises(SyntaxError):
        validate_ntriples("".join(seed.lines), broken)
