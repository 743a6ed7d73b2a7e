"""SHACL Core shapes compiled to SPARQL: one query per constraint, finding the nodes that break it.

The shapes are read as data: :func:`compile_shapes` is a compiler for the
SHACL Core components, plus SHACL-AF SPARQL targets, and refuses a shape that
uses anything else (:class:`UnsupportedShape`). :mod:`graph.shacl_sparql`
runs the checks on the graph and reports what they find.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from .paths import ontology_dir
from .validate import SH, path_text

__all__ = ["COMPONENTS", "SUBCLASSES", "Check", "CompiledShapes", "UnsupportedShape", "compile_shapes"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = str(RDF.langString)
SH_VIOLATION = str(SH.Violation)

#: The parameters a shape may carry that are not constraints (targets, paths, documentation...).
NON_CONSTRAINTS = frozenset(str(SH[name]) for name in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "path", "message",
    "severity", "name", "description", "order", "group", "declare", "prefixes", "property", "deactivated",
)) | {str(RDF.type), str(RDFS.comment), str(RDFS.label)}

#: The constraint components this compiler knows, by parameter.
COMPONENTS = {str(SH[parameter]): str(SH[component + "ConstraintComponent"]) for parameter, component in (
    ("minCount", "MinCount"), ("maxCount", "MaxCount"), ("class", "Class"), ("datatype", "Datatype"),
    ("nodeKind", "NodeKind"), ("minLength", "MinLength"), ("maxLength", "MaxLength"), ("pattern", "Pattern"),
    ("in", "In"), ("hasValue", "HasValue"), ("equals", "Equals"), ("disjoint", "Disjoint"),
    ("lessThan", "LessThan"), ("lessThanOrEquals", "LessThanOrEquals"), ("minInclusive", "MinInclusive"),
    ("maxInclusive", "MaxInclusive"), ("minExclusive", "MinExclusive"), ("maxExclusive", "MaxExclusive"),
    ("or", "Or"), ("and", "And"), ("not", "Not"),
)}
_RANGES = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_NODE_KINDS = {
    "IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature this compiler does not implement."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape: the SPARQL that finds its violations, or a check on the text.

    ``query`` selects ``?this`` and, where the result has one, ``?value``.
    A datatype check (``datatype`` set) instead reads the objects of
    ``predicate`` from the N-Quads text for the focus nodes that ``query``
    selects.
    """

    shape: URIRef | BNode
    parameter: str
    path: str  # the result path as text, "" on a node shape
    query: str
    datatype: tuple[tuple[str, ...], ...] = ()  # for sh:datatype or an sh:or of them: the allowed datatypes
    predicate: str = ""
    reports_value: bool = True  # sh:minCount, sh:maxCount and sh:hasValue results name no value


@dataclass
class CompiledShapes:
    """The shapes graph (rdflib, kept for the messages) and the checks compiled from it."""

    shapes: Graph
    prefixes: str
    checks: list[Check] = field(default_factory=list)
    digest: str = ""  # the SHA-256 of the shapes file compiled


def _iri(term) -> str:
    if not isinstance(term, URIRef):
        raise UnsupportedShape(f"expected an IRI in the shapes, found {term!r}")
    return f"<{term}>"


def _literal(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if not isinstance(term, Literal):
        raise UnsupportedShape(f"expected an IRI or a literal in the shapes, found {term!r}")
    lexical = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if term.language:
        return f'"{lexical}"@{term.language}'
    return f'"{lexical}"^^<{term.datatype or XSD_STRING}>'


def _sparql_path(shapes: Graph, path) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(_sparql_path(shapes, step) for step in Collection(shapes, path)) + ")"
    for name, template in (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"), ("oneOrMorePath", "{}+"),
                           ("zeroOrOnePath", "{}?")):
        inner = shapes.value(path, SH[name])
        if inner is not None:
            return "(" + template.format(_sparql_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_sparql_path(shapes, step) for step in Collection(shapes, alternatives)) + ")"
    raise UnsupportedShape(f"unsupported property path {path!r}")


def _list(shapes: Graph, node) -> list:
    return list(Collection(shapes, node))


def _prefixes(shapes: Graph) -> str:
    """PREFIX lines for every sh:declare in the shapes graph (what the SPARQL targets' sh:prefixes point to)."""
    declared = {}
    for declaration in shapes.objects(None, SH.declare):
        declared[str(shapes.value(declaration, SH.prefix))] = str(shapes.value(declaration, SH.namespace))
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(declared.items()))


