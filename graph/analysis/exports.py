"""Exports for Gephi and Cytoscape: ``kg.graphml`` (GraphML 1.0) and ``kg.gexf`` (GEXF 1.3).

Both hold the relation graph (every node; one directed edge per curated
fact), with node types, labels and every metric as attributes, and both are
valid against their format's XML Schema. Neither format holds lists, so lists
become sorted ``"; "``-joined strings, and an undefined metric is simply left
out. XML ids must be name tokens, so an id is the node's or fact's key with
``/`` written as ``:`` (``id/al-nujaba`` is ``id:al-nujaba``); the key itself
is a node's ``key`` attribute (as in ``metrics.csv``) and an edge's ``fact``.

The GEXF graph is dynamic: a dated event or statement exists from its
earliest to its latest possible day, a document from its publication on, and
each edge over its subject's dates, so Gephi's timeline shows what is dated
only in its time. Undated nodes are always shown.

The writers stream the file element by element (no tree in memory) and write
no timestamp, so the same graph gives the same bytes.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

__all__ = ["export_graph", "write_graphml", "write_gexf", "joined", "xml_id"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_NAME_TOKEN_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


def joined(values) -> str:
    """A list as one sorted ``"; "``-joined string.

    Examples
    --------
    >>> joined(["b", "a"]), joined([])
    ('a; b', '')
    """
    return "; ".join(sorted(str(v) for v in values))


def xml_id(key: str) -> str:
    """A node's or fact's key as an XML name token: ``/`` becomes ``:``, any other unsafe character ``_hex_``.

    The mapping is one to one: ``_`` only ever starts an escape.

    Examples
    --------
    >>> xml_id("fact/jttm-2022-08-08/021dd12605d6306b"), xml_id("id/a b_c")
    ('fact:jttm-2022-08-08:021dd12605d6306b', 'id:a_20_b_5f_c')
    """
    return _NAME_TOKEN_UNSAFE.sub(_escaped, key)


def _escaped(match: re.Match) -> str:
    character = match.group()
    return ":" if character == "/" else f"_{ord(character):x}_"


def _interval(kind: str, date: dict | None) -> dict[str, str]:
    """When a node (or the edges of its facts) exists on the timeline: its dates; a document's publication on."""
    date = date or {}
    interval = {}
    if date.get("earliest"):
        interval["start"] = date["earliest"]
    if date.get("latest") and kind != "document":
        interval["end"] = date["latest"]
    return interval


def export_graph(relation: nx.MultiDiGraph, table: dict[str, dict]) -> nx.MultiDiGraph:
    """The relation graph with flat, typed attributes only: strings, numbers, and dates as strings.

    A node's or edge's ``start`` and ``end`` are its place on the timeline (see the module's docstring).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/a", label="A", kind="event", types=["Attack"], aliases=["Al A"], iri="x", description="",
    ...            date={"edtf": "2024", "earliest": "2024-01-01", "latest": "2024-12-31"})
    >>> _ = g.add_edge("id/a", "id/a", key="fact/d/1", relation="memberOf", status="reported", document="document/d",
    ...                attributed_to=[], evidence=[("q", 0, 1)],
    ...                date={"edtf": "2024", "earliest": "2024-01-01", "latest": "2024-12-31"})
    >>> e = export_graph(g, {"id/a": {"label": "A", "degree": 1, "pagerank": None}})
    >>> e.nodes["id/a"]["aliases"], "pagerank" in e.nodes["id/a"], e.nodes["id/a"]["end"]
    ('Al A', False, '2024-12-31')
    >>> e.edges["id/a", "id/a", "fact/d/1"]["start"]
    '2024-01-01'
    """
    graph = nx.MultiDiGraph()
    for node in sorted(relation):
        data = relation.nodes[node]
        attributes = {"label": data["label"], "key": node, "kind": data["kind"], "type": joined(data.get("types", [])),
                      "iri": data.get("iri", ""), "aliases": joined(data.get("aliases", [])),
                      "description": data.get("description", "")}
        date = data.get("date") or {}
        for part in ("edtf", "precision", "earliest", "latest"):
            if date.get(part):
                attributes[f"date_{part}"] = date[part]
        for name, value in table.get(node, {}).items():
            if name not in ("label", "kind", "type") and value is not None:
                attributes[name] = value
        graph.add_node(node, **attributes, **_interval(data["kind"], date))
    for u, v, key, data in sorted(relation.edges(keys=True, data=True), key=lambda e: e[2]):
        attributes = {"label": data["relation"], "fact": key, "relation": data["relation"], "status": data["status"],
                      "document": data["document"], "attributed_to": joined(data.get("attributed_to", [])),
                      "quotes": joined(quote for quote, _, _ in data.get("evidence", []))}
        date = data.get("date") or {}
        if date.get("edtf"):
            attributes["date_edtf"] = date["edtf"]
        graph.add_edge(u, v, key=key, **attributes, **_interval(relation.nodes[u]["kind"], date))
    return graph


