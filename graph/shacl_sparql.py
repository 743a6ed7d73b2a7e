"""SHACL Core shapes compiled to SPARQL and run on an in-memory Oxigraph store.

pySHACL (:func:`graph.validate.validate_graph`) walks the graph focus node by
focus node in Python; at a million triples that is most of the build. Here
each constraint of ``ontology/shapes.ttl`` becomes one SPARQL query that
returns the focus nodes (and value nodes) that break it, so the work is done
by Oxigraph in bulk. The shapes are read as data, and compiled by
:mod:`graph.shacl_compile`.

``sh:datatype`` is checked in Python on the N-Quads text itself: Oxigraph
stores a literal by its value, so ``"5"^^xsd:nonNegativeInteger`` comes back
as ``xsd:integer`` and the datatype as written is lost.

Results are the same :class:`~graph.validate.Violation` records as pySHACL's,
messages included: for the (rare) results, the messages and the report text
are made by pySHACL's own constraint components.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDFS, BNode, Graph, Literal, URIRef

from .ntriples import object_term as _rdflib_from_text
from .ntriples import parse_object as _parse_object
from .shacl_compile import (
    COMPONENTS,
    SUBCLASSES,
    XSD_STRING,
    CompiledShapes,
    UnsupportedShape,
    compile_shapes,
)
from .validate import SH, ShaclResult, Violation

__all__ = ["CompiledShapes", "UnsupportedShape", "compile_shapes", "default_shapes", "validate_nquads",
           "validate_ntriples"]

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SH_VIOLATION = str(SH.Violation)


def with_subclasses(query: str, store: ox.Store, known: dict[str, str]) -> str:
    """``query`` with each ``SUBCLASSES-OF`` placeholder replaced by the classes ``store`` holds under it."""
    def fill(match) -> str:
        cls = match.group(2)
        if cls not in known:
            found = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}",
                                use_default_graph_as_union=True)
            known[cls] = " ".join(sorted({str(row["c"]) for row in found} | {f"<{cls}>"}))
        return f"VALUES {match.group(1)} {{ {known[cls]} }}"
    return SUBCLASSES.sub(fill, query)


# --- The text: the objects of a predicate, with their datatypes as written ---------------------------------

def _objects_by_subject(ntriples: str, predicates: set[str]) -> dict[str, dict[str, set[str]]]:
    r"""For each predicate IRI, each subject IRI -> the set of its object texts, read from N-Triples text.

    Examples
    --------
    >>> _objects_by_subject('<s:a> <s:p> "1"^^<s:int> .\n<s:a> <s:q> "x" .\n', {"s:p"})
    {'s:p': {'s:a': {'"1"^^<s:int>'}}}
    """
    found: dict[str, dict[str, set[str]]] = {p: {} for p in predicates}
    wanted = {f"<{p}>": found[p] for p in predicates}
    if wanted:
        for line in ntriples.split("\n"):  # not splitlines: a literal may hold U+2028, which is no line end here
            if not line:
                continue
            subject, predicate, rest = line.split(" ", 2)
            by_subject = wanted.get(predicate)
            if by_subject is not None:
                by_subject.setdefault(subject[1:-1], set()).add(rest[:rest.rindex(" .")])
    return found


@lru_cache(maxsize=65536)
def _well_formed(lexical: str, datatype: str) -> bool:
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        return True
    literal = Literal(lexical, datatype=URIRef(datatype))
    return not getattr(literal, "ill_typed", False)


def _has_datatype(obj: str, datatype: str) -> bool:
    """pySHACL's sh:datatype test on an N-Triples object."""
    kind, lexical, written, language = _parse_object(obj)
    if kind != "literal":
        return False
    if datatype == str(RDFS.Literal):
        return True
    if written == datatype:
        return _well_formed(lexical, datatype)
    return datatype == str(RDFS.Datatype) and written not in (XSD_STRING, RDF_LANGSTRING)


# --- Running the checks --------------------------------------------------------------------------------------