def _targets(shapes: Graph, shape) -> list[str]:
    """Group patterns, each binding ``?this`` to the shape's focus nodes."""
    targets = []
    for cls in shapes.objects(shape, SH.targetClass):
        targets.append(f"?this <{RDF.type}> ?class . {_subclasses('?class', cls)}")
    if (shape, RDF.type, RDFS.Class) in shapes:
        targets.append(f"?this <{RDF.type}> ?class . {_subclasses('?class', shape)}")
    for node in shapes.objects(shape, SH.targetNode):
        targets.append(f"VALUES ?this {{ {_literal(node)} }}")
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        targets.append(f"?this {_iri(predicate)} [] .")
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        targets.append(f"[] {_iri(predicate)} ?this .")
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None:
            raise UnsupportedShape(f"shape {shape}: only SPARQL-based targets (sh:SPARQLTarget with sh:select) "
                                   "are supported as sh:target")
        if not re.match(r"(?is)\s*SELECT\s+(DISTINCT\s+)?\?this\s+WHERE\s*\{", str(select)):
            raise UnsupportedShape(f"shape {shape}: a SPARQL target must be 'SELECT ?this WHERE {{...}}'")
        targets.append(f"{{ {select} }}")
    return targets


SUBCLASSES = re.compile(r"VALUES (\?\w+) \{ SUBCLASSES-OF <([^>]*)> \}")


def _subclasses(variable: str, cls) -> str:
    """A VALUES block for ``cls`` and its subclasses, filled in from the data graph when the checks run
    (:func:`graph.shacl_sparql.with_subclasses`): a list of classes is quicker for the store than
    ``rdfs:subClassOf*``."""
    return f"VALUES {variable} {{ SUBCLASSES-OF {_iri(cls)} }}"


def _focus(targets: list[str]) -> str:
    return "{ " + " } UNION { ".join(targets) + " }"


def _condition(shapes: Graph, shape, parameter: str, value, v: str = "?value") -> str:
    """A SPARQL expression true when the node ``v`` satisfies one value-level constraint."""
    name = parameter[len(str(SH)):]
    if name == "class":
        return f"EXISTS {{ {v} <{RDF.type}> ?type . {_subclasses('?type', value)} }}"
    if name == "nodeKind":
        kind = str(value)[len(str(SH)):]
        if kind not in _NODE_KINDS:
            raise UnsupportedShape(f"shape {shape}: unknown sh:nodeKind {value}")
        return _NODE_KINDS[kind].format(v=v)
    if name in ("minLength", "maxLength"):
        return f"(!isBlank({v}) && STRLEN(STR({v})) {'>=' if name == 'minLength' else '<='} {int(value)})"
    if name == "pattern":
        flags = shapes.value(shape, SH.flags)
        return f"(!isBlank({v}) && REGEX(STR({v}), {_literal(Literal(str(value)))}" + (
            f", {_literal(Literal(str(flags)))}))" if flags is not None else "))")
    if name == "in":
        members = _list(shapes, value)
        return "(" + " || ".join(f"sameTerm({v}, {_literal(member)})" for member in members) + ")" if members \
            else "false"
    if name in _RANGES:
        return f"COALESCE({v} {_RANGES[name]} {_literal(value)}, false)"
    if name in ("or", "and"):
        joiner = " || " if name == "or" else " && "
        return "(" + joiner.join(_node_condition(shapes, member, v) for member in _list(shapes, value)) + ")"
    if name == "not":
        return f"!{_node_condition(shapes, value, v)}"
    raise UnsupportedShape(f"shape {shape}: {parameter} cannot be used inside sh:or/sh:and/sh:not here")


