"""SHACL on a rebuild, scoped to what changed since a graph that conformed.

A check on a focus node reads that node's own triples and, through its paths,
``sh:class`` and its SPARQL target, the triples of nodes a few links further
on. :func:`reach` reads from the shapes how far, and which predicates are read
beyond the node itself. When the graph before a change conformed, the graph
after it can break only at focus nodes that read a changed triple: the
subjects of the changed lines and, for a changed triple one of those far
predicates names, the nodes that link to its subject within that distance.
:func:`validate_change` validates those focus nodes alone, on a store holding
only the triples their checks read, and so gives the same results as
validating the whole graph (tests/test_shacl_scope.py holds it to that, fault
by fault).

Shapes this module cannot bound (an inverse path, ``sh:targetObjectsOf``, a
SPARQL target that starts from anything but ``?this``), a change to the class
hierarchy, or a change too wide to be worth scoping make it answer None: then
the whole graph is validated.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, URIRef, Variable
from rdflib.collection import Collection
from rdflib.paths import SequencePath

from .shacl_sparql import CompiledShapes, validate_ntriples
from .validate import SH, ShaclResult

__all__ = ["Reach", "changed_lines", "reach", "reach_of", "validate_change", "validation_context"]

SUBCLASS_OF = f" <{RDFS.subClassOf}> "
SCOPE_AT_MOST = 0.2  # scoped when the triples to validate are at most this share of the graph; else all of it
_BLOCK = 256  # lines compared at once by changed_lines


@dataclass(frozen=True)
class Reach:
    """How far a check reads from its focus node.

    ``hops``: the most links from a focus node to a node whose triples a check
    reads (0: its own triples only). ``far``: the predicates read at a node one
    or more links away, or None when any may be.
    """

    hops: int
    far: frozenset[str] | None


class _Unbounded(Exception):
    """A shape reads triples this module cannot bound from the focus node."""


def _path_steps(shapes: Graph, path) -> list[str]:
    """A property path's predicates, in order: an IRI, or a sequence of IRIs."""
    if isinstance(path, URIRef):
        return [str(path)]
    if (path, RDF.first, None) in shapes:
        steps = list(Collection(shapes, path))
        if all(isinstance(step, URIRef) for step in steps):
            return [str(step) for step in steps]
    raise _Unbounded(f"the path {path!r}")


def _reads_class(shapes: Graph, shape) -> bool:
    """Whether ``shape``'s own constraints read a value's rdf:type (sh:class, directly or in sh:or/and/not/xone)."""
    if any((shape, SH[name], None) in shapes for name in ("node", "qualifiedValueShape")):
        raise _Unbounded(f"the shape {shape!r} refers to another shape")
    if (shape, SH["class"], None) in shapes:
        return True
    members = [m for name in ("or", "and", "xone") for members in shapes.objects(shape, SH[name])
               for m in Collection(shapes, members)] + list(shapes.objects(shape, SH["not"]))
    return any(_reads_class(shapes, member) for member in members)


def _sparql_target_reads(select: str, prefixes: str, reads: list[tuple[int, str | None]]) -> None:
    """The distance and predicate of each triple a SPARQL target's patterns read, from ``?this``."""
    from rdflib.plugins.sparql import prepareQuery

    patterns = []

    def walk(node) -> None:
        if isinstance(node, dict):  # rdflib's algebra nodes are dicts (CompValue)
            if getattr(node, "name", "") == "BGP":
                patterns.extend(node["triples"])
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(prepareQuery(prefixes + select).algebra)
    distance = {Variable("this"): 0}
    pending = list(patterns)
    while pending:
        placed = [t for t in pending if t[0] in distance]
        if not placed:
            raise _Unbounded(f"the SPARQL target {select!r}: a pattern does not start from ?this")
        for subject, predicate, obj in placed:
            pending.remove((subject, predicate, obj))
            if isinstance(predicate, URIRef):
                steps = [str(predicate)]
            elif isinstance(predicate, SequencePath) and all(isinstance(a, URIRef) for a in predicate.args):
                steps = [str(a) for a in predicate.args]
            elif isinstance(predicate, Variable):
                steps = [None]
            else:
                raise _Unbounded(f"the SPARQL target {select!r}: the path {predicate!r}")
            start = distance[subject]
            reads.extend((start + offset, step) for offset, step in enumerate(steps))
            distance.setdefault(obj, start + len(steps))


