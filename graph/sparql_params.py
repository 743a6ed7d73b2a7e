"""The query library's parameters: declared in each query's header, checked, and bound as RDF terms.

A library query is a file ``queries/<name>.rq`` that is valid SPARQL on its
own. Its comment header states the question, the columns and each
parameter with its kind::

    # param: actor (entity) - the speaker, e.g. akram-al-kaabi
    # param: days (integer 0..3650) - the window in days
    # param: org (entity, optional, several) - only these organizations
    # range: start..end

Each parameter has one ``VALUES ?name { ... }`` block holding its default
(``UNDEF`` means "any"). A value given with ``--param name=value`` is parsed
by its kind, checked against the build, turned into an RDF term by
pyoxigraph and serialised by it into that block as one row per value: what
a user types is never pasted into the query, so it cannot change the
query's shape.

Kinds: ``entity`` (an id that exists in the build, or a name or alias that
resolves to one entity, as ``kg view --focus`` resolves it), ``document``
(a document id in the build), ``date`` (``YYYY-MM-DD``), ``integer`` (a whole
number within the declared bounds, 0..1000000 when none are declared) and
``string`` (a non-empty literal), ``name`` (bound as its search key,
:func:`graph.names.search_key`, to match the derived ``kg:searchKey`` literals). ``several`` lets a parameter be given more
than once; ``range: a..b`` makes the date ``a`` no later than ``b``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError
from .paths import queries_dir
from .prefixes import PREFIXES

__all__ = ["Param", "NamedQuery", "Lookup", "load_library", "example_value", "param_term", "render", "PARAM_TYPES"]

PARAM_TYPES = ("entity", "document", "date", "integer", "string", "name")
DEFAULT_BOUNDS = (0, 1_000_000)
MAX_STRING = 500
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_HEADER_PARAM = re.compile(
    r"^param:\s*(?P<name>\w+)\s*\((?P<type>\w+)(?:\s+(?P<low>-?\d+)\.\.(?P<high>-?\d+))?(?P<flags>(?:\s*,\s*\w+)*)\)"
    r"\s*(?:[-—:]\s*)?(?P<doc>.*)$")
_HEADER_RANGE = re.compile(r"^range:\s*(?P<first>\w+)\s*\.\.\s*(?P<last>\w+)\s*$")
_FLAGS = ("optional", "several")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID, DOC = PREFIXES["id"], PREFIXES["doc"]


@dataclass(frozen=True)
class Param:
    """One declared parameter: its name, kind, whether it may be left out or given several times, bounds."""

    name: str
    type: str
    optional: bool
    doc: str
    several: bool = False
    bounds: tuple[int, int] = DEFAULT_BOUNDS


@dataclass
class NamedQuery:
    """One query of the library, read from its ``.rq`` file."""

    name: str
    path: Path
    title: str
    question: str
    params: list[Param]
    columns: list[str]
    text: str
    ranges: list[tuple[str, str]] = field(default_factory=list)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        choices = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}' (its parameters: {choices})")


def _parse_param(path: Path, line: str) -> Param:
    match = _HEADER_PARAM.match(line)
    flags = [f.strip() for f in match["flags"].split(",") if f.strip()] if match else []
    if not match or match["type"] not in PARAM_TYPES or any(f not in _FLAGS for f in flags):
        raise QueryError(f"{path.name}: bad parameter line {line!r}; write 'param: name (type[ low..high]"
                         f"[, optional][, several]) - what it is' with type one of {', '.join(PARAM_TYPES)}")
    bounds = (int(match["low"]), int(match["high"])) if match["low"] is not None else DEFAULT_BOUNDS
    return Param(match["name"], match["type"], "optional" in flags, match["doc"].strip(), "several" in flags, bounds)


def _parse_header(path: Path, text: str) -> NamedQuery:
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line[1:].strip())
    title = comments[0] if comments else path.stem
    question, params, columns, ranges = "", [], [], []
    for line in comments[1:]:
        if line.startswith("question:"):
            question = line.split(":", 1)[1].strip()
        elif line.startswith("columns:"):
            columns = [c.strip() for c in line.split(":", 1)[1].split(",") if c.strip()]
        elif line.startswith("param:"):
            params.append(_parse_param(path, line))
        elif line.startswith("range:"):
            match = _HEADER_RANGE.match(line)
            if not match:
                raise QueryError(f"{path.name}: bad range line {line!r}; write 'range: first..last'")
            ranges.append((match["first"], match["last"]))
    return NamedQuery(path.stem, path, title, question, params, columns, text, ranges)


def load_library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name.

    Examples
    --------
    >>> library = load_library()
    >>> library["spokespersons"].columns[:2]
    ['person', 'personLabel']
    >>> library["threat-follow-through"].param("days").bounds
    (0, 3650)
    """
    folder = folder or queries_dir()
    library = {}
    for path in sorted(folder.glob("*.rq")):
        query = _parse_header(path, path.read_text(encoding="utf-8"))
        query.name = re.sub(r"^\d+-", "", path.stem)
        library[query.name] = query
    return library


