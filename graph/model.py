"""The in-memory model the loader produces and the exporters read.

It is plain data: entities from the registry, documents, records (events and
statements) and facts. Each fact is one direct edge as one document states
it, with its status and verbatim evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import DateSpec

__all__ = ["Node", "Literal", "Evidence", "Entity", "Document", "Record", "Fact", "Corpus"]

# A fact's ``status`` is the local name of one kg:AssertionStatus (Claimed, Reported, Assessed,
# Inferred): the voices are read from the ontology (``Schema.statuses``), never listed here.


@dataclass(frozen=True, order=True)
class Node:
    """A reference to an entity or record (``kind='id'``) or a document (``kind='doc'``)."""

    kind: str
    id: str


@dataclass(frozen=True, order=True)
class Literal:
    value: str
    datatype: str = "string"  # string | integer | boolean


@dataclass(frozen=True, order=True)
class Evidence:
    document: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass
class Entity:
    id: str
    type: str
    label: str
    aliases: tuple[str, ...]
    description: str
    unnamed: bool
    file: str
    line: int
    # alias -> the documents that use it as whole words, in id order (the loader fills it in)
    alias_documents: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Document:
    id: str
    yaml_file: str
    text_file: str
    original_file: str
    sha256: str
    title: str
    kind: str
    language: str
    text: str
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Record:
    """An event or statement; several documents may declare the same one."""

    id: str
    kind: str  # event | statement
    types: set[str]
    label: str
    file: str
    line: int
    documents: set[str] = field(default_factory=set)
    alt_labels: set[str] = field(default_factory=set)
    gists: set[str] = field(default_factory=set)
    date_texts: set[str] = field(default_factory=set)
    quoted: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)


@dataclass
class Fact:
    subject: Node
    predicate: str
    object: Node | Literal | DateSpec
    status: str  # a kg:AssertionStatus local name, see Schema.statuses
    document: str
    evidence: set[Evidence]
    attributed_to: set[str]
    record: str | None
    notes: set[str]
    role_label: str | None
    file: str
    line: int

    @property
    def key(self) -> tuple:
        return (self.subject, self.predicate, _object_key(self.object), self.document, self.status)

    @property
    def edge(self) -> tuple:
        """The direct edge, without the document: facts sharing it corroborate each other."""
        return (self.subject, self.predicate, _object_key(self.object))


def _object_key(obj) -> tuple:
    if isinstance(obj, DateSpec):
        return ("date", obj.edtf)
    if isinstance(obj, Literal):
        return ("literal", obj.datatype, obj.value)
    return ("node", obj.kind, obj.id)


@dataclass
class Corpus:
    """Everything the sources say, resolved and checked."""

    entities: dict[str, Entity]
    documents: dict[str, Document]
    records: dict[str, Record]
    facts: list[Fact]
    warnings: list = field(default_factory=list)

    def node_type(self, node_id: str) -> set[str]:
        if node_id in self.entities:
            return {self.entities[node_id].type}
        if node_id in self.records:
            return set(self.records[node_id].types)
        return set()

    def label(self, node_id: str) -> str:
        if node_id in self.entities:
            return self.entities[node_id].label
        if node_id in self.records:
            return self.records[node_id].label
        return node_id
