"""The summary and data-quality figures: what the graph holds, from where, and what is missing.

Facts here are all curated facts: the edges of the relation graph and the
facts whose object is a value (``graph.graph["value_facts"]``). A fact is
*unsourced* when it names no source document in the graph or has no
verbatim quote; the build refuses such facts, so the count must be zero.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Quality", "Summary", "all_facts", "quality", "summary", "RECORD_KINDS"]

#: Node kinds that are curated records or documents rather than registry entities.
RECORD_KINDS = ("event", "statement", "document")


def all_facts(graph: nx.MultiDiGraph) -> dict[str, dict]:
    """Every curated fact, keyed by fact: the relation graph's edges and the value facts.

    Examples
    --------
    >>> g = nx.MultiDiGraph(value_facts={"fact/d/2": {"subject": "a", "relation": "date", "document": "document/d"}})
    >>> _ = g.add_edge("a", "b", key="fact/d/1", relation="memberOf", document="document/d")
    >>> sorted(all_facts(g))
    ['fact/d/1', 'fact/d/2']
    """
    facts = {key: dict(data, subject=u, object=v) for u, v, key, data in graph.edges(keys=True, data=True)}
    for key, data in graph.graph.get("value_facts", {}).items():
        facts[key] = dict(data, object=None)
    return dict(sorted(facts.items()))


@dataclass
class Summary:
    """Counts by type, the period covered, and the sources."""

    nodes_by_kind: dict[str, list[str]] = field(default_factory=dict)
    nodes_by_type: dict[str, list[str]] = field(default_factory=dict)
    facts_by_status: dict[str, list[str]] = field(default_factory=dict)
    earliest: tuple[str, str] | None = None  # (day, record)
    latest: tuple[str, str] | None = None
    undated: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)


def summary(graph: nx.MultiDiGraph, facts: dict[str, dict] | None = None) -> Summary:
    """What the graph holds: nodes by kind and type, facts by status, dates and documents.

    The period covered runs from the earliest possible day to the latest
    possible day of any dated event or statement; records with an open or
    unknown bound are listed in ``undated`` and do not stretch it.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/e", kind="event", types=["Attack"], label="E",
    ...            date={"edtf": "2024-01", "earliest": "2024-01-01", "latest": "2024-01-31"})
    >>> s = summary(g)
    >>> s.nodes_by_kind, s.earliest, s.latest
    ({'event': ['id/e']}, ('2024-01-01', 'id/e'), ('2024-01-31', 'id/e'))
    """
    result = Summary()
    facts = all_facts(graph) if facts is None else facts
    by_kind, by_type = defaultdict(list), defaultdict(list)
    for node, data in sorted(graph.nodes(data=True)):
        by_kind[data["kind"]].append(node)
        for name in data.get("types", []):
            by_type[name].append(node)
    result.nodes_by_kind, result.nodes_by_type = dict(sorted(by_kind.items())), dict(sorted(by_type.items()))
    statuses = defaultdict(list)
    for key, fact in facts.items():
        statuses[fact.get("status", "unknown")].append(key)
    result.facts_by_status = dict(sorted(statuses.items()))
    starts, ends = [], []
    for node, data in sorted(graph.nodes(data=True)):
        if data["kind"] not in ("event", "statement"):
            continue
        date = data.get("date") or {}
        if date.get("earliest") and date.get("latest"):
            starts.append((date["earliest"], node))
            ends.append((date["latest"], node))
        else:
            result.undated.append(node)
    result.earliest = min(starts) if starts else None
    result.latest = max(ends) if ends else None
    facts_of = Counter(fact["document"] for fact in facts.values())
    for node, data in sorted(graph.nodes(data=True)):
        if data["kind"] == "document":
            result.documents.append({"document": node, "title": data["label"], "date": data.get("date") or {},
                                     "types": data.get("types", []), "facts": facts_of.get(node, 0)})
    return result


@dataclass
class Quality:
    """Facts per document, entities without facts, unsourced facts."""

    facts_per_document: dict[str, dict] = field(default_factory=dict)
    entities_without_facts: list[str] = field(default_factory=list)
    unsourced_facts: list[str] = field(default_factory=list)


def quality(graph: nx.MultiDiGraph, facts: dict[str, dict] | None = None) -> Quality:
    """The data-quality figures of a relation graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for key, kind in [("document/d", "document"), ("id/lonely", "person"), ("id/x", "person"),
    ...                   ("id/y", "organization")]:
    ...     g.add_node(key, kind=kind)
    >>> _ = g.add_edge("document/d", "id/x", key="fact/d/1", relation="cites", document="document/d", status="reported",
    ...                evidence=[("q", 0, 1)])
    >>> _ = g.add_edge("id/x", "id/y", key="fact/d/2", relation="memberOf", document="document/d", status="claimed",
    ...                evidence=[])
    >>> q = quality(g)
    >>> q.facts_per_document["document/d"]["total"], q.entities_without_facts, q.unsourced_facts
    (2, ['id/lonely'], ['fact/d/2'])
    """
    result = Quality()
    facts = all_facts(graph) if facts is None else facts
    documents = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "document")
    by_document: dict[str, dict] = defaultdict(dict)
    for key, fact in facts.items():
        by_document[fact["document"]][key] = fact
    for document in documents:
        mine = by_document.get(document, {})
        statuses = defaultdict(list)
        for key, fact in mine.items():
            statuses[fact.get("status", "unknown")].append(key)
        result.facts_per_document[document] = {
            "total": len(mine), "by_status": dict(sorted(statuses.items())), "facts": sorted(mine),
            "quotes": sum(len(f.get("evidence", [])) for f in mine.values())}
    in_facts = {f["subject"] for f in facts.values()} | {f["object"] for f in facts.values() if f["object"]}
    result.entities_without_facts = sorted(n for n, d in graph.nodes(data=True)
                                           if d["kind"] not in RECORD_KINDS and n not in in_facts)
    known = set(documents)
    result.unsourced_facts = sorted(k for k, f in facts.items()
                                    if f.get("document") not in known or not f.get("evidence"))
    return result
