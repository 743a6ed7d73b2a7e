"""SPARQL over the built graph: the query library, two embedded engines, formats.

Queries run on the exported files in ``out/`` with no server. The default
engine is pyoxigraph (fast); rdflib's own engine is the reference, and the
named queries give identical answers on both.

A library query is a file ``queries/<name>.rq`` that is valid SPARQL on its
own; :mod:`graph.sparql_params` reads its header and binds its parameters.
Neither engine makes outgoing requests: a query with ``SERVICE`` is refused
unless ``allow_service`` is given (:mod:`graph.sparql_service`).
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .background import die_with_parent
from .errors import KGError, MissingBuild, QueryError
from .paths import queries_dir
from .query_store import open_store
from .prefixes import PREFIXES
from .sparql_params import Lookup, NamedQuery, Param, example_value, load_library, param_term, render
from .sparql_service import refuse_service

__all__ = [
    "Param", "NamedQuery", "QueryResult", "load_library", "render", "bind", "run_sparql", "format_result",
    "ENGINES", "FORMATS", "queries_dir", "example_value", "param_term", "looks_like_sparql", "QUERY_PREFIXES",
    "check_prefixes",
]

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "tsv", "json", "markdown")
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


@dataclass
class QueryResult:
    """Variables and rows; each cell is None or a tuple (kind, value, datatype, language)."""

    variables: list[str]
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None


def _check_build(out: Path) -> Path:
    trig = Path(out) / "kg.trig"
    if not trig.is_file() or not trig.with_name("kg.nt").is_file():
        raise MissingBuild(f"no built graph at {trig}; run the build first: python build.py (or kg build)")
    return trig


def looks_like_sparql(text: str) -> bool:
    keywords = r"SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH"
    return bool(re.search(rf"\b({keywords})\b|\{{", text, re.IGNORECASE))


def _check_query_text(text: str) -> None:
    stripped = re.sub(r"(?m)#.*$", "", text)
    if _UPDATE.match(stripped):
        raise QueryError("update queries are refused: the graph is read-only; edit the sources and rebuild instead")


#: The prefixes every query may use without declaring them, on both engines: the usual vocabularies and the
#: project's own (``kg:`` the ontology, ``id:`` entities and records, ``doc:`` documents, ...).
QUERY_PREFIXES = dict(sorted(PREFIXES.items()))
# Strings, IRIs, comments and variables (skipped), PREFIX, and a prefixed name's prefix with its colon.
_LONG_STRINGS = r'"""(?:[^"\\]|\\.|"(?!""))*"""|' + r"'''(?:[^'\\]|\\.|'(?!''))*'''"
_QUERY_TOKENS = re.compile(r"""
    (?P<skip>""" + _LONG_STRINGS + r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
             |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*|[?$]\w+)
  | (?P<keyword>(?<![\w:])PREFIX\b)
  | (?P<prefix>(?<![\w.:-])(?:[^\W\d_](?:[\w.-]*[\w-])?)?:)
""", re.VERBOSE | re.IGNORECASE)


def check_prefixes(text: str) -> None:
    """Refuse a query that uses a prefix it neither declares nor finds predeclared (the same words on both engines).

    Examples
    --------
    >>> check_prefixes('PREFIX ex: <http://e.org/> SELECT * { ?s ex:p "a:b", rdf:type <http://x#y> } # foo:')
    >>> check_prefixes("SELECT * { ?s foo:bar ?o }")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: unknown prefix foo: (line 1, column 15); predeclared are date:, dcterms:, doc:, \
evidence:, fact:, id:, kg:, membership:, oa:, org:, owl:, prov:, rdf:, rdfs:, schema:, skos:, time:, xsd:; \
or declare it: PREFIX foo: <namespace IRI>
    """
    declared, after_keyword = set(QUERY_PREFIXES), False
    for match in _QUERY_TOKENS.finditer(text):
        if match.lastgroup == "keyword":
            after_keyword = True
            continue
        if match.lastgroup == "prefix":
            prefix = match.group("prefix")
            if after_keyword:
                declared.add(prefix[:-1])
            elif prefix[:-1] not in declared:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                raise QueryError(f"unknown prefix {prefix} (line {line}, column {column}); predeclared are "
                                 + ", ".join(f"{p}:" for p in QUERY_PREFIXES)
                                 + f"; or declare it: PREFIX {prefix} <namespace IRI>")
        after_keyword = False


XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
# Oxigraph stores every integer-derived datatype as xsd:integer; rdflib keeps
# the declared one. Results use xsd:integer for both, so the engines agree.
_INTEGER_TYPES = {XSD + t for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
                                    "unsignedByte")}