def _node_condition(shapes: Graph, member, v: str) -> str:
    """A member shape of sh:or, sh:and or sh:not, as one SPARQL expression (all its constraints hold)."""
    parts = []
    for parameter, value in sorted(shapes.predicate_objects(member)):
        parameter = str(parameter)
        if parameter in NON_CONSTRAINTS:
            if parameter in (str(SH.property), str(SH.path)):
                raise UnsupportedShape(f"shape {member}: property shapes inside sh:or/sh:and/sh:not "
                                       "are not supported")
            continue
        if parameter not in COMPONENTS:
            raise UnsupportedShape(f"shape {member}: unsupported constraint {parameter}")
        parts.append(_condition(shapes, member, parameter, value, v))
    return "(" + (" && ".join(parts) or "true") + ")"


def _datatypes(shapes: Graph, shape, parameter: str, value) -> tuple[tuple[str, ...], ...] | None:
    """For sh:datatype, or an sh:or/sh:and whose members are datatype constraints only: the allowed datatypes.

    A disjunction of conjunctions: each inner tuple lists datatypes that must all match (one, in practice).
    None when ``parameter`` does not need the datatype as written.
    """
    name = parameter[len(str(SH)):]
    if name == "datatype":
        return ((str(value),),)
    if name in ("or", "and"):
        members = []
        for member in _list(shapes, value):
            constraints = [(str(p), o) for p, o in shapes.predicate_objects(member) if str(p) not in NON_CONSTRAINTS]
            if any(p == str(SH.datatype) for p, _o in constraints):
                if any(p != str(SH.datatype) for p, _o in constraints):
                    raise UnsupportedShape(f"shape {shape}: sh:datatype beside other constraints inside "
                                           f"{parameter} is not supported")
                members.append(tuple(str(o) for _p, o in constraints))
        if not members:
            return None
        if len(members) != len(_list(shapes, value)):
            raise UnsupportedShape(f"shape {shape}: {parameter} mixing sh:datatype members with others "
                                   "is not supported")
        return tuple(members) if name == "or" else (tuple(d for m in members for d in m),)
    if name == "not" and (value, SH.datatype, None) in shapes:
        raise UnsupportedShape(f"shape {shape}: sh:datatype inside sh:not is not supported")
    return None