def reach(compiled: CompiledShapes) -> Reach | None:
    """How far the checks of the compiled shapes read from their focus nodes; None when that cannot be bounded.

    Examples
    --------
    >>> from graph.shacl_sparql import compile_shapes
    >>> found = reach(compile_shapes())
    >>> found.hops, sorted(p.rsplit("/", 1)[-1] for p in found.far)
    (1, ['22-rdf-syntax-ns#type', 'oa#hasSource', 'ontology#requiresStatus'])
    """
    shapes = compiled.shapes
    reads: list[tuple[int, str | None]] = []  # (links from the focus node, predicate read there; None: any)
    try:
        if any(shapes.subjects(SH.targetObjectsOf, None)):
            raise _Unbounded("sh:targetObjectsOf")
        for target in shapes.objects(None, SH.target):
            select = shapes.value(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None:
                raise _Unbounded(f"the target {target!r}")
            try:
                _sparql_target_reads(str(select), compiled.prefixes, reads)
            except _Unbounded:
                raise
            except Exception as error:  # noqa: BLE001 - a query rdflib cannot read is one this cannot bound
                raise _Unbounded(f"the SPARQL target {select!r}") from error
        for shape in set(shapes.subjects(SH.path, None)):
            steps = _path_steps(shapes, shapes.value(shape, SH.path))
            reads.extend((offset, step) for offset, step in enumerate(steps))
            if _reads_class(shapes, shape):
                reads.append((len(steps), str(RDF.type)))
        for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
            if _reads_class(shapes, shape):  # of the focus node itself
                reads.append((0, str(RDF.type)))
    except _Unbounded:
        return None
    far = [predicate for distance, predicate in reads if distance > 0]
    return Reach(max((distance for distance, _ in reads), default=0),
                 None if None in far else frozenset(far))


_REACHES: dict[str, Reach | None] = {}


def reach_of(compiled: CompiledShapes) -> Reach | None:
    """:func:`reach`, found once for each shapes file (by its digest)."""
    if compiled.digest not in _REACHES:
        _REACHES[compiled.digest] = reach(compiled)
    return _REACHES[compiled.digest]


def validation_context(compiled: CompiledShapes) -> str:
    """What a graph's conforming also depends on, beyond the code and the ontology: these shapes, and the
    libraries that read and check them."""
    from .content_cache import package_and_libraries

    return f"{compiled.digest}:{package_and_libraries(('pyoxigraph', 'rdflib', 'pyshacl'))}"


def changed_lines(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    r"""The lines only ``before`` holds, and those only ``after`` holds (both sorted lists of distinct lines).

    Equal stretches are compared a block at a time, so the cost is in the changes.

    Examples
    --------
    >>> changed_lines(["a\n", "b\n", "d\n"], ["a\n", "c\n", "d\n", "e\n"])
    (['b\n'], ['c\n', 'e\n'])
    """
    removed: list[str] = []
    added: list[str] = []
    i = j = 0
    while i < len(before) and j < len(after):
        if before[i:i + _BLOCK] == after[j:j + _BLOCK]:
            i, j = i + _BLOCK, j + _BLOCK
            continue
        for _ in range(_BLOCK):  # line by line, until the two are in step again
            if i == len(before) or j == len(after):
                break
            if before[i] == after[j]:
                i, j = i + 1, j + 1
            elif before[i] < after[j]:
                removed.append(before[i])
                i += 1
            else:
                added.append(after[j])
                j += 1
    return removed + before[i:], added + after[j:]


def _subject(line: str) -> str:
    return line[:line.index(" ")]


def _predicate(line: str) -> str:
    start = line.index(" ") + 1
    return line[start + 1:line.index(" ", start) - 1]


def _object(line: str) -> str:
    """The last term of an N-Triples line, when it is an IRI or a blank node; else text no subject equals."""
    return line[line.rindex(" ", 0, len(line) - 3) + 1:-3]


def _triples_of(lines: list[str], subject: str) -> list[str]:
    start = bisect_left(lines, subject + " ")
    end = start
    while end < len(lines) and lines[end].startswith(subject + " "):
        end += 1
    return lines[start:end]


def validate_change(before: list[str], after: list[str], compiled: CompiledShapes,
                    reach_of_shapes: Reach | None, *, at_most: float = SCOPE_AT_MOST) -> ShaclResult | None:
    """The SHACL results of the graph ``after``, given that the graph ``before`` conformed; None: validate it all.

    Both are sorted lists of distinct N-Triples lines, as ``kg.nt`` holds them.
    ``reach_of_shapes`` is :func:`reach` of ``compiled``. None is also the
    answer when the triples to validate would be more than ``at_most`` of ``after``.
    """
    if reach_of_shapes is None:
        return None
    removed, added = changed_lines(before, after)
    changed = removed + added
    if any(SUBCLASS_OF in line for line in changed):
        return None  # every sh:class check reads the class hierarchy
    focus = {_subject(line) for line in changed}
    far = reach_of_shapes.far
    frontier = {_subject(line) for line in changed if far is None or _predicate(line) in far}
    reached = set(frontier)
    for _hop in range(reach_of_shapes.hops):  # a node that links to a changed node reads its far triples
        if not frontier:
            break
        frontier = {_subject(line) for line in after if _object(line) in frontier} - reached
        reached |= frontier
        focus |= frontier
    read = set(focus)
    frontier = set(focus)
    lines: list[str] = []
    for _hop in range(reach_of_shapes.hops + 1):  # what the focus nodes' checks read
        found = [line for node in sorted(frontier) for line in _triples_of(after, node)]
        lines += found
        if len(lines) > at_most * len(after):
            return None
        frontier = {term for term in map(_object, found) if term[0] in "<_"} - read
        read |= frontier
    lines += [line for line in after if SUBCLASS_OF in line]
    if any(node[0] != "<" for node in read):
        return None  # a store labels blank nodes afresh: its results could not be matched to these
    return validate_ntriples("".join(sorted(set(lines))), compiled, only=_iris(focus))


def _iris(terms: set[str]) -> set[str]:
    """N-Triples IRI terms as the store gives them back: their values, escapes read."""
    import pyoxigraph as ox

    text = "".join(f"{term} <s:p> <s:o> .\n" for term in sorted(terms))
    return {quad.subject.value for quad in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
