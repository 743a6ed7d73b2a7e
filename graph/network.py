"""The built RDF as a NetworkX typed multigraph: the one graph every view starts from.

Nodes are entities, events, statements and documents; each edge is one
``kg:Fact`` between two of them, carrying its relation, status, document,
date and evidence. Nothing here is curated by hand: it is all read back from
the RDF the build wrote, so the analysis and the interactive page can never
disagree with the exports.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .entity_search import NODE_KINDS
from .ntriples import XSD_STRING, object_term
from .rdf import BASE, PROV
from .schema import KG
from .triples import TripleIndex

__all__ = ["load_rdf", "lines_index", "node_key", "triple_index", "typed_multigraph", "NODE_KINDS"]

OA_START = URIRef("http://www.w3.org/ns/oa#start")
OA_END = URIRef("http://www.w3.org/ns/oa#end")
OA_SELECTOR = URIRef("http://www.w3.org/ns/oa#hasSelector")

# The terms the loops below look up, made once: an rdflib namespace makes a new URIRef at every attribute
# access, which was a quarter of typed_multigraph's time at 10,000 documents.
ALT_LABEL = SKOS.altLabel
DERIVED_FROM = PROV.wasDerivedFrom
KG_ATTRIBUTED_TO = KG.attributedTo
KG_DATE = KG.date
KG_DESCRIPTION = KG.description
KG_EARLIEST = KG.earliest
KG_EDTF = KG.edtf
KG_EVIDENCE = KG.evidence
KG_FACT = KG.Fact
KG_FOLLOWED_THROUGH = KG.followedThrough
KG_LATEST = KG.latest
KG_PRECISION = KG.precision
KG_QUOTE = KG.quote
KG_STATUS = KG.status
KG_UNKNOWN = KG.Unknown
PREF_LABEL = SKOS.prefLabel
RDF_OBJECT = RDF.object
RDF_PREDICATE = RDF.predicate
RDF_SUBJECT = RDF.subject
RDF_TYPE = RDF.type
TITLE = DCTERMS.title
KG_IRI = str(KG)


def node_key(iri: str) -> str:
    """A node's key: its IRI relative to the base.

    Examples
    --------
    >>> node_key("https://example.org/faction-kg/id/al-nujaba")
    'id/al-nujaba'
    """
    return iri[len(BASE):] if iri.startswith(BASE) else iri


def load_rdf(out: Path) -> TripleIndex:
    """A build's whole graph (its N-Triples), ready for lookups.

    Oxigraph parses the file (rdflib's parser needs about 20 s for a million
    triples, this a few); the terms are turned into rdflib's, which the
    analysis and the view work with.
    """
    import pyoxigraph as ox

    path = Path(out) / "kg.nt"
    return triple_index(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES), where=path)


def triple_index(triples, where: object = "the graph") -> TripleIndex:
    """Oxigraph triples as a :class:`~graph.triples.TripleIndex` of rdflib terms, each term made once.

    The build reads its own lines instead (:func:`lines_index`), which is quicker.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> a, p = ox.NamedNode("http://e.org/a"), ox.NamedNode("http://e.org/p")
    >>> triples = [ox.Triple(a, p, ox.Literal("x", language="en")), ox.Triple(a, p, ox.Literal("2"))]
    >>> sorted(triple_index(triples).objects(URIRef("http://e.org/a"), URIRef("http://e.org/p")))
    [rdflib.term.Literal('2'), rdflib.term.Literal('x', lang='en')]
    """
    import pyoxigraph as ox

    def term(node):
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        if isinstance(node, ox.Literal):
            if node.language:
                return Literal(node.value, lang=node.language)
            datatype = node.datatype.value
            return Literal(node.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
        raise ValueError(f"a built graph has no blank nodes, but {where} has {node}")

    terms: dict = {}  # most terms repeat (predicates, classes, facts, documents): each is made once
    return TripleIndex(tuple(terms.get(node) or terms.setdefault(node, term(node))
                             for node in (t.subject, t.predicate, t.object)) for t in triples)


def lines_index(lines: list[str], where: object = "the graph") -> TripleIndex:
    r"""N-Triples lines as a :class:`~graph.triples.TripleIndex` of rdflib terms, each term made once.

    Read from the text (:func:`graph.ntriples.object_term`), so no parser
    makes a million Oxigraph terms first; most terms repeat (predicates,
    classes, facts, documents), and each is made once, found again by its text.

    Examples
    --------
    >>> index = lines_index(['<http://e.org/a> <http://e.org/p> "2" .\n', '<http://e.org/a> <http://e.org/p> "x"@en .\n'])
    >>> sorted(index.objects(URIRef("http://e.org/a"), URIRef("http://e.org/p")))
    [rdflib.term.Literal('2'), rdflib.term.Literal('x', lang='en')]
    """
    terms: dict = {}

    def statements():
        get = terms.get
        for line in lines:
            subject, predicate, obj = line[:-3].split(" ", 2)  # an IRI holds no space; the object is the rest
            s, p, o = get(subject), get(predicate), get(obj)
            if s is None:
                s = terms[subject] = URIRef(subject[1:-1])
            if p is None:
                p = terms[predicate] = URIRef(predicate[1:-1])
            if o is None:
                if obj[0] == "_" or subject[0] == "_":
                    raise ValueError(f"a built graph has no blank nodes, but {where} has one")
                o = terms[obj] = object_term(obj)
            yield s, p, o

    return TripleIndex(statements())


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1]


def _date(rdf: Graph, date_node) -> dict:
    if date_node is None:
        return {"edtf": None, "precision": "unknown", "earliest": None, "latest": None}
    earliest, latest = rdf.value(date_node, KG_EARLIEST), rdf.value(date_node, KG_LATEST)
    return {
        "edtf": str(rdf.value(date_node, KG_EDTF) or "") or None,
        "precision": _local(rdf.value(date_node, KG_PRECISION) or KG_UNKNOWN).lower(),
        "earliest": str(earliest) if earliest is not None else None,
        "latest": str(latest) if latest is not None else None,
    }


def typed_multigraph(rdf: Graph | TripleIndex) -> nx.MultiDiGraph:
    """The full typed multigraph of a built graph.

    ``rdf`` is the merged graph: an rdflib ``Graph``, or the build's faster
    :class:`~graph.triples.TripleIndex` (both answer the same lookups).

    Node attributes: ``iri``, ``label``, ``kind`` (see ``NODE_KINDS``),
    ``types`` (every kg class name of the node, e.g. ``Statement`` and
    ``Threat``), ``aliases``, ``description``; for events, statements and
    documents ``date`` (EDTF, precision, earliest, latest; a document's is its
    publication date); for statements ``followed_through`` (``True`` or
    ``False`` where the source says whether a threat was carried out, else
    ``None``). Edge keys are
    fact IRIs; edge attributes: ``relation``, ``status``, ``document``,
    ``attributed_to``, ``date`` (the subject's date, if it has one) and
    ``evidence`` (a list of ``(quote, start, end)``). Facts whose object is a
    value rather than a node (a date, a number, a text, ``followedThrough``)
    are kept in ``graph.graph["value_facts"]``, keyed by fact, with
    ``subject``, ``value`` and the same attributes as an edge (no ``date``).

    Examples
    --------
    >>> from rdflib import Graph
    >>> typed_multigraph(Graph()).number_of_nodes()
    0
    """
    graph = nx.MultiDiGraph(value_facts={})
    for subject, cls in rdf.subject_objects(RDF_TYPE):
        name = _local(cls)
        if not str(cls).startswith(KG_IRI) or name not in NODE_KINDS or not isinstance(subject, URIRef):
            continue
        key = node_key(str(subject))
        if key not in graph:
            label = rdf.value(subject, PREF_LABEL) or rdf.value(subject, TITLE) or key
            graph.add_node(key, iri=str(subject), label=str(label), types=[], kind=NODE_KINDS[name],
                           aliases=sorted(str(a) for a in rdf.objects(subject, ALT_LABEL)),
                           description=str(rdf.value(subject, KG_DESCRIPTION) or ""))
        node = graph.nodes[key]
        # A statement that is also a threat stays a statement; an event keeps "event".
        if NODE_KINDS[name] in ("statement", "event", "document"):
            node["kind"] = NODE_KINDS[name]
    for subject, cls in rdf.subject_objects(RDF_TYPE):
        key = node_key(str(subject))
        if str(cls).startswith(KG_IRI) and isinstance(subject, URIRef) and key in graph:
            graph.nodes[key]["types"] = sorted(set(graph.nodes[key]["types"]) | {_local(cls)})
    for key, data in graph.nodes(data=True):
        if data["kind"] in ("event", "statement", "document"):
            data["date"] = _date(rdf, rdf.value(URIRef(data["iri"]), KG_DATE))
        if data["kind"] == "statement":
            said = rdf.value(URIRef(data["iri"]), KG_FOLLOWED_THROUGH)
            data["followed_through"] = None if said is None else bool(said.toPython())
    for fact in sorted(rdf.subjects(RDF_TYPE, KG_FACT)):
        subject, obj = rdf.value(fact, RDF_SUBJECT), rdf.value(fact, RDF_OBJECT)
        source, target = node_key(str(subject)), node_key(str(obj))
        evidence = []
        for ev in rdf.objects(fact, KG_EVIDENCE):
            for selector in rdf.objects(ev, OA_SELECTOR):
                start, end = rdf.value(selector, OA_START), rdf.value(selector, OA_END)
                if start is not None:
                    evidence.append((str(rdf.value(ev, KG_QUOTE)), int(start), int(end)))
        attributes = dict(
            relation=_local(rdf.value(fact, RDF_PREDICATE)),
            status=_local(rdf.value(fact, KG_STATUS)).lower(),
            document=node_key(str(rdf.value(fact, DERIVED_FROM))),
            attributed_to=sorted(node_key(str(a)) for a in rdf.objects(fact, KG_ATTRIBUTED_TO)),
            evidence=sorted(evidence, key=lambda e: (e[1], e[2])),
        )
        if source in graph and target in graph:
            graph.add_edge(source, target, key=node_key(str(fact)), date=graph.nodes[source].get("date"), **attributes)
        else:
            value = _local(obj) if str(obj).startswith(KG_IRI) else node_key(str(obj))
            graph.graph["value_facts"][node_key(str(fact))] = dict(subject=source, value=value, **attributes)
    for record, document in rdf.subject_objects(DERIVED_FROM):
        source, target = node_key(str(record)), node_key(str(document))
        if source in graph and target in graph and graph.nodes[source]["kind"] in ("event", "statement"):
            graph.add_edge(source, target, key=f"{source}->{target}", relation="wasDerivedFrom", status="reported",
                           document=target, attributed_to=[], date=graph.nodes[source].get("date"), evidence=[])
    return graph
