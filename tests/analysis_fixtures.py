"""A tiny hand-made graph in the build's RDF shape, for hand-computed analysis tests.

    Person One --spokespersonOf--> Group One --partOf--> Umbrella <--claimsPartOf-- Group Two <--memberOf-- Person Two
    Group Three: in the registry, in no fact.

Threats: by Person One for Group One on 2024-01-01 (the source says not carried
out); by Person Two in February 2024 (month precision); by Person Two, date
unknown. Attacks: E (2024-01-20) claimed by Group One, also in Group One's
statement via Channel X in the second document; E2 (2024-03-15) claimed by
the Umbrella; E3 (2023-11-15/2024-01-10) claimed by Group Two.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from graph.rdf import BASE, PROV
from graph.schema import KG

OA = Namespace("http://www.w3.org/ns/oa#")
PRECISION = {"day": KG.Day, "month": KG.Month, "interval": KG.Interval, "unknown": KG.Unknown}


class TinyGraph:
    """Builds an rdflib graph with entities, documents, records and reified facts."""

    def __init__(self):
        self.rdf = Graph()
        self.count = 0

    def iri(self, key: str) -> URIRef:
        return URIRef(BASE + key)

    def entity(self, key: str, cls: str, label: str, aliases=()) -> None:
        iri = self.iri(f"id/{key}")
        self.rdf.add((iri, RDF.type, KG[cls]))
        self.rdf.add((iri, SKOS.prefLabel, Literal(label)))
        for alias in aliases:
            self.rdf.add((iri, SKOS.altLabel, Literal(alias)))
        self.rdf.add((iri, KG.description, Literal(f"{label}, a test entity.", lang="en")))

    def date(self, edtf: str, earliest: str | None, latest: str | None, precision: str) -> URIRef:
        iri = self.iri(f"date/{edtf or 'unknown'}")
        self.rdf.add((iri, RDF.type, KG.DateSpec))
        self.rdf.add((iri, KG.edtf, Literal(edtf)))
        self.rdf.add((iri, KG.precision, PRECISION[precision]))
        if earliest:
            self.rdf.add((iri, KG.earliest, Literal(earliest, datatype=XSD.date)))
        if latest:
            self.rdf.add((iri, KG.latest, Literal(latest, datatype=XSD.date)))
        return iri

    def document(self, key: str, title: str, day: str) -> None:
        iri = self.iri(f"document/{key}")
        self.rdf.add((iri, RDF.type, KG.SourceDocument))
        self.rdf.add((iri, RDF.type, KG.MonitoringReport))
        self.rdf.add((iri, DCTERMS.title, Literal(title)))
        self.rdf.add((iri, KG.date, self.date(day, day, day, "day")))

    def record(self, key: str, classes, label: str, document: str, date: URIRef, followed: bool | None = None):
        iri = self.iri(f"id/{key}")
        for cls in classes:
            self.rdf.add((iri, RDF.type, KG[cls]))
        self.rdf.add((iri, SKOS.prefLabel, Literal(label)))
        self.rdf.add((iri, PROV.wasDerivedFrom, self.iri(f"document/{document}")))
        self.rdf.add((iri, KG.date, date))
        if followed is not None:
            self.rdf.add((iri, KG.followedThrough, Literal(followed)))
            self.fact(document, key, "followedThrough", Literal(followed))

    def fact(self, document: str, subject: str, relation: str, obj, status: str = "Reported") -> str:
        self.count += 1
        fact = self.iri(f"fact/{document}/{self.count:04d}")
        subject_iri = self.iri(subject if "/" in subject else f"id/{subject}")
        object_term = obj if isinstance(obj, Literal) else self.iri(obj if "/" in obj else f"id/{obj}")
        self.rdf.add((subject_iri, KG[relation], object_term))
        self.rdf.add((fact, RDF.type, KG.Fact))
        self.rdf.add((fact, RDF.subject, subject_iri))
        self.rdf.add((fact, RDF.predicate, KG[relation]))
        self.rdf.add((fact, RDF.object, object_term))
        self.rdf.add((fact, KG.status, KG[status]))
        self.rdf.add((fact, PROV.wasDerivedFrom, self.iri(f"document/{document}")))
        evidence = self.iri(f"evidence/{document}/{self.count * 10}-{self.count * 10 + 5}")
        selector = URIRef(f"{evidence}/position")
        self.rdf.add((fact, KG.evidence, evidence))
        self.rdf.add((evidence, KG.quote, Literal(f"quote {self.count}")))
        self.rdf.add((evidence, OA.hasSelector, selector))
        self.rdf.add((selector, OA.start, Literal(self.count * 10)))
        self.rdf.add((selector, OA.end, Literal(self.count * 10 + 5)))
        return f"fact/{document}/{self.count:04d}"


def tiny_rdf(group_one_label: str = "Group One") -> Graph:
    """The tiny graph of the module docstring; ``group_one_label`` lets a test put markup in a label."""
    t = TinyGraph()
    t.entity("g1", "ArmedGroup", group_one_label, aliases=["G1"])
    t.entity("g2", "ArmedGroup", "Group Two")
    t.entity("g3", "ArmedGroup", "Group Three")
    t.entity("u", "UmbrellaGroup", "Umbrella")
    t.entity("p1", "Person", "Person One")
    t.entity("p2", "Person", "Person Two")
    t.entity("x", "Channel", "Channel X")
    t.document("d1", "Document One", "2024-01-25")
    t.document("d2", "Document Two", "2024-03-20")
    t.record("s", ["Statement", "Threat"], "Threat by Person One", "d1", t.date("2024-01-01", "2024-01-01",
                                                                                 "2024-01-01", "day"), followed=False)
    t.record("t2", ["Statement", "Threat"], "Threat by Person Two", "d2",
             t.date("2024-02", "2024-02-01", "2024-02-29", "month"))
    t.record("t3", ["Statement", "Threat"], "Undated threat by Person Two", "d2", t.date("", None, None, "unknown"))
    t.record("c", ["Statement", "ClaimOfResponsibility"], "Group One claims E", "d2",
             t.date("2024-01-21", "2024-01-21", "2024-01-21", "day"))
    t.record("e", ["Attack"], "Attack E", "d1", t.date("2024-01-20", "2024-01-20", "2024-01-20", "day"))
    t.record("e2", ["Attack"], "Attack E2", "d1", t.date("2024-03-15", "2024-03-15", "2024-03-15", "day"))
    t.record("e3", ["Attack"], "Attack E3", "d2", t.date("2023-11-15/2024-01-10", "2023-11-15", "2024-01-10",
                                                         "interval"))
    t.fact("d1", "p1", "spokespersonOf", "g1")
    t.fact("d1", "g1", "partOf", "u")
    t.fact("d1", "e", "claimedBy", "g1", "Claimed")
    t.fact("d1", "e2", "claimedBy", "u", "Claimed")
    t.fact("d1", "s", "speaker", "p1")
    t.fact("d1", "s", "onBehalfOf", "g1")
    t.fact("d2", "p2", "memberOf", "g2")
    t.fact("d2", "g2", "claimsPartOf", "u", "Claimed")
    t.fact("d2", "c", "speaker", "g1")
    t.fact("d2", "c", "claimsResponsibilityFor", "e")
    t.fact("d2", "c", "via", "x")
    t.fact("d2", "t2", "speaker", "p2")
    t.fact("d2", "t3", "speaker", "p2")
    t.fact("d2", "e3", "claimedBy", "g2", "Claimed")
    return t.rdf
