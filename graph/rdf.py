"""Turn the checked corpus into RDF quads: as rdflib terms, or straight as N-Quads text.

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

The graph's shape is written once, against a term maker: :func:`corpus_nquads`
makes N-Triples text for each term (what the build exports and validates, a
million quads in a few seconds), :func:`corpus_quads` rdflib terms (what
pySHACL and the tests read). A test holds the two to the same lines.
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
from .ntriples import escaped, term_text
from .prefixes import BASE, PREFIXES
from .schema import KG, Schema

__all__ = ["BASE", "NAMESPACES", "corpus_nquads", "corpus_quads", "fact_iri", "node_iri", "REGISTRY_GRAPH",
           "ONTOLOGY_GRAPH"]

ID = Namespace(PREFIXES["id"])
DOC = Namespace(PREFIXES["doc"])
FACT = Namespace(PREFIXES["fact"])
EVIDENCE = Namespace(PREFIXES["evidence"])
DATE = Namespace(PREFIXES["date"])
MEMBERSHIP = Namespace(PREFIXES["membership"])
GRAPH = Namespace(BASE + "graph/")
PROV = Namespace(PREFIXES["prov"])
ORG = Namespace(PREFIXES["org"])
OA = Namespace(PREFIXES["oa"])
TIME = Namespace(PREFIXES["time"])
SCHEMA = Namespace(PREFIXES["schema"])

_RDFLIBS_OWN = {"kg": KG, "skos": SKOS, "dcterms": DCTERMS, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD}
NAMESPACES = {prefix: _RDFLIBS_OWN.get(prefix) or Namespace(iri) for prefix, iri in PREFIXES.items()}
REGISTRY_GRAPH = GRAPH["registry"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
DOCUMENT_CLASSES = {"monitoring-report": "MonitoringReport", "news-article": "NewsArticle"}
PRECISIONS = {"day": "Day", "month": "Month", "year": "Year", "interval": "Interval", "within-bounds": "WithinBounds",
              "unknown": "Unknown"}


class _Terms:
    """A namespace whose terms are made once: the build asks for the same few terms millions of times.

    ``make`` turns an IRI into a term: an rdflib ``URIRef`` (the default) or
    its N-Triples text.
    """

    def __init__(self, namespace, make=URIRef):
        self._namespace = namespace
        self._make = make
        self._terms: dict[str, object] = {}

    def __getitem__(self, name: str):
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = self._make(self._namespace[name])
        return term

    def __getattr__(self, name: str):
        # Only terms. Introspection probes attributes no vocabulary has (doctest collection asks whether an
        # object is a mock: "_mock_name", "pytest_mock_..."), and a closed vocabulary such as rdflib's XSD warns
        # about every name it does not define.
        namespace = self._namespace
        if name.startswith("_") or (isinstance(namespace, DefinedNamespaceMeta) and name not in namespace):
            raise AttributeError(f"{name!r} is not a term of {namespace}")
        term = self[name]
        setattr(self, name, term)  # the next lookup is a plain attribute
        return term


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


class _RdflibTerms:
    """Terms as rdflib objects."""

    rdf, rdfs, kg, oa, prov, org, time, skos, dcterms, id, doc = (_RDF, _RDFS, _KG, _OA, _PROV, _ORG, _TIME, _SKOS,
                                                                 _DCTERMS, _ID, _DOC)
    iri = staticmethod(URIRef)
    string = integer = boolean = staticmethod(Literal)

    @staticmethod
    def english(text: str) -> Literal:
        return Literal(text, lang="en")

    @staticmethod
    def date(day) -> Literal:
        return Literal(day, datatype=_XSD.date)

    @staticmethod
    def non_negative(number: int) -> Literal:
        return Literal(number, datatype=_XSD.nonNegativeInteger)

    @staticmethod
    def ontology(term):
        return term


def _iri_text(iri: str) -> str:
    return f"<{iri}>"


_XSD_TEXT = str(XSD)


class _TextTerms:
    """Terms as N-Triples text, written as :func:`graph.ntriples.term_text` writes the rdflib terms."""

    rdf, rdfs, kg, oa, prov, org, time, skos, dcterms, id, doc = (
        _Terms(namespace, _iri_text) for namespace in (RDF, RDFS, KG, OA, PROV, ORG, TIME, SKOS, DCTERMS, ID, DOC))
    iri = staticmethod(_iri_text)
    ontology = staticmethod(term_text)

    @staticmethod
    def string(text: str) -> str:
        return f'"{escaped(text)}"'

    @staticmethod
    def english(text: str) -> str:
        return f'"{escaped(text)}"@en'

    @staticmethod
    def integer(number: int) -> str:
        return f'"{number}"^^<{_XSD_TEXT}integer>'

    @staticmethod
    def boolean(value: bool) -> str:
        return f'"{"true" if value else "false"}"^^<{_XSD_TEXT}boolean>'

    @staticmethod
    def date(day) -> str:
        return f'"{day.isoformat()}"^^<{_XSD_TEXT}date>'

    @staticmethod
    def non_negative(number: int) -> str:
        return f'"{number}"^^<{_XSD_TEXT}nonNegativeInteger>'


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _fact_value(fact: Fact) -> str:
    return f"{FACT}{fact.document}/{_digest(*fact.key)}"


def _date_value(spec: DateSpec) -> str | None:
    """A date's IRI, or ``None`` for kg:UnknownDate."""
    return None if spec.precision == "unknown" else DATE + spec.slug