def _type(values) -> str:
    """The XML Schema type that holds every value: boolean, long, double or string."""
    kinds = {bool if isinstance(v, bool) else int if isinstance(v, int) else float if isinstance(v, float) else str
             for v in values}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _columns(items, skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each attribute's name (in order of first use) and type, over the attribute dicts ``items``."""
    values: dict[str, list] = {}
    for data in items:
        for name, value in data.items():
            if name not in skip:
                values.setdefault(name, []).append(value)
    return [(name, _type(found)) for name, found in values.items()]


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


class _Writer:
    """An indenting, streaming XML writer: the bytes :class:`xml.sax.saxutils.XMLGenerator` writes
    (its escaping, ``short_empty_elements``), without its per-call layers, which cost seconds at 10k documents."""

    def __init__(self, out):
        self._write, self.depth, self._open = out.write, 0, False
        self._write('<?xml version="1.0" encoding="utf-8"?>\n')

    def _start(self, name: str, attributes: dict) -> None:
        self._close_start()
        self._write("<" + name + "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items()))
        self._open = True  # the start tag is left open: an element with nothing inside is written <name/>

    def _close_start(self) -> None:
        if self._open:
            self._write(">")
            self._open = False

    def _space(self, text: str) -> None:
        if text:
            self._close_start()
            self._write(text)

    def children(self, make) -> None:
        """Write the text ``make(indent)`` gives as the open element's children (``indent`` starts each line)."""
        self._space(make("\n" + "  " * self.depth))

    def _end(self, name: str) -> None:
        if self._open:
            self._write("/>")
            self._open = False
        else:
            self._write(f"</{name}>")

    def empty(self, name: str, attributes: dict) -> None:
        self._space("\n" + "  " * self.depth)
        self._start(name, attributes)
        self._end(name)

    def text(self, name: str, attributes: dict, text: str) -> None:
        self._space("\n" + "  " * self.depth)
        self._start(name, attributes)
        if text:
            self._close_start()
            self._write(escape(text))
        self._end(name)

    @contextmanager
    def element(self, name: str, attributes: dict | None = None):
        self._space(("\n" if self.depth else "") + "  " * self.depth)
        self._start(name, attributes or {})
        self.depth += 1
        yield
        self.depth -= 1
        self._space("\n" + "  " * self.depth)
        self._end(name)


# The two loops that write most of each file (600,000 elements at 10k documents), as one string per node
# or edge; ``keys`` hold the attribute values already quoted. They write what _Writer.text and .empty would.
def _data_elements(data: dict, keys: dict[str, str], indent: str) -> str:
    return "".join(f"{indent}<data key={keys[name]}>{escape(text)}</data>" if (text := _text(value))
                   else f"{indent}<data key={keys[name]}/>" for name, value in data.items())


def _attvalues(data: dict, ids: dict[str, str], skip: tuple[str, ...], indent: str) -> str:
    return "".join(f"{indent}<attvalue for={ids[name]} value={quoteattr(_text(value))}/>"
                   for name, value in data.items() if name not in skip)


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML 1.0, valid against its XSD (timeline ``start``/``end`` kept as plain attributes)."""
    nodes = _columns((d for _, d in graph.nodes(data=True)), ())
    edges = _columns((d for *_, d in graph.edges(data=True)), ())
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        xml = _Writer(out)
        with xml.element("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": XSI_NS, "xsi:schemaLocation":
                                     f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"}):
            for prefix, where, columns in (("n", "node", nodes), ("e", "edge", edges)):
                for number, (name, kind) in enumerate(columns):
                    xml.empty("key", {"id": f"{prefix}{number}", "for": where, "attr.name": name, "attr.type": kind})
            node_keys = {name: quoteattr(f"n{number}") for number, (name, _) in enumerate(nodes)}
            edge_keys = {name: quoteattr(f"e{number}") for number, (name, _) in enumerate(edges)}
            with xml.element("graph", {"id": "G", "edgedefault": "directed"}):
                for node, data in graph.nodes(data=True):
                    with xml.element("node", {"id": xml_id(node)}):
                        xml.children(partial(_data_elements, data, node_keys))
                for source, target, key, data in graph.edges(keys=True, data=True):
                    with xml.element("edge", {"id": xml_id(key), "source": xml_id(source), "target": xml_id(target)}):
                        xml.children(partial(_data_elements, data, edge_keys))
        out.write("\n")


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write GEXF 1.3, valid against its XSD: a dynamic graph whose dated nodes and edges have ``start``/``end``."""
    timeline = ("label", "start", "end")
    nodes = _columns((d for _, d in graph.nodes(data=True)), timeline)
    edges = _columns((d for *_, d in graph.edges(data=True)), timeline)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        xml = _Writer(out)
        with xml.element("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": XSI_NS, "version": "1.3",
                                  "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"}):
            with xml.element("meta"):
                xml.text("creator", {}, "faction-kg")
                xml.text("description", {}, "The relation graph: one edge per curated fact, with every metric")
            with xml.element("graph", {"defaultedgetype": "directed", "mode": "dynamic", "timeformat": "date",
                                       "timerepresentation": "interval"}):
                for where, columns in (("node", nodes), ("edge", edges)):
                    with xml.element("attributes", {"class": where, "mode": "static"}):
                        for number, (name, kind) in enumerate(columns):
                            xml.empty("attribute", {"id": str(number), "title": name, "type": kind})
                node_ids = {name: quoteattr(str(number)) for number, (name, _) in enumerate(nodes)}
                edge_ids = {name: quoteattr(str(number)) for number, (name, _) in enumerate(edges)}
                with xml.element("nodes", {"count": str(graph.number_of_nodes())}):
                    for node, data in graph.nodes(data=True):
                        own = {"id": xml_id(node), **{name: data[name] for name in timeline if name in data}}
                        with xml.element("node", own), xml.element("attvalues"):
                            xml.children(partial(_attvalues, data, node_ids, timeline))
                with xml.element("edges", {"count": str(graph.number_of_edges())}):
                    for source, target, key, data in graph.edges(keys=True, data=True):
                        # kind: Gephi keeps parallel edges apart when their kinds differ.
                        own = {"id": xml_id(key), "source": xml_id(source), "target": xml_id(target),
                               "kind": data["relation"], **{name: data[name] for name in timeline if name in data}}
                        with xml.element("edge", own), xml.element("attvalues"):
                            xml.children(partial(_attvalues, data, edge_ids, timeline))
        out.write("\n")
