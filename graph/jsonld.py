"""JSON-LD of the merged graph: flattened, compacted by one context, one node object per subject.

Written straight from the sorted triples (:func:`jsonld_run_file`): rdflib's
JSON-LD serializer needs minutes for a million triples and Oxigraph's does
not compact. It is written run by run (:mod:`graph.runs`), each run a few
dozen subjects, beside Turtle from the same runs (:func:`graph.export.write_rdf`),
and each run's JSON is kept in the ``jsonld/`` cache with the coercions it
was made with: a rebuild after one document changed writes the JSON of the
runs that changed and copies the rest. The file is the same either way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF

from .ntriples import XSD_STRING
from .prefixes import PREFIXES
from .rdf import BASE
from .runs import RunFile

__all__ = ["INTEGER_TYPES", "NATIVE_TYPES", "jsonld_context", "jsonld_run_file", "object_form", "value_forms"]

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
#: Literals that JSON writes natively: a plain string is xsd:string, a whole number xsd:integer, true xsd:boolean.
NATIVE_TYPES = (XSD_STRING, XSD_NS + "integer", XSD_NS + "boolean")
#: Datatypes whose canonical values a JSON number can carry (through the context's coercion).
INTEGER_TYPES = frozenset(XSD_NS + name for name in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long"))
_SAFE_INTEGER = 2 ** 53  # beyond this, JavaScript's JSON-LD processors lose digits


def object_form(obj: str) -> str:
    """The form of an N-Triples object: ``@id``, its datatype IRI, or ``@`` and its language tag."""
    if obj[0] == "<":
        return "@id"
    if obj[-1] == ">":
        return obj[obj.rindex("^^<") + 3:-1]
    if obj[-1] == '"':
        return XSD_STRING
    return obj[obj.rindex('"@') + 1:]


def value_forms(triple_lines: list[str], counts: Counter | None = None) -> dict[str, str]:
    r"""For each predicate, the commonest form of its objects (ties: the smallest), from N-Triples lines.

    A form is ``@id`` (an IRI), a datatype IRI, or ``@`` and a language tag.
    Read from the text, which is quicker than parsing it once more, or from ``counts``: the lines'
    (predicate, form) pairs counted (:func:`graph.export.count_lines`).

    Examples
    --------
    >>> lines = ['<s:a> <s:p> "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n', '<s:a> <s:p> <s:b> .\n',
    ...          '<s:b> <s:p> "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .\n', '<s:b> <s:q> "x"@en .\n']
    >>> value_forms(lines)
    {'s:p': 'http://www.w3.org/2001/XMLSchema#date', 's:q': '@en'}
    """
    if counts is None:
        counts = Counter((predicate, object_form(rest[:-3])) for _subject, predicate, rest in
                         (line.split(" ", 2) for line in triple_lines))
    best: dict[str, tuple[int, str]] = {}
    for (predicate, form), count in counts.items():
        key = (-count, form)
        if predicate not in best or key < best[predicate]:
            best[predicate] = key
    return {predicate[1:-1]: best[predicate][1] for predicate in sorted(best)}


def jsonld_context(forms: dict[str, str] | None = None) -> dict:
    """The JSON-LD context: the prefixes, the base, and a term for each predicate whose values it coerces.

    ``forms`` (from :func:`value_forms`) gives each predicate's commonest
    form. A predicate whose values are IRIs is coerced to ``@id``, one whose
    values are dates (or other datatypes) to that datatype, one whose values
    are in one language to that language; so those values are written as
    plain JSON strings and numbers. Strings, whole numbers and booleans need
    no term: JSON holds them natively.

    Examples
    --------
    >>> context = jsonld_context({PREFIXES["kg"] + "earliest": XSD_NS + "date", PREFIXES["kg"] + "status": "@id",
    ...                           PREFIXES["kg"] + "gist": "@en", PREFIXES["kg"] + "quote": XSD_STRING})
    >>> context["kg:earliest"], context["kg:status"], context["kg:gist"], "kg:quote" in context
    ({'@type': 'xsd:date'}, {'@type': '@id'}, {'@language': 'en'}, False)
    """
    context: dict = dict(PREFIXES)
    context["@base"] = BASE
    namespaces = _by_length(PREFIXES)
    for predicate, form in sorted((forms or {}).items()):
        if form in NATIVE_TYPES or predicate == str(RDF.type):
            continue
        if form == "@id":
            coercion = {"@type": "@id"}
        elif form.startswith("@"):
            coercion = {"@language": form[1:]}
        else:
            coercion = {"@type": _compact(form, namespaces)}
        context[_compact(predicate, namespaces)] = coercion
    return context


def _by_length(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    """Longest namespace first, so that the most specific prefix wins."""
    return sorted(prefixes.items(), key=lambda item: -len(item[1]))


def _compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for prefix, namespace in namespaces:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


class _Compactor(dict):
    """``_compact`` for the few IRIs that repeat (predicates, classes), remembered."""

    def __init__(self, namespaces: list[tuple[str, str]]):
        super().__init__()
        self.namespaces = namespaces

    def __missing__(self, iri: str) -> str:
        compacted = self[iri] = _compact(iri, self.namespaces)
        return compacted


def _number(lexical: str) -> int | None:
    """A canonical integer lexical form as a JSON-safe number, else ``None``."""
    try:
        number = int(lexical)
    except ValueError:
        return None
    return number if str(number) == lexical and abs(number) < _SAFE_INTEGER else None


def _value(obj, coerced: str | None, namespaces, vocabulary):
    """A triple's object as JSON-LD: plain where the predicate's coercion (or JSON itself) says what it is."""
    if isinstance(obj, ox.NamedNode):
        iri = _compact(obj.value, namespaces)
        return iri if coerced == "@id" else {"@id": iri}
    if obj.language:
        return obj.value if coerced == "@" + obj.language else {"@value": obj.value, "@language": obj.language}
    datatype = obj.datatype.value
    if datatype == coerced:
        number = _number(obj.value) if datatype in INTEGER_TYPES else None
        return obj.value if number is None else number
    if coerced is None:  # a plain JSON string, number or boolean keeps its own type
        if datatype == XSD_STRING:
            return obj.value
        if datatype == NATIVE_TYPES[1] and _number(obj.value) is not None:
            return _number(obj.value)
        if datatype == NATIVE_TYPES[2] and obj.value in ("true", "false"):
            return obj.value == "true"
    if datatype == XSD_STRING:
        return {"@value": obj.value}
    return {"@value": obj.value, "@type": vocabulary[datatype]}


class _NodeWriter:
    """The JSON of node objects, one per subject, from that subject's triples (sorted, so contiguous)."""

    def __init__(self, forms: dict[str, str]):
        self.namespaces = _by_length(PREFIXES)
        self.vocabulary = _Compactor(self.namespaces)
        self.coercions = {predicate: None if form in NATIVE_TYPES else form for predicate, form in forms.items()}

    def nodes(self, triples) -> tuple[str, list]:
        """Each subject's node object, each after ``,`` and a new line; and each predicate met, with its coercion.

        A property with one value has it bare, with several a list. A value
        that its predicate's coercion does not describe is written as a full
        value object, so any JSON-LD processor expands the file back to the
        same triples (a test expands it with pyld, and parses it with rdflib
        and with pyoxigraph).
        """
        namespaces, vocabulary, coercions, rdf_type = self.namespaces, self.vocabulary, self.coercions, str(RDF.type)
        written: list[str] = []
        met: set[str] = set()
        node: dict | None = None
        subject = None

        def flush() -> None:
            if node is not None:
                single = {key: values[0] if isinstance(values, list) and len(values) == 1 else values
                          for key, values in node.items()}
                written.append(",\n  " + json.dumps(single, ensure_ascii=False))

        for triple in triples:
            if triple.subject.value != subject:
                flush()
                subject = triple.subject.value
                node = {"@id": _compact(subject, namespaces)}
            predicate = triple.predicate.value
            met.add(predicate)
            if predicate == rdf_type and isinstance(triple.object, ox.NamedNode):
                node.setdefault("@type", []).append(vocabulary[triple.object.value])
                continue
            value = _value(triple.object, coercions.get(predicate), namespaces, vocabulary)
            node.setdefault(vocabulary[predicate], []).append(value)
        flush()
        return "".join(written), [[predicate, coercions.get(predicate)] for predicate in sorted(met)]


def jsonld_run_file(path: Path, forms: dict[str, str]) -> tuple[RunFile, Callable[[list], tuple[bytes, list]]]:
    """``path`` as a :class:`~graph.runs.RunFile` of JSON-LD, and what makes a run's bytes (and tag) from its triples.

    A run's JSON depends on the coercion of each predicate it holds, which
    its tag records: a kept run is used while those coercions hold, so a new
    predicate in the context makes only the runs that hold it again.
    """
    context_text = json.dumps(jsonld_context(forms), indent=1, ensure_ascii=False)
    writer = _NodeWriter(forms)
    head = ('{\n "@context": ' + context_text.replace("\n", "\n ") + ',\n "@graph": [').encode("utf-8")

    def accept(tag) -> bool:
        return isinstance(tag, list) and all(writer.coercions.get(predicate) == coercion for predicate, coercion in tag)

    def make(triples) -> tuple[bytes, list]:
        text, met = writer.nodes(triples)
        return text.encode("utf-8"), met

    file = RunFile(path, "jsonld", "nodes", head, tail=b"\n ]\n}\n", drop_first=1,  # no comma before the first node
                   accept=accept)
    return file, make
