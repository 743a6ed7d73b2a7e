"""The vocabulary as data: read ``ontology/kg.ttl`` for what curators may use.

Nothing here is hard-coded: the relation names, whether a relation takes an
entity or a date, the status a relation requires, the role it implies and
the class hierarchy used for type checks all come from the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from .paths import ontology_dir
from .prefixes import PREFIXES

__all__ = ["KG", "Property", "Schema", "load_schema"]

KG = Namespace(PREFIXES["kg"])


@dataclass(frozen=True)
class Property:
    name: str
    is_object: bool
    domain: str | None
    range: str | None
    curated: bool
    requires_status: str | None
    role: str | None

    @property
    def iri(self) -> URIRef:
        return KG[self.name]


@dataclass
class Schema:
    """Classes (each with its ancestors), properties and assertion statuses of the kg namespace.

    Examples
    --------
    >>> load_schema().statuses
    {'assessed': 'Assessed', 'claimed': 'Claimed', 'inferred': 'Inferred', 'reported': 'Reported'}
    """

    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)
    properties: dict[str, Property] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    graph: Graph | None = None

    def is_a(self, cls: str, ancestor: str) -> bool:
        """True when kg class ``cls`` is ``ancestor`` or one of its subclasses.

        Examples
        --------
        >>> schema = load_schema()
        >>> schema.is_a("UmbrellaGroup", "Actor"), schema.is_a("Weapon", "Actor")
        (True, False)
        """
        return ancestor in self.ancestors.get(cls, ())

    def subclasses(self, ancestor: str) -> list[str]:
        return sorted(c for c, up in self.ancestors.items() if ancestor in up)

    @property
    def curated_relations(self) -> dict[str, Property]:
        return {n: p for n, p in self.properties.items() if p.curated}


def _local(term) -> str | None:
    text = str(term)
    return text[len(str(KG)):] if text.startswith(str(KG)) else None


def default_ontology_path() -> Path:
    return ontology_dir() / "kg.ttl"


def load_schema(path: Path | None = None) -> Schema:
    """Read the ontology; the build calls this once."""
    graph = Graph().parse(path or default_ontology_path(), format="turtle")
    parents: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        name = _local(cls)
        if name:
            parents[name] = {p for p in map(_local, graph.objects(cls, RDFS.subClassOf)) if p}
    ancestors: dict[str, frozenset[str]] = {}

    def climb(name: str) -> frozenset[str]:
        if name not in ancestors:
            found = {name}
            for parent in parents.get(name, ()):
                found |= climb(parent)
            ancestors[name] = frozenset(found)
        return ancestors[name]

    for name in parents:
        climb(name)

    properties = {}
    for kind, is_object in ((OWL.ObjectProperty, True), (OWL.DatatypeProperty, False)):
        for prop in graph.subjects(RDF.type, kind):
            name = _local(prop)
            if not name:
                continue
            rng = graph.value(prop, RDFS.range)
            properties[name] = Property(
                name=name,
                is_object=is_object,
                domain=_local(graph.value(prop, RDFS.domain)),
                range=_local(rng) if rng is not None and _local(rng) else (str(rng) if rng is not None else None),
                curated=(prop, RDF.type, KG.CuratedRelation) in graph,
                requires_status=_local(graph.value(prop, KG.requiresStatus)),
                role=_local(graph.value(prop, KG.impliesRole)),
            )
    labels = {_local(s): str(o) for s, o in graph.subject_objects(RDFS.label) if _local(s)}
    # The voices: each kg:AssertionStatus, keyed by the lower-case label curators write.
    statuses = {labels[name]: name for name in sorted(map(_local, graph.subjects(RDF.type, KG.AssertionStatus)))}
    return Schema(ancestors=ancestors, properties=properties, labels=labels, statuses=statuses, graph=graph)
