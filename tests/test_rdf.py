"""The exports: four serializations of one graph, deterministic, with provenance."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, URIRef

from graph.export import RDF_FILES
from graph.rdf import BASE

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"kg.ttl": ("turtle", ox.RdfFormat.TURTLE), "kg.nt": ("nt", ox.RdfFormat.N_TRIPLES),
           "kg.jsonld": ("json-ld", ox.RdfFormat.JSON_LD), "kg.trig": ("trig", ox.RdfFormat.TRIG)}


def rdflib_triples(path: Path, fmt: str) -> set[str]:
    graph = Dataset(default_union=True) if fmt == "trig" else Graph()
    graph.parse(path, format=fmt)
    return {" ".join(term.n3() for term in triple) for triple in graph.triples((None, None, None))}


def oxigraph_triples(path: Path, fmt) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(path=str(path), format=fmt)}


def test_every_export_is_written(out_dir):
    for name in RDF_FILES:
        assert (out_dir / name).stat().st_size > 1000, name


@pytest.mark.parametrize("name", list(FORMATS))
def test_each_file_parses_back_to_the_same_graph_with_rdflib_and_pyoxigraph(out_dir, name):
    reference = rdflib_triples(out_dir / "kg.nt", "nt")
    rdflib_fmt, ox_fmt = FORMATS[name]
    assert rdflib_triples(out_dir / name, rdflib_fmt) == reference
    assert oxigraph_triples(out_dir / name, ox_fmt) == oxigraph_triples(out_dir / "kg.nt", ox.RdfFormat.N_TRIPLES)
    assert len(reference) > 5000


# An IRI in angle brackets or a quoted literal (with its escapes); what is left are prefixed names and keywords.
_IRI_OR_LITERAL = re.compile(r'<[^>]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')


def prefixed_names_with_escapes(text: str) -> list[str]:
    """The prefixed names in Turtle or TriG text that hold a backslash escape, such as ``date:2020-05\\/hasEnd``."""
    return sorted({token for token in _IRI_OR_LITERAL.sub(" ", text).split() if "\\" in token})


def test_the_escape_finder_sees_an_escaped_local_name_and_ignores_literals():
    text = '@prefix d: <http://e.org/d/> .\nd:a\\/b d:p "x\\"y\\\\", """a\\nb""" ; d:q <http://e.org/\\> .\n'
    assert prefixed_names_with_escapes(text) == ["d:a\\/b"]


@pytest.mark.parametrize("name", ["kg.ttl", "kg.trig", "void.ttl"])
def test_no_prefixed_name_needs_an_escape(out_dir, name):
    """Virtuoso's loader, among others, keeps the backslash of ``\\/`` in a prefixed name: write none."""
    text = (out_dir / name).read_text(encoding="utf-8")
    assert prefixed_names_with_escapes(text) == []
    assert "@prefix kg: " in text and "kg:Fact" in text


def test_no_blank_nodes_and_every_iri_is_under_the_base_or_a_known_vocabulary(out_dir):
    graph = Graph().parse(out_dir / "kg.nt", format="nt")
    vocabularies = (BASE, "http://www.w3.org/", "http://purl.org/dc/terms/", "http://xmlns.com/foaf/",
                    "https://schema.org/", "http://rdfs.org/ns/void#")
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode)
            if isinstance(term, URIRef):
                assert str(term).startswith(vocabularies), term


