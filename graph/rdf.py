"""Turn the checked corpus into RDF quads.

Two layers serve two kinds of question:

* direct edges, such as ``?person kg:spokespersonOf ?org``, for one-line
  queries;
* a provenance path for every direct edge: a ``kg:Fact`` (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``) with its status, its document and its
  evidence, a W3C Web Annotation ``SpecificResource`` with a
  ``TextQuoteSelector`` and a ``TextPositionSelector``.

Every IRI is derived from content under one base namespace; there are no
blank nodes. Each document's facts go in a named graph of their own, the
registry in ``graph/registry``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .dates import DateSpec
from .model import Corpus, Fact, Node
from .model import Literal as ModelLiteral
from .schema import KG, Schema

__all__ = ["BASE", "NAMESPACES", "corpus_quads", "fact_iri", "node_iri", "REGISTRY_GRAPH", "ONTOLOGY_GRAPH"]

BASE = "https://example.org/faction-kg/"
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "document/")
FACT = Namespace(BASE + "fact/")
EVIDENCE = Namespace(BASE + "evidence/")
DATE = Namespace(BASE + "date/")
MEMBERSHIP = Namespace(BASE + "membership/")
GRAPH = Namespace(BASE + "graph/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")

NAMESPACES = {
    "kg": KG, "id": ID, "doc": DOC, "fact": FACT, "evidence": EVIDENCE, "date": DATE, "membership": MEMBERSHIP,
    "prov": PROV, "org": ORG, "oa": OA, "time": TIME, "skos": SKOS, "dcterms": DCTERMS, "schema": SCHEMA,
    "rdfs": RDFS, "xsd": XSD,
}
REGISTRY_GRAPH = GRAPH["registry"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
DOCUMENT_CLASSES = {"monitoring-report": KG.MonitoringReport, "news-article": KG.NewsArticle}


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def node_iri(node: Node) -> URIRef:
    if node.kind == "doc":
        return DOC[node.id]
    if node.kind == "status":
        return KG[node.id]
    return ID[node.id]


def date_iri(spec: DateSpec) -> URIRef:
    return KG.UnknownDate if spec.precision == "unknown" else DATE[spec.slug]


def fact_iri(fact: Fact) -> URIRef:
    """A fact's IRI: its document, then a digest of its content."""
    return FACT[f"{fact.document}/{_digest(*fact.key)}"]


def _object_term(obj) -> URIRef | Literal:
    if isinstance(obj, Node):
        return node_iri(obj)
    if isinstance(obj, DateSpec):
        return date_iri(obj)
    if isinstance(obj, ModelLiteral):
        if obj.datatype == "integer":
            return Literal(int(obj.value))
        if obj.datatype == "boolean":
            return Literal(obj.value == "true")
        return Literal(obj.value)
    raise TypeError(f"cannot turn {obj!r} into RDF")


def _date_triples(spec: DateSpec) -> Iterator[tuple]:
    iri = date_iri(spec)
    yield iri, RDF.type, KG.DateSpec
    yield iri, RDF.type, TIME.TemporalEntity
    yield iri, RDFS.label, Literal(spec.edtf or "unknown")
    yield iri, KG.edtf, Literal(spec.edtf)
    yield iri, KG.precision, KG[{"day": "Day", "month": "Month", "year": "Year", "interval": "Interval",
                                 "within-bounds": "WithinBounds", "unknown": "Unknown"}[spec.precision]]
    bounds = ((KG.earliest, KG.earliestDay, spec.earliest, "hasBeginning"), (KG.latest, KG.latestDay, spec.latest, "hasEnd"))
    for predicate, day_predicate, bound, time_link in bounds:
        if bound is not None:
            instant = URIRef(f"{iri}/{time_link}")
            yield iri, predicate, Literal(bound, datatype=XSD.date)
            yield iri, day_predicate, Literal(bound.toordinal())
            yield iri, TIME[time_link], instant
            yield instant, RDF.type, TIME.Instant
            yield instant, TIME.inXSDDate, Literal(bound, datatype=XSD.date)
    if spec.approximate:
        yield iri, KG.approximate, Literal(True)
    if spec.uncertain:
        yield iri, KG.uncertain, Literal(True)


