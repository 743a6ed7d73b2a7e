"""Exports for Gephi and Cytoscape: ``kg.graphml`` and ``kg.gexf``.

Both hold the relation graph (every node; one directed edge per curated
fact, keyed by the fact), with node types, labels and every metric as
attributes. Neither format holds lists, so lists become sorted
``"; "``-joined strings, and an undefined metric is simply left out. In
GEXF each dated edge carries ``start`` and ``end`` (its earliest and latest
possible day) so Gephi's timeline can play the graph; the writer's
``lastmodifieddate`` is dropped so the file is the same on every run.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

__all__ = ["export_graph", "write_graphml", "write_gexf", "joined"]


def joined(values) -> str:
    """A list as one sorted ``"; "``-joined string.

    Examples
    --------
    >>> joined(["b", "a"]), joined([])
    ('a; b', '')
    """
    return "; ".join(sorted(str(v) for v in values))


def export_graph(relation: nx.MultiDiGraph, table: dict[str, dict]) -> nx.MultiDiGraph:
    """The relation graph with flat, typed attributes only: strings, numbers, and dates as strings.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/a", label="A", kind="person", types=["Person"], aliases=["Al A"], iri="x", description="")
    >>> _ = g.add_edge("id/a", "id/a", key="fact/d/1", relation="memberOf", status="reported", document="document/d",
    ...                attributed_to=[], evidence=[("q", 0, 1)],
    ...                date={"edtf": "2024", "earliest": "2024-01-01", "latest": "2024-12-31"})
    >>> e = export_graph(g, {"id/a": {"label": "A", "degree": 1, "pagerank": None}})
    >>> e.nodes["id/a"]["aliases"], "pagerank" in e.nodes["id/a"], e.edges["id/a", "id/a", "fact/d/1"]["start"]
    ('Al A', False, '2024-01-01')
    """
    graph = nx.MultiDiGraph(mode="dynamic")
    for node in sorted(relation):
        data = relation.nodes[node]
        attributes = {"label": data["label"], "kind": data["kind"], "type": joined(data.get("types", [])),
                      "iri": data.get("iri", ""), "aliases": joined(data.get("aliases", [])),
                      "description": data.get("description", "")}
        date = data.get("date") or {}
        for part in ("edtf", "precision", "earliest", "latest"):
            if date.get(part):
                attributes[f"date_{part}"] = date[part]
        for name, value in table.get(node, {}).items():
            if name not in ("label", "kind", "type") and value is not None:
                attributes[name] = value
        graph.add_node(node, **attributes)
    for u, v, key, data in sorted(relation.edges(keys=True, data=True), key=lambda e: e[2]):
        attributes = {"id": key, "label": data["relation"], "relation": data["relation"], "status": data["status"],
                      "document": data["document"], "attributed_to": joined(data.get("attributed_to", [])),
                      "quotes": joined(quote for quote, _, _ in data.get("evidence", []))}
        date = data.get("date") or {}
        if date.get("edtf"):
            attributes["date_edtf"] = date["edtf"]
        if date.get("earliest"):
            attributes["start"] = date["earliest"]
        if date.get("latest"):
            attributes["end"] = date["latest"]
        graph.add_edge(u, v, key=key, **attributes)
    return graph


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML (edge ``start``/``end`` kept as plain attributes)."""
    plain = graph.copy()
    plain.graph.clear()
    for *_, data in plain.edges(data=True):
        data.pop("id", None)
    nx.write_graphml(plain, path, encoding="utf-8", infer_numeric_types=True)


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write GEXF 1.2 with dynamic edges, without the writer's date stamp."""
    text = "\n".join(nx.generate_gexf(graph))
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    Path(path).write_text(text + "\n", encoding="utf-8")