def _compile_constraints(shapes: Graph, shape, focus: str, path_node) -> list[Check]:
    checks = []
    path = _sparql_path(shapes, path_node) if path_node is not None else None
    values = f"?this {path} ?value ." if path else "BIND(?this AS ?value)"
    result_path = path_text(shapes, path_node) if path_node is not None else ""
    prefix = "SELECT DISTINCT ?this ?value WHERE { " + focus + " "
    for parameter, value in sorted(shapes.predicate_objects(shape)):
        parameter = str(parameter)
        if parameter in NON_CONSTRAINTS:
            continue
        if parameter not in COMPONENTS:
            raise UnsupportedShape(f"shape {shape}: the constraint {parameter} is not supported by the "
                                   "SPARQL compiler (graph/shacl_sparql.py); validate with pySHACL instead")
        name = parameter[len(str(SH)):]
        if name in ("minCount", "maxCount", "hasValue", "equals", "disjoint", "lessThan",
                    "lessThanOrEquals") and path is None:
            raise UnsupportedShape(f"shape {shape}: {parameter} needs a property shape")
        datatypes = _datatypes(shapes, shape, parameter, value)
        if datatypes is not None:
            if not isinstance(path_node, URIRef):
                raise UnsupportedShape(f"shape {shape}: sh:datatype is checked on the text, so only on a "
                                       "property shape whose path is one predicate")
            checks.append(Check(shape, parameter, result_path, "SELECT DISTINCT ?this WHERE { " + focus + " }",
                                datatypes, str(path_node)))
            continue
        if name == "minCount":
            count = int(value)
            query = ("SELECT DISTINCT ?this WHERE { " + focus + f" FILTER NOT EXISTS {{ ?this {path} [] }} }}"
                     if count == 1 else "SELECT DISTINCT ?this WHERE { { SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE { " + focus
                     + f" OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} FILTER(?count < {count}) }}")
        elif name == "maxCount":
            query = ("SELECT DISTINCT ?this WHERE { { SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE { "
                     + focus + f" ?this {path} ?value }} GROUP BY ?this }} FILTER(?count > {int(value)}) }}")
        elif name == "hasValue":
            query = "SELECT DISTINCT ?this WHERE { " + focus + f" FILTER NOT EXISTS {{ ?this {path} {_literal(value)} }} }}"
        elif name == "equals":
            other = _iri(value)
            query = (prefix + f"{{ ?this {path} ?value FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION "
                     f"{{ ?this {other} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}")
        elif name == "disjoint":
            query = prefix + f"?this {path} ?value . ?this {_iri(value)} ?value }}"
        elif name in ("lessThan", "lessThanOrEquals"):
            operator = "<" if name == "lessThan" else "<="
            query = (prefix + f"?this {path} ?value . ?this {_iri(value)} ?other "
                     f"FILTER(!COALESCE(?value {operator} ?other, false)) }}")
        else:
            query = prefix + f"{values} FILTER(!{_condition(shapes, shape, parameter, value)}) }}"
        checks.append(Check(shape, parameter, result_path, query,
                            reports_value=name not in ("minCount", "maxCount", "hasValue")))
    return checks


def compile_shapes(shapes_path: Path | None = None, *, data: bytes | None = None) -> CompiledShapes:
    """Compile the shapes file (or its bytes, ``data``) into SPARQL checks.

    Examples
    --------
    >>> compiled = compile_shapes()
    >>> len(compiled.checks) > 50
    True
    >>> sorted({c.parameter.rsplit("#")[1] for c in compiled.checks})[:4]
    ['class', 'datatype', 'equals', 'hasValue']
    """
    if data is None:
        data = Path(shapes_path or ontology_dir() / "shapes.ttl").read_bytes()
    shapes = Graph().parse(data=data, format="turtle")
    compiled = CompiledShapes(shapes, _prefixes(shapes), digest=hashlib.sha256(data).hexdigest())
    node_shapes = sorted({s for s in shapes.subjects(RDF.type, SH.NodeShape)}
                         | {s for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
                            for s in shapes.subjects(SH[p], None)}, key=str)
    for shape in node_shapes:
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        if shapes.value(shape, SH.severity, default=SH.Violation) != SH.Violation:
            raise UnsupportedShape(f"shape {shape}: only sh:Violation severity is supported")
        targets = _targets(shapes, shape)
        if not targets:
            continue  # used only inside other shapes
        focus = _focus(targets)
        compiled.checks.extend(_compile_constraints(shapes, shape, focus, None))
        for property_shape in sorted(shapes.objects(shape, SH.property), key=str):
            if (property_shape, SH.property, None) in shapes or (property_shape, SH.node, None) in shapes:
                raise UnsupportedShape(f"shape {property_shape}: nested shapes are not supported")
            if shapes.value(property_shape, SH.severity, default=SH.Violation) != SH.Violation:
                raise UnsupportedShape(f"shape {property_shape}: only sh:Violation severity is supported")
            if shapes.value(property_shape, SH.deactivated) == Literal(True):
                continue
            compiled.checks.extend(_compile_constraints(shapes, property_shape, focus,
                                                        shapes.value(property_shape, SH.path)))
    return compiled