def _fact_triples(fact: Fact, schema: Schema) -> Iterator[tuple]:
    subject = node_iri(fact.subject)
    predicate = KG[fact.predicate]
    obj = _object_term(fact.object)
    iri = fact_iri(fact)
    doc = DOC[fact.document]
    yield subject, predicate, obj
    if isinstance(fact.object, DateSpec):
        yield from _date_triples(fact.object)
    yield iri, RDF.type, KG.Fact
    yield iri, RDF.subject, subject
    yield iri, RDF.predicate, predicate
    yield iri, RDF.object, obj
    yield iri, KG.status, KG[fact.status]
    yield iri, PROV.wasDerivedFrom, doc
    for actor in sorted(fact.attributed_to):
        yield iri, KG.attributedTo, ID[actor]
    if fact.record:
        yield iri, KG.record, ID[fact.record]
    for note in sorted(fact.notes):
        yield iri, KG.curatorNote, Literal(note, lang="en")
    for evidence in sorted(fact.evidence):
        ev = EVIDENCE[f"{evidence.document}/{evidence.start}-{evidence.end}"]
        quote_selector, position_selector = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
        yield iri, KG.evidence, ev
        yield ev, RDF.type, KG.Evidence
        yield ev, RDF.type, OA.SpecificResource
        yield ev, OA.hasSource, doc
        yield ev, KG.quote, Literal(evidence.exact)
        yield ev, OA.hasSelector, quote_selector
        yield ev, OA.hasSelector, position_selector
        yield quote_selector, RDF.type, OA.TextQuoteSelector
        yield quote_selector, OA.exact, Literal(evidence.exact)
        yield quote_selector, OA.prefix, Literal(evidence.prefix)
        yield quote_selector, OA.suffix, Literal(evidence.suffix)
        yield position_selector, RDF.type, OA.TextPositionSelector
        yield position_selector, OA.start, Literal(evidence.start, datatype=XSD.nonNegativeInteger)
        yield position_selector, OA.end, Literal(evidence.end, datatype=XSD.nonNegativeInteger)
    role = schema.properties[fact.predicate].role if fact.predicate in schema.properties else None
    if role:
        membership = MEMBERSHIP[_digest(iri)]
        yield membership, RDF.type, ORG.Membership
        yield membership, ORG.member, subject
        yield membership, ORG.organization, obj
        yield membership, ORG.role, KG[role]
        yield membership, KG.roleFact, iri
        yield membership, KG.status, KG[fact.status]
        if fact.role_label:
            yield membership, KG.roleLabel, Literal(fact.role_label)


def _registry_triples(corpus: Corpus) -> Iterator[tuple]:
    for entity in sorted(corpus.entities.values(), key=lambda e: e.id):
        iri = ID[entity.id]
        yield iri, RDF.type, KG[entity.type]
        yield iri, RDFS.label, Literal(entity.label)
        yield iri, SKOS.prefLabel, Literal(entity.label)
        for alias in entity.aliases:
            if alias != entity.label:
                yield iri, SKOS.altLabel, Literal(alias)
        yield iri, KG.description, Literal(entity.description, lang="en")
        if entity.unnamed:
            yield iri, KG.unnamed, Literal(True)


def _record_triples(records: list, doc_id: str) -> Iterator[tuple]:
    """The triples of the records (sorted by id) that ``doc_id`` declares."""
    for record in records:
        iri = ID[record.id]
        for rtype in sorted(record.types):
            yield iri, RDF.type, KG[rtype]
        yield iri, RDFS.label, Literal(record.label)
        yield iri, SKOS.prefLabel, Literal(record.label)
        for alt in sorted(record.alt_labels):
            yield iri, SKOS.altLabel, Literal(alt)
        yield iri, PROV.wasDerivedFrom, DOC[doc_id]
    # Annotations that belong to the record, not to one document: written with its first document.
    for record in records:
        if doc_id != min(record.documents):
            continue
        iri = ID[record.id]
        for gist in sorted(record.gists):
            yield iri, KG.gist, Literal(gist, lang="en")
        for text in sorted(record.date_texts):
            yield iri, KG.dateText, Literal(text)
        for quoted in sorted(record.quoted):
            yield iri, KG.quotedText, Literal(quoted)
        for note in sorted(record.notes):
            yield iri, KG.curatorNote, Literal(note, lang="en")


def _document_triples(corpus: Corpus, doc_id: str) -> Iterator[tuple]:
    document = corpus.documents[doc_id]
    iri = DOC[doc_id]
    yield iri, RDF.type, DOCUMENT_CLASSES[document.kind]
    yield iri, RDF.type, KG.SourceDocument
    yield iri, DCTERMS.identifier, Literal(doc_id)
    yield iri, DCTERMS.title, Literal(document.title)
    yield iri, RDFS.label, Literal(document.title)
    yield iri, DCTERMS.language, Literal(document.language)
    yield iri, KG.sha256, Literal(document.sha256)
    yield iri, KG.fileName, Literal(document.text_file)
    if document.original_file:
        yield iri, DCTERMS.source, Literal(document.original_file)
    for note in document.notes:
        yield iri, KG.curatorNote, Literal(note, lang="en")


def corpus_quads(corpus: Corpus, schema: Schema) -> Iterator[tuple]:
    """Every quad of the graph, in a deterministic order.

    The vocabulary goes in ``graph/ontology``, registry entities in
    ``graph/registry``; each document's metadata, records and facts go in
    ``graph/<document id>``.
    """
    for triple in sorted(schema.graph, key=lambda t: tuple(x.n3() for x in t)):
        yield (*triple, ONTOLOGY_GRAPH)
    for triple in _registry_triples(corpus):
        yield (*triple, REGISTRY_GRAPH)
    facts_by_document: dict[str, list[Fact]] = {}
    for fact in corpus.facts:
        facts_by_document.setdefault(fact.document, []).append(fact)
    records_by_document: dict[str, list] = {}
    for record in sorted(corpus.records.values(), key=lambda r: r.id):
        for doc_id in record.documents:
            records_by_document.setdefault(doc_id, []).append(record)
    for doc_id in sorted(corpus.documents):
        graph = GRAPH[doc_id]
        for triple in _document_triples(corpus, doc_id):
            yield (*triple, graph)
        for triple in _record_triples(records_by_document.get(doc_id, []), doc_id):
            yield (*triple, graph)
        for fact in facts_by_document.get(doc_id, []):
            for triple in _fact_triples(fact, schema):
                yield (*triple, graph)