def node_iri(node: Node) -> URIRef:
    return _node(node, _RdflibTerms)


def date_iri(spec: DateSpec) -> URIRef:
    return _date(spec, _RdflibTerms)


def fact_iri(fact: Fact) -> URIRef:
    """A fact's IRI: its document, then a digest of its content."""
    return URIRef(_fact_value(fact))


def _node(node: Node, t):
    if node.kind == "doc":
        return t.doc[node.id]
    if node.kind == "status":
        return t.kg[node.id]
    return t.id[node.id]


def _date(spec: DateSpec, t):
    value = _date_value(spec)
    return t.kg.UnknownDate if value is None else t.iri(value)


def _object_term(obj, t):
    if isinstance(obj, Node):
        return _node(obj, t)
    if isinstance(obj, DateSpec):
        return _date(obj, t)
    if isinstance(obj, ModelLiteral):
        if obj.datatype == "integer":
            return t.integer(int(obj.value))
        if obj.datatype == "boolean":
            return t.boolean(obj.value == "true")
        return t.string(obj.value)
    raise TypeError(f"cannot turn {obj!r} into RDF")


def _date_triples(spec: DateSpec, t) -> Iterator[tuple]:
    value = _date_value(spec)
    iri = _date(spec, t)
    rdf, kg, time = t.rdf, t.kg, t.time
    yield iri, rdf.type, kg.DateSpec
    yield iri, rdf.type, time.TemporalEntity
    if value is not None:  # the ontology labels kg:UnknownDate; a second label would list it twice
        yield iri, t.rdfs.label, t.string(spec.edtf or "unknown")
    yield iri, kg.edtf, t.string(spec.edtf)
    yield iri, kg.precision, kg[PRECISIONS[spec.precision]]
    bounds = ((kg.earliest, kg.earliestDay, spec.earliest, "hasBeginning"),
              (kg.latest, kg.latestDay, spec.latest, "hasEnd"))
    for predicate, day_predicate, bound, time_link in bounds:
        if bound is not None:
            instant = t.iri(f"{value if value is not None else KG.UnknownDate}/{time_link}")
            yield iri, predicate, t.date(bound)
            yield iri, day_predicate, t.integer(bound.toordinal())
            yield iri, time[time_link], instant
            yield instant, rdf.type, time.Instant
            yield instant, time.inXSDDate, t.date(bound)
    if spec.approximate:
        yield iri, kg.approximate, t.boolean(True)
    if spec.uncertain:
        yield iri, kg.uncertain, t.boolean(True)


