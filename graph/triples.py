"""A read-only, in-memory set of triples with the few lookups the analysis and the view make.

The build's analysis and view ask the merged graph a million small
questions (``value``, ``objects``, ``subjects``, ``subject_objects``, as on an
``rdflib.Graph``). rdflib's stores answer each through several generator
layers; this index answers from two levels of dictionaries, and fills in a
third of the time. The terms are the build's own rdflib terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["TripleIndex"]


class TripleIndex:
    """Triples indexed by predicate, then subject; duplicates are kept once.

    Quads are accepted too (their graph is ignored), so this is the merge of
    a dataset's graphs.

    Examples
    --------
    >>> from rdflib import RDF, Literal, URIRef
    >>> a, b, label = URIRef("http://e.org/a"), URIRef("http://e.org/b"), URIRef("http://e.org/label")
    >>> index = TripleIndex([(a, RDF.type, b, None), (a, label, Literal("A"), None), (a, RDF.type, b, None)])
    >>> len(index), str(index.value(a, label)), list(index.subjects(RDF.type, b)) == [a]
    (2, 'A', True)
    >>> index.value(b, label) is None
    True
    """

    def __init__(self, statements: Iterable[tuple]):
        by_predicate: dict = {}
        for subject, predicate, obj, *_graph in statements:
            subjects = by_predicate.get(predicate)
            if subjects is None:
                subjects = by_predicate[predicate] = {}
            objects = subjects.get(subject)
            if objects is None:
                subjects[subject] = {obj: None}  # a dict as an ordered set
            else:
                objects[obj] = None
        self._by_predicate = by_predicate
        self._by_object: dict = {}  # predicate -> object -> subjects, made when first asked

    def __len__(self) -> int:
        return sum(len(objects) for subjects in self._by_predicate.values() for objects in subjects.values())

    def value(self, subject, predicate):
        """One object of ``subject predicate ?``, or ``None``."""
        objects = self._by_predicate.get(predicate, {}).get(subject)
        return next(iter(objects)) if objects else None

    def objects(self, subject, predicate) -> Iterator:
        return iter(self._by_predicate.get(predicate, {}).get(subject, ()))

    def subject_objects(self, predicate) -> Iterator[tuple]:
        for subject, objects in self._by_predicate.get(predicate, {}).items():
            for obj in objects:
                yield subject, obj

    def subjects(self, predicate, obj) -> Iterator:
        inverse = self._by_object.get(predicate)
        if inverse is None:
            inverse = self._by_object[predicate] = {}
            for subject, target in self.subject_objects(predicate):
                inverse.setdefault(target, []).append(subject)
        return iter(inverse.get(obj, ()))
