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

from rdflib import OWL, RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, DefinedNamespaceMeta

from .dates import DateSpec
from .model import Corpus, Fact, Node
from .model import Literal as ModelLiteral
from .names import name_keys
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
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD,
}
REGISTRY_GRAPH = GRAPH["registry"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
DOCUMENT_CLASSES = {"monitoring-report": KG.MonitoringReport, "news-article": KG.NewsArticle}


class _Terms:
    """A namespace whose terms are made once: the build asks for the same few terms millions of times."""

    def __init__(self, namespace):
        self._namespace = namespace
        self._terms: dict[str, URIRef] = {}

    def __getitem__(self, name: str) -> URIRef:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = URIRef(self._namespace[name])
        return term

    def __getattr__(self, name: str) -> URIRef:
        # Only terms. Introspection probes attributes no vocabulary has (doctest collection asks whether an
        # object is a mock: "_mock_name", "pytest_mock_..."), and a closed vocabulary such as rdflib's XSD warns
        # about every name it does not define.
        namespace = self._namespace
        if name.startswith("_") or (isinstance(namespace, DefinedNamespaceMeta) and name not in namespace):
            raise AttributeError(f"{name!r} is not a term of {namespace}")
        return self[name]


_RDF = _Terms(RDF)
_RDFS = _Terms(RDFS)
_KG = _Terms(KG)
_OA = _Terms(OA)
_PROV = _Terms(PROV)
_ORG = _Terms(ORG)
_TIME = _Terms(TIME)
_SKOS = _Terms(SKOS)
_DCTERMS = _Terms(DCTERMS)
_XSD = _Terms(XSD)
_ID = _Terms(ID)
_DOC = _Terms(DOC)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def node_iri(node: Node) -> URIRef:
    if node.kind == "doc":
        return _DOC[node.id]
    if node.kind == "status":
        return _KG[node.id]
    return _ID[node.id]


def date_iri(spec: DateSpec) -> URIRef:
    return _KG.UnknownDate if spec.precision == "unknown" else DATE[spec.slug]


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
    yield iri, _RDF.type, _KG.DateSpec
    yield iri, _RDF.type, _TIME.TemporalEntity
    if iri != _KG.UnknownDate:  # the ontology labels kg:UnknownDate; a second label would list it twice
        yield iri, _RDFS.label, Literal(spec.edtf or "unknown")
    yield iri, _KG.edtf, Literal(spec.edtf)
    yield iri, _KG.precision, _KG[{"day": "Day", "month": "Month", "year": "Year", "interval": "Interval",
                                 "within-bounds": "WithinBounds", "unknown": "Unknown"}[spec.precision]]
    bounds = ((_KG.earliest, _KG.earliestDay, spec.earliest, "hasBeginning"), (_KG.latest, _KG.latestDay, spec.latest, "hasEnd"))
    for predicate, day_predicate, bound, time_link in bounds:
        if bound is not None:
            instant = URIRef(f"{iri}/{time_link}")
            yield iri, predicate, Literal(bound, datatype=_XSD.date)
            yield iri, day_predicate, Literal(bound.toordinal())
            yield iri, _TIME[time_link], instant
            yield instant, _RDF.type, _TIME.Instant
            yield instant, _TIME.inXSDDate, Literal(bound, datatype=_XSD.date)
    if spec.approximate:
        yield iri, _KG.approximate, Literal(True)
    if spec.uncertain:
        yield iri, _KG.uncertain, Literal(True)


def _fact_triples(fact: Fact, schema: Schema, authors: dict[str, URIRef]) -> Iterator[tuple]:
    subject = node_iri(fact.subject)
    predicate = _KG[fact.predicate]
    obj = _object_term(fact.object)
    iri = fact_iri(fact)
    doc = _DOC[fact.document]
    yield subject, predicate, obj
    if isinstance(fact.object, DateSpec):
        yield from _date_triples(fact.object)
    yield iri, _RDF.type, _KG.Fact
    yield iri, _RDF.subject, subject
    yield iri, _RDF.predicate, predicate
    yield iri, _RDF.object, obj
    yield iri, _KG.status, _KG[fact.status]
    yield iri, _PROV.wasDerivedFrom, doc
    for actor in sorted(fact.attributed_to):
        yield iri, _KG.attributedTo, _ID[actor]
    if fact.status == "Assessed":  # the author's judgement: the publisher's, or the document's
        yield iri, _KG.assessedBy, authors.get(fact.document, doc)
    if fact.record:
        yield iri, _KG.record, _ID[fact.record]
    for note in sorted(fact.notes):
        yield iri, _KG.curatorNote, Literal(note, lang="en")
    for evidence in sorted(fact.evidence):
        ev = EVIDENCE[f"{evidence.document}/{evidence.start}-{evidence.end}"]
        quote_selector, position_selector = URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
        yield iri, _KG.evidence, ev
        yield ev, _RDF.type, _KG.Evidence
        yield ev, _RDF.type, _OA.SpecificResource
        yield ev, _OA.hasSource, doc
        yield ev, _KG.quote, Literal(evidence.exact)
        yield ev, _OA.hasSelector, quote_selector
        yield ev, _OA.hasSelector, position_selector
        yield quote_selector, _RDF.type, _OA.TextQuoteSelector
        yield quote_selector, _OA.exact, Literal(evidence.exact)
        yield quote_selector, _OA.prefix, Literal(evidence.prefix)
        yield quote_selector, _OA.suffix, Literal(evidence.suffix)
        yield position_selector, _RDF.type, _OA.TextPositionSelector
        yield position_selector, _OA.start, Literal(evidence.start, datatype=_XSD.nonNegativeInteger)
        yield position_selector, _OA.end, Literal(evidence.end, datatype=_XSD.nonNegativeInteger)
    role = schema.properties[fact.predicate].role if fact.predicate in schema.properties else None
    if role:
        membership = MEMBERSHIP[_digest(iri)]
        yield membership, _RDF.type, _ORG.Membership
        yield membership, _ORG.member, subject
        yield membership, _ORG.organization, obj
        yield membership, _ORG.role, _KG[role]
        yield membership, _KG.roleFact, iri
        yield membership, _KG.status, _KG[fact.status]
        if fact.role_label:
            yield membership, _KG.roleLabel, Literal(fact.role_label)


def _registry_triples(corpus: Corpus) -> Iterator[tuple]:
    for entity in sorted(corpus.entities.values(), key=lambda e: e.id):
        iri = _ID[entity.id]
        yield iri, _RDF.type, _KG[entity.type]
        yield iri, _RDFS.label, Literal(entity.label)
        yield iri, _SKOS.prefLabel, Literal(entity.label)
        for alias in entity.aliases:
            if alias != entity.label:
                yield iri, _SKOS.altLabel, Literal(alias)
            # The name form, with the documents that use it (an alias no document uses is a curation warning).
            used = entity.alias_documents.get(alias, ())
            if used:
                # A dot, not a slash: no entity id holds one, and a Turtle prefixed name takes it unescaped.
                form = URIRef(f"{iri}.name-{_digest(alias)}")
                yield iri, _KG.nameForm, form
                yield form, _RDF.type, _KG.NameForm
                yield form, _RDFS.label, Literal(alias)
                for doc_id in used:
                    yield form, _KG.usedIn, _DOC[doc_id]
        for key in name_keys([entity.label, *entity.aliases]):  # derived, for matching (graph.names)
            yield iri, _KG.searchKey, Literal(key)
        yield iri, _KG.description, Literal(entity.description, lang="en")
        if entity.unnamed:
            yield iri, _KG.unnamed, Literal(True)


def _record_triples(records: list, doc_id: str) -> Iterator[tuple]:
    """The triples of the records (sorted by id) that ``doc_id`` declares."""
    for record in records:
        iri = _ID[record.id]
        for rtype in sorted(record.types):
            yield iri, _RDF.type, _KG[rtype]
        yield iri, _RDFS.label, Literal(record.label)
        yield iri, _SKOS.prefLabel, Literal(record.label)
        for alt in sorted(record.alt_labels):
            yield iri, _SKOS.altLabel, Literal(alt)
        yield iri, _PROV.wasDerivedFrom, _DOC[doc_id]
    # Annotations that belong to the record, not to one document: written with its first document.
    for record in records:
        if doc_id != min(record.documents):
            continue
        iri = _ID[record.id]
        for gist in sorted(record.gists):
            yield iri, _KG.gist, Literal(gist, lang="en")
        for text in sorted(record.date_texts):
            yield iri, _KG.dateText, Literal(text)
        for quoted in sorted(record.quoted):
            yield iri, _KG.quotedText, Literal(quoted)
        for note in sorted(record.notes):
            yield iri, _KG.curatorNote, Literal(note, lang="en")


def _document_triples(corpus: Corpus, doc_id: str) -> Iterator[tuple]:
    document = corpus.documents[doc_id]
    iri = _DOC[doc_id]
    yield iri, _RDF.type, DOCUMENT_CLASSES[document.kind]
    yield iri, _RDF.type, _KG.SourceDocument
    yield iri, _DCTERMS.identifier, Literal(doc_id)
    yield iri, _DCTERMS.title, Literal(document.title)
    yield iri, _RDFS.label, Literal(document.title)
    yield iri, _DCTERMS.language, Literal(document.language)
    yield iri, _KG.sha256, Literal(document.sha256)
    yield iri, _KG.fileName, Literal(document.text_file)
    if document.original_file:
        yield iri, _DCTERMS.source, Literal(document.original_file)
    for note in document.notes:
        yield iri, _KG.curatorNote, Literal(note, lang="en")


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
    authors = {f.document: node_iri(f.object) for f in corpus.facts if f.predicate == "publisherEntity"}
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
            for triple in _fact_triples(fact, schema, authors):
                yield (*triple, graph)