def _ox_cell(term) -> tuple | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    datatype = term.datatype.value if term.datatype else None
    if term.language:
        return ("literal", term.value, None, term.language)
    return ("literal", term.value, None if datatype == XSD_STRING else datatype, None)


def _rdflib_cell(term) -> tuple | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), None, term.language)
        datatype = str(term.datatype) if term.datatype else None
        if datatype in _INTEGER_TYPES:
            datatype = XSD + "integer"
        return ("literal", str(term), None if datatype == XSD_STRING else datatype, None)
    return ("literal", str(term), None, None)


def oxigraph_store(trig: Path):
    """The build's read-only query store (:mod:`graph.query_store`), cached outside out/ by content."""
    return open_store(trig.parent)


def _run_oxigraph(trig: Path, text: str) -> QueryResult:
    import pyoxigraph as ox

    store = oxigraph_store(trig)
    try:
        answer = store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {_position(str(exc))}") from None
    if isinstance(answer, bool) or isinstance(answer, ox.QueryBoolean):
        return QueryResult([], [], bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return QueryResult(["subject", "predicate", "object"],
                           [(_ox_cell(t.subject), _ox_cell(t.predicate), _ox_cell(t.object)) for t in answer])
    variables = [v.value for v in answer.variables]
    cells: dict = {None: None}  # a term repeated down a column is converted once

    def cell(term):
        converted = cells.get(term, False)
        if converted is False:
            converted = cells[term] = _ox_cell(term)
        return converted

    # A solution iterates over its values in the order of the variables, None where one is unbound:
    # a third faster than looking each up by its variable (10,000 rows of seven columns: 0.17 s).
    return QueryResult(variables, [tuple(map(cell, solution)) for solution in answer])


def _position(message: str) -> str:
    match = re.match(r"error at (\d+):(\d+)[: ]\s*(.*)", message, re.DOTALL)
    if match:
        return f"{match.group(3).strip()} at (line {match.group(1)}, column {match.group(2)})"
    return message


_RDFLIB_CACHE: dict = {}


def _run_rdflib(trig: Path, text: str) -> QueryResult:
    import rdflib.plugins.sparql
    from pyparsing import ParseException
    from rdflib import Dataset

    # FROM <url> selects a graph of the build; it never downloads one.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

    key = (str(trig), trig.stat().st_mtime_ns)
    dataset = _RDFLIB_CACHE.get(key)
    if dataset is None:
        dataset = Dataset()
        with warnings.catch_warnings():
            # rdflib 7's own TriG parser warns about ConjunctiveGraph once per triple.
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(str(trig), format="trig")
        # As for Oxigraph: the default graph is the merge, kg.nt.
        dataset.default_graph.parse(str(trig.with_name("kg.nt")), format="nt")
        _RDFLIB_CACHE.clear()
        _RDFLIB_CACHE[key] = dataset
    from .rdf import NAMESPACES

    for prefix, namespace in NAMESPACES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    try:
        answer = dataset.query(text, initNs=dict(NAMESPACES))
    except ParseException as exc:
        raise QueryError(f"invalid SPARQL: {exc.msg} at (line {exc.lineno}, column {exc.col})") from None
    if answer.type == "ASK":
        return QueryResult([], [], bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(["subject", "predicate", "object"], [tuple(map(_rdflib_cell, t)) for t in answer])
    variables = [str(v) for v in answer.vars]
    return QueryResult(variables, [tuple(_rdflib_cell(row[v]) for v in variables) for row in answer])


def _execute(engine: str, trig: Path, text: str) -> QueryResult:
    if engine == "oxigraph":
        return _run_oxigraph(trig, text)
    if engine == "rdflib":
        return _run_rdflib(trig, text)
    raise QueryError(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")


def _child(connection, engine: str, trig: Path, text: str) -> None:
    die_with_parent()
    try:
        connection.send(("ok", _execute(engine, trig, text)))
    except QueryError as exc:
        connection.send(("error", str(exc)))
    except KGError as exc:  # a user error outside the query, e.g. a cache folder the project may not write to
        connection.send(("user", str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def run_sparql(text: str, out: Path, engine: str = "oxigraph", timeout: float | None = None, *,
               allow_service: bool = False) -> QueryResult:
    """Run a SPARQL query on the built graph in ``out``.

    With a ``timeout`` (seconds) the query runs in a child process that is
    stopped when the time is up, since neither engine can be interrupted
    from inside. Update queries are refused, and so are ``SERVICE`` calls
    unless ``allow_service``.
    """
    trig = _check_build(out)
    _check_query_text(text)
    check_prefixes(text)
    refuse_service(text, allow_service)
    if not timeout:
        return _execute(engine, trig, text)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, engine, trig, text), daemon=True)
    process.start()
    sender.close()
    if not receiver.poll(timeout):
        process.kill()
        process.join()
        raise QueryError(f"the query was stopped after {timeout:g} s (--timeout); narrow it, or allow more time")
    status, payload = receiver.recv()
    process.join()
    if status == "ok":
        return payload
    if status == "error":
        raise QueryError(payload)
    if status == "user":
        raise KGError(payload)
    raise RuntimeError(payload)


def bind(query: NamedQuery, values: Mapping[str, str | Sequence[str]], out: Path, engine: str = "oxigraph") -> str:
    """A named query's text with its parameters checked against the build in ``out`` and bound as RDF terms.

    An entity may be given by its id or by any of its names (see
    :mod:`graph.sparql_params`); an unknown one gets "did you mean".
    """
    def select(text: str) -> list[tuple]:
        result = run_sparql(text, out, engine)
        return [tuple(cell[1] if cell else None for cell in row) for row in result.rows]

    return render(query, values, Lookup(select))


# -- output formats ------------------------------------------------------------

# Shortened in this order: the entity and document namespaces first, then the rest.
_SHORT_FORMS = [(prefix, PREFIXES[prefix]) for prefix in ("id", "doc")] + [
    (prefix, iri) for prefix, iri in PREFIXES.items() if prefix not in ("id", "doc")]


def _plain(cell) -> str:
    if cell is None:
        return ""
    kind, value, _datatype, _language = cell
    if kind == "uri":
        for prefix, namespace in _SHORT_FORMS:
            if value.startswith(namespace):
                return f"{prefix}:{value[len(namespace):]}"
        return value
    return value


def _json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON, one binding to a line.

    Each distinct cell is encoded once, by json's C encoder (with ``indent``
    json runs in Python, several times slower on a large result).
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    if result.boolean is not None:
        return encode({"head": {}, "boolean": result.boolean}) + "\n"
    encoded: dict[tuple, str] = {}

    def term(cell: tuple) -> str:
        text = encoded.get(cell)
        if text is None:
            kind, value, datatype, language = cell
            entry = {"type": kind, "value": value}
            if datatype:
                entry["datatype"] = datatype
            if language:
                entry["xml:lang"] = language
            text = encoded[cell] = encode(entry)
        return text

    names = [encode(name) + ": " for name in result.variables]
    lines = ["{" + ", ".join(name + term(cell) for name, cell in zip(names, row) if cell is not None) + "}"
             for row in result.rows]
    head = encode({"vars": result.variables})
    if not lines:
        return f'{{"head": {head}, "results": {{"bindings": []}}}}\n'
    body = ",\n".join(lines)
    return f'{{"head": {head}, "results": {{"bindings": [\n{body}\n]}}}}\n'


# Cells a spreadsheet would run as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile(r"\r\n?|\n")
# C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def neutralise_formula(value: str) -> str:
    r"""A CSV cell that a spreadsheet shows as text: one starting like a formula gets a leading quote.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(\"http://x\")"), neutralise_formula("-5"), neutralise_formula("Al-Nujaba")
    ('\'=HYPERLINK("http://x")', "'-5", 'Al-Nujaba')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def escape_controls(value: str) -> str:
    r"""Text safe to print to a terminal: control and bidirectional characters written as escapes.

    Examples
    --------
    >>> print(escape_controls("red\x1b[31m\nline\u202e"))
    red\x1b[31m\nline\u202e
    """
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _UNPRINTABLE.sub(lambda m: named.get(m[0]) or
                            (f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}"), value)


def _delimited(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    # A row of TSV is one line; in CSV a carriage return becomes a line break inside the quoted cell
    # (the writer quotes only around its own line ending), so no reader splits the row there.
    line_break = " " if delimiter == "\t" else "\n"
    for row in result.rows:
        cells = [neutralise_formula("" if c is None else c[1]) for c in row]
        writer.writerow([_LINE_BREAKS.sub(line_break, c) for c in cells])
    return buffer.getvalue()


def _markdown(result: QueryResult) -> str:
    def cell(value: str) -> str:
        return escape_controls(value).replace("|", "\\|")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(cell(_plain(c)) for c in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def _cell_lines(value: str, width: int) -> list[str]:
    """A cell's text as lines of at most ``width`` characters (0: as it is): wrapped at spaces, never cut short.

    Examples
    --------
    >>> _cell_lines("the attack on Haifa carried a message", 12)
    ['the attack', 'on Haifa', 'carried a', 'message']
    >>> _cell_lines("https://example.org/faction-kg/id/al-nujaba", 20)
    ['https://example.org/', 'faction-kg/id/al-nuj', 'aba']
    """
    value = escape_controls(value)  # a line break too: only the table's own lines end in one
    if not width or (len(value) <= width and value and not value[0].isspace() and not value[-1].isspace()):
        return [value]  # what textwrap gives a line that fits and has no space to drop at its end, only sooner
    return textwrap.wrap(value, width, break_on_hyphens=False, replace_whitespace=False,
                         drop_whitespace=True) or [""]


def _table(result: QueryResult, max_width: int = 60) -> str:
    """An aligned text table; a cell longer than ``max_width`` wraps onto more lines, so no text is lost.

    When any row wraps, a blank line separates the rows.
    """
    header = result.variables
    wrapped_cells: dict = {}  # a value repeated down a column is wrapped once

    def cell_lines(cell) -> list[str]:
        lines = wrapped_cells.get(cell)
        if lines is None:
            lines = wrapped_cells[cell] = _cell_lines(_plain(cell), max_width)
        return lines

    body = [[cell_lines(c) for c in row] for row in result.rows]
    widths = [max([len(h)] + [len(line) for r in body for line in r[i]]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    wrapped = any(len(cell) > 1 for r in body for cell in r)
    for number, r in enumerate(body):
        if wrapped and number:
            lines.append("")
        for depth in range(max(map(len, r), default=1)):
            lines.append("  ".join((cell[depth] if depth < len(cell) else "").ljust(w)
                                   for cell, w in zip(r, widths)).rstrip())
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_result(result: QueryResult, fmt: str = "table", max_width: int = 60) -> str:
    """Render a result as an aligned table (cells wrapped at ``max_width``), CSV, TSV, SPARQL JSON or Markdown."""
    if result.boolean is not None and fmt != "json":
        return ("yes" if result.boolean else "no") + "\n"
    if fmt == "table":
        return _table(result, max_width)
    if fmt == "csv":
        return _delimited(result, ",")
    if fmt == "tsv":
        return _delimited(result, "\t")
    if fmt == "json":
        return _json(result)
    if fmt == "markdown":
        return _markdown(result)
    raise QueryError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