def _fact_triples(fact: Fact, schema: Schema, authors: dict, t) -> Iterator[tuple]:
    rdf, kg, oa = t.rdf, t.kg, t.oa
    subject = _node(fact.subject, t)
    predicate = kg[fact.predicate]
    obj = _object_term(fact.object, t)
    value = _fact_value(fact)
    iri = t.iri(value)
    doc = t.doc[fact.document]
    yield subject, predicate, obj
    if isinstance(fact.object, DateSpec):
        yield from _date_triples(fact.object, t)
    yield iri, rdf.type, kg.Fact
    yield iri, rdf.subject, subject
    yield iri, rdf.predicate, predicate
    yield iri, rdf.object, obj
    yield iri, kg.status, kg[fact.status]
    yield iri, t.prov.wasDerivedFrom, doc
    for actor in sorted(fact.attributed_to):
        yield iri, kg.attributedTo, t.id[actor]
    if fact.status == "Assessed":  # the author's judgement: the publisher's, or the document's
        yield iri, kg.assessedBy, authors.get(fact.document, doc)
    if fact.record:
        yield iri, kg.record, t.id[fact.record]
    for note in sorted(fact.notes):
        yield iri, kg.curatorNote, t.english(note)
    for evidence in sorted(fact.evidence):
        ev_value = f"{EVIDENCE}{evidence.document}/{evidence.start}-{evidence.end}"
        ev, quote_selector, position_selector = t.iri(ev_value), t.iri(ev_value + "/quote"), t.iri(ev_value + "/position")
        exact = t.string(evidence.exact)
        yield iri, kg.evidence, ev
        yield ev, rdf.type, kg.Evidence
        yield ev, rdf.type, oa.SpecificResource
        yield ev, oa.hasSource, doc
        yield ev, kg.quote, exact
        yield ev, oa.hasSelector, quote_selector
        yield ev, oa.hasSelector, position_selector
        yield quote_selector, rdf.type, oa.TextQuoteSelector
        yield quote_selector, oa.exact, exact
        yield quote_selector, oa.prefix, t.string(evidence.prefix)
        yield quote_selector, oa.suffix, t.string(evidence.suffix)
        yield position_selector, rdf.type, oa.TextPositionSelector
        yield position_selector, oa.start, t.non_negative(evidence.start)
        yield position_selector, oa.end, t.non_negative(evidence.end)
    role = schema.properties[fact.predicate].role if fact.predicate in schema.properties else None
    if role:
        membership = t.iri(MEMBERSHIP + _digest(value))
        org = t.org
        yield membership, rdf.type, org.Membership
        yield membership, org.member, subject
        yield membership, org.organization, obj
        yield membership, org.role, kg[role]
        yield membership, kg.roleFact, iri
        yield membership, kg.status, kg[fact.status]
        if fact.role_label:
            yield membership, kg.roleLabel, t.string(fact.role_label)


def _registry_triples(corpus: Corpus, t) -> Iterator[tuple]:
    rdf, rdfs, kg, skos = t.rdf, t.rdfs, t.kg, t.skos
    for entity in sorted(corpus.entities.values(), key=lambda e: e.id):
        iri = t.id[entity.id]
        yield iri, rdf.type, kg[entity.type]
        label = t.string(entity.label)
        yield iri, rdfs.label, label
        yield iri, skos.prefLabel, label
        for alias in entity.aliases:
            if alias != entity.label:
                yield iri, skos.altLabel, t.string(alias)
            # The name form, with the documents that use it (an alias no document uses is a curation warning).
            used = entity.alias_documents.get(alias, ())
            if used:
                # A dot, not a slash: no entity id holds one, and a Turtle prefixed name takes it unescaped.
                form = t.iri(f"{ID}{entity.id}.name-{_digest(alias)}")
                yield iri, kg.nameForm, form
                yield form, rdf.type, kg.NameForm
                yield form, rdfs.label, t.string(alias)
                for doc_id in used:
                    yield form, kg.usedIn, t.doc[doc_id]
        for key in name_keys([entity.label, *entity.aliases]):  # derived, for matching (graph.names)
            yield iri, kg.searchKey, t.string(key)
        yield iri, kg.description, t.english(entity.description)
        if entity.unnamed:
            yield iri, kg.unnamed, t.boolean(True)


def _record_triples(records: list, doc_id: str, t) -> Iterator[tuple]:
    """The triples of the records (sorted by id) that ``doc_id`` declares."""
    rdf, kg = t.rdf, t.kg
    for record in records:
        iri = t.id[record.id]
        for rtype in sorted(record.types):
            yield iri, rdf.type, kg[rtype]
        label = t.string(record.label)
        yield iri, t.rdfs.label, label
        yield iri, t.skos.prefLabel, label
        for alt in sorted(record.alt_labels):
            yield iri, t.skos.altLabel, t.string(alt)
        yield iri, t.prov.wasDerivedFrom, t.doc[doc_id]
    # Annotations that belong to the record, not to one document: written with its first document.
    for record in records:
        if doc_id != min(record.documents):
            continue
        iri = t.id[record.id]
        for gist in sorted(record.gists):
            yield iri, kg.gist, t.english(gist)
        for text in sorted(record.date_texts):
            yield iri, kg.dateText, t.string(text)
        for quoted in sorted(record.quoted):
            yield iri, kg.quotedText, t.string(quoted)
        for note in sorted(record.notes):
            yield iri, kg.curatorNote, t.english(note)