def example_value(query: NamedQuery, name: str) -> str:
    """The value in a parameter's VALUES block, as a user would type it.

    Examples
    --------
    >>> example_value(load_library()["statements-by"], "actor")
    'akram-al-kaabi'
    """
    match = re.search(r"VALUES\s+\?" + re.escape(name) + r"\s*\{([^}]*)\}", query.text)
    raw = match.group(1).strip() if match else ""
    raw = re.sub(r"^(?:id|doc):", "", raw)
    raw = re.sub(r'^"(.*)"(?:\^\^.*)?$', r"\1", raw)
    return raw


Select = Callable[[str], list[tuple]]


class Lookup:
    """The build's entities and documents, for checking parameter values; ``select`` runs a query.

    ``select(text)`` returns the rows of a SELECT query as tuples of plain
    strings. Each list is fetched once, on first use.
    """

    def __init__(self, select: Select):
        self._select = select
        self._entities: dict[str, tuple[str, list[str], str]] | None = None
        self._documents: set[str] | None = None

    def entities(self) -> dict[str, tuple[str, list[str], str]]:
        """Slug -> (label, aliases, kind) of everything in the id namespace that has a label and a type."""
        if self._entities is None:
            from .entity_search import NODE_KINDS

            found: dict[str, tuple[str, list[str], str]] = {}
            rows = self._select(
                "SELECT ?e ?label ?alias ?type WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?label ; "
                "a ?type . OPTIONAL { ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?alias } "
                f'FILTER (STRSTARTS(STR(?e), "{ID}")) }}')
            for iri, label, alias, rdf_type in rows:
                slug = iri[len(ID):]
                label_, aliases, kind = found.get(slug, (label, [], ""))
                if alias and alias not in aliases:
                    aliases.append(alias)
                # As on the page: a record (event, statement) ranks after the actors and other entities.
                new_kind = NODE_KINDS.get(rdf_type.rpartition("#")[2], "")
                if not kind or new_kind in ("event", "statement"):
                    kind = new_kind or kind
                found[slug] = (label_, aliases, kind)
            self._entities = found
        return self._entities

    def documents(self) -> set[str]:
        if self._documents is None:
            rows = self._select("SELECT ?d WHERE { ?d a <https://example.org/faction-kg/ontology#SourceDocument> }")
            self._documents = {iri[len(DOC):] for (iri,) in rows if iri.startswith(DOC)}
        return self._documents

    def entity(self, name: str, text: str) -> str:
        """The slug ``text`` means: an existing id, or the one best match for a name (as ``kg view --focus``)."""
        from .entity_search import AmbiguousName, NameNotFound, resolve_name

        entities = self.entities()
        if text in entities:
            return text
        try:
            return resolve_name(entities, text)
        except AmbiguousName as error:
            raise QueryError(f"parameter '{name}': {error}") from None
        except NameNotFound:
            pass
        close = difflib.get_close_matches(text, entities, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        raise QueryError(f"parameter '{name}': no entity {text!r} in the build; {hint}"
                         f"kg query find-entity --param name=... searches every name") from None

    def document(self, name: str, text: str) -> str:
        documents = self.documents()
        if text in documents:
            return text
        close = difflib.get_close_matches(text, sorted(documents), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        raise QueryError(f"parameter '{name}': no document {text!r} in the build; {hint}"
                         f"kg query 'SELECT ?d WHERE {{ ?d a kg:SourceDocument }}' lists them")


def _strip_namespace(value: str, prefix: str, namespace: str) -> str:
    for lead in (f"<{namespace}", namespace, f"{prefix}:"):
        if value.startswith(lead):
            return value[len(lead):].removesuffix(">") if lead.startswith("<") else value[len(lead):]
    return value


def param_term(param: Param, value: str, lookup: Lookup | None = None):
    """The RDF term (a pyoxigraph term) for one value given on the command line.

    With a ``lookup``, an entity or document must exist in the build, and an
    entity may be given by any of its names; without one, only an id's form
    is checked.

    Examples
    --------
    >>> str(param_term(Param("actor", "entity", False, ""), "al-nujaba"))
    '<https://example.org/faction-kg/id/al-nujaba>'
    >>> str(param_term(Param("start", "date", False, ""), "2024-01-01"))
    '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> str(param_term(Param("name", "string", False, ""), 'x" } ; DELETE'))
    '"x\\\\" } ; DELETE"'
    """
    import pyoxigraph as ox

    value = value.strip()
    if param.type in ("entity", "document"):
        namespace, prefix = (ID, "id") if param.type == "entity" else (DOC, "doc")
        slug = _strip_namespace(value, prefix, namespace)
        if lookup is not None:
            slug = lookup.entity(param.name, slug) if param.type == "entity" else lookup.document(param.name, slug)
        elif not _SLUG.match(slug):
            raise QueryError(f"parameter '{param.name}' takes an id such as "
                             f"{'al-nujaba' if param.type == 'entity' else 'jttm-2024-01-08'}, not {value!r}")
        return ox.NamedNode(namespace + slug)
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII) else None
        except ValueError:
            day = None
        if day is None:
            raise QueryError(f"parameter '{param.name}' takes a real date as YYYY-MM-DD, e.g. 2024-01-31, not {value!r}")
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD_DATE))
    if param.type == "integer":
        low, high = param.bounds
        if not re.fullmatch(r"[+-]?\d{1,12}", value, re.ASCII) or not low <= int(value) <= high:
            raise QueryError(f"parameter '{param.name}' takes a whole number from {low} to {high}, not {value!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD_INTEGER))
    if not value:
        raise QueryError(f"parameter '{param.name}' needs some text, e.g. {param.name}=Kaabi; it was empty")
    if len(value) > MAX_STRING:
        raise QueryError(f"parameter '{param.name}' takes at most {MAX_STRING} characters, not {len(value)}")
    if param.type == "name":  # matched on kg:searchKey, so bound as the same key (graph.names.search_key)
        from .names import search_key

        key = search_key(value)
        if not key:
            raise QueryError(f"parameter '{param.name}' needs letters or digits, e.g. {param.name}=Kaabi, "
                             f"not {value!r}")
        return ox.Literal(key)
    return ox.Literal(value)


def _values_block(name: str, terms: list) -> str:
    return f"VALUES ?{name} {{ {' '.join(str(term) for term in terms)} }}"


def render(query: NamedQuery, values: Mapping[str, str | Sequence[str]], lookup: Lookup | None = None) -> str:
    """The query's text with each parameter's values bound as RDF terms in its VALUES block.

    ``values`` maps a parameter to one value or a list of them. Missing
    required parameters, unknown ones, repeated values of a parameter that
    takes one, and reversed date ranges are refused with a
    :class:`~graph.errors.QueryError`.

    Examples
    --------
    >>> query = load_library()["between-dates"]
    >>> "VALUES ?end { \\"2024-06-30\\"^^<http://www.w3.org/2001/XMLSchema#date> }" in render(
    ...     query, {"start": "2024-06-01", "end": "2024-06-30"})
    True
    """
    given = {name: [value] if isinstance(value, str) else list(value) for name, value in values.items()}
    missing = [p for p in query.params if not p.optional and not given.get(p.name)]
    if missing:
        raise QueryError("query '{}' needs {}".format(query.name, ", ".join(
            f"--param {p.name}=... (e.g. {p.name}={example_value(query, p.name)})" for p in missing)))
    bound: dict[str, list] = {}
    for name, raw in given.items():
        param = query.param(name)
        if len(raw) > 1 and not param.several:
            raise QueryError(f"parameter '{name}' of query '{query.name}' takes one value, "
                             f"but it was given {len(raw)} times")
        bound[name] = [param_term(param, value, lookup) for value in raw]
    for first, last in query.ranges:
        if first in bound and last in bound and max(t.value for t in bound[first]) > min(t.value for t in bound[last]):
            raise QueryError(f"the dates are reversed: {first} ({bound[first][0].value}) comes after "
                             f"{last} ({bound[last][0].value}); swap them")
    # Every block is found in the query as written and replaced in one pass, so
    # that nothing a value contains is ever searched for a block.
    spans = []
    for name, terms in bound.items():
        found = list(re.finditer(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^}]*\}", query.text))
        if len(found) != 1:
            raise QueryError(f"{query.path.name}: parameter '{name}' needs exactly one 'VALUES ?{name} {{ ... }}' block")
        spans.append((found[0].start(), found[0].end(), _values_block(name, terms)))
    text = query.text
    for start, end, block in sorted(spans, reverse=True):
        text = text[:start] + block + text[end:]
    return text