def _text(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def validate_nquads(text: str, compiled: CompiledShapes | None = None) -> ShaclResult:
    r"""Validate the merge of the graphs in N-Quads ``text`` (the build's, ontology graph included).

    Examples
    --------
    >>> bad = ('<https://e.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    ...        '<https://example.org/faction-kg/ontology#SourceDocument> <https://e.org/g> .\n')
    >>> result = validate_nquads(bad)
    >>> result.conforms, sorted(v.path.rsplit("/", 1)[-1] for v in result.results)
    (False, ['language', 'ontology#date', 'ontology#sha256', 'title'])
    >>> print(result.results[0].message)
    Less than 1 values on <https://e.org/d>->dcterms:language
    """
    quads = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    # Oxigraph's parser keeps each literal as written (its store would not), and so does its serializer
    triples = ox.serialize((quad.triple for quad in quads), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return validate_ntriples("".join(sorted({line + "\n" for line in triples.split("\n") if line})), compiled)


def validate_ntriples(text: str, compiled: CompiledShapes | None = None, *,
                      only: set[str] | None = None) -> ShaclResult:
    r"""Validate N-Triples ``text`` (the merged graph, as in ``kg.nt``) against the shapes.

    With ``only`` (IRIs), the results on those focus nodes alone (:mod:`graph.shacl_scope`).

    Examples
    --------
    >>> validate_ntriples('<https://e.org/d> <http://purl.org/dc/terms/title> "T" .\n').conforms
    True
    """
    compiled = compiled or default_shapes()
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    subclasses: dict[str, str] = {}
    queries = [compiled.prefixes + with_subclasses(check.query, store, subclasses) for check in compiled.checks]
    # Oxigraph answers without holding the interpreter lock, so the checks run on every core at once, and
    # the datatypes as written are read from the text meanwhile.
    with ThreadPoolExecutor(_workers(), thread_name_prefix="shacl") as pool:
        pending = pool.map(lambda query: list(store.query(query)), queries)
        objects = _objects_by_subject(text, {c.predicate for c in compiled.checks if c.datatype})
        answers = list(pending)  # in the order of the checks
    found = []  # (check, focus, value term or None)
    allowed: dict[tuple, bool] = {}  # a date or a count is tested once, not once for each node that has it
    for check, solutions in zip(compiled.checks, answers, strict=True):
        if check.datatype:
            by_subject = objects[check.predicate]
            for solution in solutions:
                focus = _text(solution["this"])
                if only is not None and focus not in only:
                    continue
                for obj in sorted(by_subject.get(focus, ())):
                    ok = allowed.get((obj, check.datatype))
                    if ok is None:
                        ok = allowed[obj, check.datatype] = any(all(_has_datatype(obj, d) for d in conjunction)
                                                                for conjunction in check.datatype)
                    if not ok:
                        found.append((check, focus, _rdflib_from_text(obj)))
            continue
        for solution in solutions:
            focus = _text(solution["this"])
            if only is not None and focus not in only:
                continue
            value = solution["value"] if check.reports_value else None
            found.append((check, focus, None if value is None else _rdflib_term(value)))
    if not found:
        return ShaclResult(True, 0, "Validation Report\nConforms: True\n", ())
    return _report(compiled, _as_written(text, found))


def _workers() -> int:
    """Threads for the checks: the cores this process may run on (at most 8; the store is shared, not copied)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def default_shapes() -> CompiledShapes:
    """The project's shapes (``ontology/shapes.ttl``) as they are now, compiled once for each content."""
    from .paths import ontology_dir

    return _compiled((ontology_dir() / "shapes.ttl").read_bytes())


@lru_cache(maxsize=2)
def _compiled(shapes: bytes) -> CompiledShapes:
    return compile_shapes(data=shapes)


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=None if term.datatype.value == XSD_STRING else URIRef(term.datatype.value))


def _as_written(text: str, found: list) -> list:
    """The results with each literal the store gave back as the text writes it: the store keeps values, not
    lexical forms (``"7"^^xsd:nonNegativeInteger`` comes back as ``"7"^^xsd:integer``), and pySHACL reports
    the text's. Only a value reached by one predicate can be looked up."""
    def simple(check, value) -> bool:
        return isinstance(value, Literal) and not check.datatype and check.path and not check.path.startswith("<")

    objects = _objects_by_subject(text, {check.path for check, _focus, value in found if simple(check, value)})
    written = []
    for check, focus, value in found:
        if simple(check, value):
            candidates = sorted(_rdflib_from_text(obj) for obj in objects[check.path].get(focus, ()))
            value = next((c for c in candidates if _stored(c) == value), value)
        written.append((check, focus, value))
    return written


def _stored(literal: Literal) -> Literal:
    """The literal as Oxigraph stores it."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("s:s"), ox.NamedNode("s:p"), ox.Literal(str(literal), language=literal.language,
                                                                         datatype=None if literal.language else ox.NamedNode(literal.datatype or XSD_STRING))))
    return _rdflib_term(next(iter(store)).object)


def _report(compiled: CompiledShapes, found) -> ShaclResult:
    """The violations with pySHACL's messages and report text (pySHACL's own components write them)."""
    from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
    from pyshacl.shapes_graph import ShapesGraph

    from .rdf import NAMESPACES

    shapes_graph = ShapesGraph(compiled.shapes)
    shapes_graph.shapes  # noqa: B018 - builds the cache lookup_shape_from_node reads
    data = Graph()  # only its prefixes are read: pySHACL writes nodes with the data graph's namespaces
    for prefix, namespace in NAMESPACES.items():
        data.bind(prefix, namespace)
    components = {}
    violations, descriptions = [], []
    for check, focus, value in found:
        key = (check.shape, check.parameter)
        if key not in components:
            shape = shapes_graph.lookup_shape_from_node(check.shape)
            components[key] = CONSTRAINT_PARAMETERS_MAP[URIRef(check.parameter)](shape)
        component = components[key]
        description, _node, triples = component.make_v_result(data, URIRef(focus), value_node=value)
        message = next((str(o) for _s, p, o in triples if p == SH.resultMessage), "")
        violations.append(Violation(focus, check.path, "" if value is None else str(value), message,
                                    COMPONENTS[check.parameter], SH_VIOLATION))
        descriptions.append((violations[-1], description))
    descriptions.sort(key=lambda pair: pair[0])
    text = f"Validation Report\nConforms: False\nResults ({len(violations)}):\n" + "".join(
        description for _v, description in descriptions)
    return ShaclResult(False, len(violations), text, tuple(sorted(violations)))