def _document_triples(corpus: Corpus, doc_id: str, t) -> Iterator[tuple]:
    document = corpus.documents[doc_id]
    iri = t.doc[doc_id]
    rdf, kg, dcterms = t.rdf, t.kg, t.dcterms
    yield iri, rdf.type, kg[DOCUMENT_CLASSES[document.kind]]
    yield iri, rdf.type, kg.SourceDocument
    yield iri, dcterms.identifier, t.string(doc_id)
    title = t.string(document.title)
    yield iri, dcterms.title, title
    yield iri, t.rdfs.label, title
    yield iri, dcterms.language, t.string(document.language)
    yield iri, kg.sha256, t.string(document.sha256)
    yield iri, kg.fileName, t.string(document.text_file)
    if document.original_file:
        yield iri, dcterms.source, t.string(document.original_file)
    for note in document.notes:
        yield iri, kg.curatorNote, t.english(note)


def _quads(corpus: Corpus, schema: Schema, t) -> Iterator[tuple]:
    graphs = _Terms(GRAPH, t.iri)
    ontology = graphs["ontology"]
    for s, p, o in sorted(schema.graph, key=lambda triple: tuple(x.n3() for x in triple)):
        yield t.ontology(s), t.ontology(p), t.ontology(o), ontology
    registry = graphs["registry"]
    for triple in _registry_triples(corpus, t):
        yield (*triple, registry)
    facts_by_document: dict[str, list[Fact]] = {}
    for fact in corpus.facts:
        facts_by_document.setdefault(fact.document, []).append(fact)
    authors = {f.document: _node(f.object, t) for f in corpus.facts if f.predicate == "publisherEntity"}
    records_by_document: dict[str, list] = {}
    for record in sorted(corpus.records.values(), key=lambda r: r.id):
        for doc_id in record.documents:
            records_by_document.setdefault(doc_id, []).append(record)
    for doc_id in sorted(corpus.documents):
        graph = graphs[doc_id]
        for triple in _document_triples(corpus, doc_id, t):
            yield (*triple, graph)
        for triple in _record_triples(records_by_document.get(doc_id, []), doc_id, t):
            yield (*triple, graph)
        for fact in facts_by_document.get(doc_id, []):
            for triple in _fact_triples(fact, schema, authors, t):
                yield (*triple, graph)


def corpus_quads(corpus: Corpus, schema: Schema) -> Iterator[tuple]:
    """Every quad of the graph as rdflib terms, in a deterministic order.

    The vocabulary goes in ``graph/ontology``, registry entities in
    ``graph/registry``; each document's metadata, records and facts go in
    ``graph/<document id>``.
    """
    return _quads(corpus, schema, _RdflibTerms)


def corpus_nquads(corpus: Corpus, schema: Schema) -> list[str]:
    r"""Every quad of the graph as an N-Quads line, each once, sorted as strings.

    The same lines as :func:`graph.export.nquads_lines` writes from
    :func:`corpus_quads`, without making an rdflib term.

    Examples
    --------
    >>> from graph.model import Corpus, Entity
    >>> from graph.schema import load_schema
    >>> corpus = Corpus(entities={"ana": Entity("ana", "Person", 'Ana "A"', (), "A person.", False, "e.yaml", 1)},
    ...                 documents={}, records={}, facts=[])
    >>> lines = corpus_nquads(corpus, load_schema())
    >>> print(next(line for line in lines if "prefLabel" in line), end="")
    <https://example.org/faction-kg/id/ana> <http://www.w3.org/2004/02/skos/core#prefLabel> "Ana \"A\"" <https://example.org/faction-kg/graph/registry> .
    """
    return sorted({f"{s} {p} {o} {g} .\n" for s, p, o, g in _quads(corpus, schema, _TextTerms)})