def test_trig_keeps_each_documents_facts_in_its_own_named_graph(out_dir, corpus):
    dataset = Dataset()
    dataset.parse(out_dir / "kg.trig", format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    expected = {f"{BASE}graph/{doc}" for doc in corpus.documents} | {f"{BASE}graph/registry", f"{BASE}graph/ontology"}
    assert names == expected
    query = """PREFIX kg: <https://example.org/faction-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT (COUNT(*) AS ?wrong) WHERE { GRAPH ?g { ?fact a kg:Fact ; prov:wasDerivedFrom ?doc }
      FILTER (STRAFTER(STR(?g), "/graph/") != STRAFTER(STR(?doc), "/document/")) }"""
    store = ox.Store()
    store.bulk_load(path=str(out_dir / "kg.trig"), format=ox.RdfFormat.TRIG)
    (row,) = list(store.query(query))
    assert int(row["wrong"].value) == 0


def test_a_direct_edge_leads_to_its_document_quote_and_offsets(out_dir):
    store = ox.Store()
    store.bulk_load(path=str(out_dir / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    query = """
    PREFIX kg: <https://example.org/faction-kg/ontology#> PREFIX id: <https://example.org/faction-kg/id/>
    PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?doc ?exact ?start ?end WHERE {
      id:husayn-al-mousawi kg:spokespersonOf id:al-nujaba .
      ?fact rdf:subject id:husayn-al-mousawi ; rdf:predicate kg:spokespersonOf ; rdf:object id:al-nujaba ;
            prov:wasDerivedFrom ?doc ; kg:evidence ?ev .
      ?ev oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
    }"""
    rows = list(store.query(query))
    assert rows
    text = (ROOT / "sources" / "documents" / "jttm-2024-01-08.txt").read_text(encoding="utf-8")
    for row in rows:
        assert row["doc"].value.endswith("/document/jttm-2024-01-08")
        assert text[int(row["start"].value):int(row["end"].value)] == row["exact"].value


def test_void_description_counts_the_triples_and_names_the_sources(out_dir, corpus):
    void = Graph().parse(out_dir / "void.ttl", format="turtle")
    union = Graph().parse(out_dir / "kg.nt", format="nt")
    (count,) = void.objects(URIRef(BASE + "dataset"), URIRef("http://rdfs.org/ns/void#triples"))
    assert int(count) == len(union)
    sources = set(void.objects(URIRef(BASE + "dataset"), URIRef("http://purl.org/dc/terms/source")))
    assert {str(s).rsplit("/", 1)[-1] for s in sources} == set(corpus.documents)


def test_two_builds_are_byte_identical_whatever_the_hash_seed(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        outs.append(out)
    for name in RDF_FILES:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_every_fact_restates_a_direct_edge_of_the_graph(out_dir):
    store = ox.Store()
    store.bulk_load(path=str(out_dir / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    orphans = list(store.query("""PREFIX kg: <https://example.org/faction-kg/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?fact WHERE { ?fact a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
                             FILTER NOT EXISTS { ?s ?p ?o } }"""))
    assert orphans == []
    (count,) = list(store.query("PREFIX kg: <https://example.org/faction-kg/ontology#> "
                                "SELECT (COUNT(*) AS ?n) WHERE { ?fact a kg:Fact }"))
    assert int(count["n"].value) > 300


@pytest.fixture(scope="module")
def quads(corpus):
    from graph.export import Quads
    from graph.rdf import corpus_quads
    from graph.schema import load_schema

    return Quads(corpus_quads(corpus, load_schema()))


def test_the_export_text_is_the_distinct_quads_and_triples_in_sorted_order(quads, out_dir):
    from graph.export import nquads_lines, split_graphs

    lines = nquads_lines(quads)
    assert lines == sorted(set(lines)) and len(lines) == len(set(quads))
    triples, sizes = split_graphs(lines)
    # The neighbours argument of split_graphs, checked against a plain sort of the distinct triples.
    assert triples == sorted({line[:line.rindex(" <")] + " .\n" for line in lines})
    assert sum(sizes.values()) == len(lines)
    assert len(triples) == len((out_dir / "kg.nt").read_text(encoding="utf-8").splitlines())
    # Oxigraph reads the text back to the same quads as the build's own terms.
    parsed = {str(q) for q in ox.parse("".join(lines), format=ox.RdfFormat.N_QUADS)}
    assert parsed == {line[:-3] for line in lines}


def test_the_triple_index_answers_as_rdflib_does(quads):
    from rdflib import RDF, SKOS

    from graph.export import merged_graph
    from graph.network import typed_multigraph
    from graph.schema import KG
    from graph.triples import TripleIndex

    index, graph = TripleIndex(quads), merged_graph(quads)
    assert len(index) == len(graph)
    for predicate in (RDF.type, SKOS.prefLabel, KG.evidence, KG.status):
        assert sorted(index.subject_objects(predicate)) == sorted(graph.subject_objects(predicate))
    assert sorted(index.subjects(RDF.type, KG.Fact)) == sorted(graph.subjects(RDF.type, KG.Fact))
    nujaba = URIRef(BASE + "id/al-nujaba")
    assert index.value(nujaba, SKOS.prefLabel) == graph.value(nujaba, SKOS.prefLabel)
    assert sorted(index.objects(nujaba, SKOS.altLabel)) == sorted(graph.objects(nujaba, SKOS.altLabel))
    from_index, from_rdflib = typed_multigraph(index), typed_multigraph(graph)
    assert sorted(from_index.nodes(data=True)) == sorted(from_rdflib.nodes(data=True))
    assert sorted(from_index.edges(keys=True, data=True), key=str) == sorted(from_rdflib.edges(keys=True, data=True), key=str)


def test_the_export_text_takes_a_generator_of_fresh_terms():
    from rdflib import Literal

    from graph.export import nquads_lines

    s, p, g = URIRef("http://e.org/s"), URIRef("http://e.org/p"), URIRef("http://e.org/g")
    # Each literal is made, used and dropped: ids of freed terms must not be mistaken for new ones.
    assert len(nquads_lines((s, p, Literal(f"v{i}"), g) for i in range(1000))) == 1000


@pytest.mark.parametrize("probe", ["_mock_name", "pytest_mock_example_attribute_that_shouldnt_exist", "__wrapped__",
                                   "notATerm"])
@pytest.mark.parametrize("terms", ["_XSD", "_RDF", "_SKOS", "_DCTERMS"])
def test_closed_vocabularies_answer_no_probe_and_warn_nothing(terms, probe):
    # Doctest collection asks every module-level object whether it is a mock ("_mock_name"); rdflib's closed
    # vocabularies warn about any name they do not define, which printed "_mock_name is not defined in namespace XSD".
    import warnings

    from graph import rdf

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not hasattr(getattr(rdf, terms), probe)


def test_namespace_terms_are_still_the_vocabularies_terms():
    from rdflib import RDF, XSD

    from graph import rdf
    from graph.schema import KG

    assert (rdf._XSD.date, rdf._RDF.type, rdf._KG.status, rdf._KG["status"]) == (XSD.date, RDF.type, KG.status,
                                                                                 KG.status)
    assert not hasattr(rdf._KG, "_mock_name")


# Strings the text writer must escape or keep as they are: quotes, backslashes (one ends a string), line breaks,
# a tab and other control characters, non-ASCII letters, an emoji, Turtle's long-string quotes, and nothing.
AWKWARD = ['say "hi"', "back\\slash and a \\n that is not a newline", "ends in a backslash \\", "two\nlines\r\nand CR\r",
           "tab\there \x0b\x0c\x00 \u2028", "Ḥizb āl-ʿIrāq, Кремль, 中文, عربي 🙂", '"""', "", "  spaced  "]


def _awkward_corpus(corpus, strings: list[str]):
    """A copy of ``corpus`` whose every curated string (labels, quotes, notes...) has the awkward ``strings`` in it."""
    import copy
    import dataclasses
    import datetime as dt

    from graph.dates import DateSpec
    from graph.model import Literal as ModelLiteral

    corpus = copy.deepcopy(corpus)
    awkward = iter(strings * 10000)

    def odd(text: str) -> str:
        return f"{text}{next(awkward)}"

    for entity in corpus.entities.values():
        entity.label, entity.description = odd(entity.label), odd(entity.description)
        renamed = {alias: odd(alias) for alias in entity.aliases}
        entity.aliases = tuple(renamed.values())
        entity.alias_documents = {renamed[a]: docs for a, docs in entity.alias_documents.items() if a in renamed}
    for document in corpus.documents.values():
        document.title, document.notes = odd(document.title), [odd(n) for n in document.notes] + [odd("note")]
        document.original_file = odd(document.original_file or "original")
    for record in corpus.records.values():
        record.label = odd(record.label)
        for name in ("alt_labels", "gists", "date_texts", "quoted", "notes"):
            setattr(record, name, {odd(text) for text in getattr(record, name)} | {odd(name)})
    values = iter([ModelLiteral(odd("text")), ModelLiteral("007", "integer"), ModelLiteral("-12", "integer"),
                   ModelLiteral("true", "boolean"), ModelLiteral("false", "boolean"),
                   DateSpec("0999-01-01", "day", dt.date(999, 1, 1), dt.date(999, 1, 1), approximate=True,
                            uncertain=True)] * 10000)
    for index, fact in enumerate(corpus.facts):
        fact.notes = {odd(note) for note in fact.notes} | {odd("note")}
        fact.evidence = {dataclasses.replace(e, exact=odd(e.exact), prefix=odd(e.prefix), suffix=odd(e.suffix))
                         for e in fact.evidence}
        if fact.role_label is not None:
            fact.role_label = odd(fact.role_label)
        if not isinstance(fact.object, type(fact.subject)) and index % 2:  # a value, not a node: vary its kind
            fact.object = next(values)
    return corpus


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory):
    from graph.loader import load_sources
    from graph.schema import load_schema

    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return load_sources(generate.generate(12, seed=5, out=tmp_path_factory.mktemp("generated") / "sources"),
                        load_schema())


@pytest.mark.parametrize("which", ["seed", "generated", "seed, awkward", "generated, awkward"])
def test_the_graph_text_is_what_the_rdflib_terms_write(which, corpus, generated_corpus):
    """``corpus_nquads`` writes, without rdflib, the very lines the rdflib terms of ``corpus_quads`` write."""
    from graph.export import nquads_lines
    from graph.rdf import corpus_nquads, corpus_quads
    from graph.schema import load_schema

    schema = load_schema()
    model = corpus if which.startswith("seed") else generated_corpus
    if "awkward" in which:
        model = _awkward_corpus(model, AWKWARD)
    lines = corpus_nquads(model, schema)
    assert lines == nquads_lines(list(corpus_quads(model, schema)))
    assert len(lines) > 1000


def test_the_graph_text_reads_back_to_the_models_strings(corpus):
    """Oxigraph parses the text to the very strings of the model: escapes undone, nothing else changed."""
    from graph.rdf import corpus_nquads
    from graph.schema import load_schema

    model = _awkward_corpus(corpus, AWKWARD)
    quads = list(ox.parse("".join(corpus_nquads(model, load_schema())), format=ox.RdfFormat.N_QUADS))
    values = {q.object.value for q in quads if isinstance(q.object, ox.Literal)}
    english = {q.object.value for q in quads if isinstance(q.object, ox.Literal) and q.object.language == "en"}
    for entity in model.entities.values():
        assert {entity.label, *entity.aliases} <= values and entity.description in english
    for fact in model.facts:
        assert fact.notes <= english
        for evidence in fact.evidence:
            assert {evidence.exact, evidence.prefix, evidence.suffix} <= values
    for record in model.records.values():
        assert record.gists | record.notes <= english and record.quoted | record.date_texts <= values
    typed = {(q.object.value, q.object.datatype.value.rsplit("#")[-1]) for q in quads
             if isinstance(q.object, ox.Literal) and not q.object.language}
    assert {("7", "integer"), ("-12", "integer"), ("true", "boolean"), ("false", "boolean"),
            ("0999-01-01", "date")} <= typed


def test_the_exports_declare_the_prefixes_kg_query_predeclares(out_dir):
    # graph.prefixes is the one list: the rdflib namespaces of the exports are made from it, or are rdflib's
    # own for the standard vocabularies, and must name the same IRIs as the strings kg query uses.
    from graph.prefixes import PREFIXES
    from graph.rdf import NAMESPACES

    assert {prefix: str(namespace) for prefix, namespace in NAMESPACES.items()} == PREFIXES
    declared = dict(re.findall(r"^@prefix (\w+): <([^>]+)> \.$", (out_dir / "kg.ttl").read_text(encoding="utf-8"),
                               re.MULTILINE))
    assert len(declared) >= 12 and declared.items() <= PREFIXES.items()


def test_kg_nt_is_what_oxigraph_writes_of_it(out_dir):
    # kg.nt is written from the build's lines as they are; a scoped SHACL run trusts its digest.
    data = (out_dir / "kg.nt").read_bytes()
    assert ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES) == data


@pytest.mark.parametrize("lexical", ['a "quoted" \\ word', "line\nfeed\rreturn", "tab\tform\fbell\x07\x00",
                                     "\x7f delete", "\u2028 separator, é, \U0001F600", ""],
                         ids=["quote-backslash", "newlines", "controls", "delete", "unicode", "empty"])
def test_a_literal_is_escaped_as_oxigraph_escapes_it(lexical):
    from graph.ntriples import escaped

    triple = ox.Triple(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), ox.Literal(lexical))
    written = ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    assert written == f'<https://e.org/s> <https://e.org/p> "{escaped(lexical)}" .\n'
