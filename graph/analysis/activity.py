"""Activity per actor over time: claims, attacks, statements and threats.

An item is dated as precisely as its source dates it. It is counted under
its month when its earliest and latest possible days fall in one month, and
otherwise under the span of months it may fall in (``2023-11..2023-12``,
``open..2024-01`` when the start is unknown), never pinned to one day or
month. This follows ``queries/10-activity-per-month.rq``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

__all__ = ["ActivityItem", "ActivityRow", "activity_items", "activity_table", "period", "ACTIVITY_KINDS"]

#: Kinds of activity, in report order.
ACTIVITY_KINDS = ("claimed attack", "reported attack", "statement", "threat")


@dataclass(frozen=True)
class ActivityItem:
    """One thing an actor did or said, with the facts that tie it to the actor."""

    actor: str
    kind: str
    record: str
    label: str
    edtf: str | None
    precision: str
    earliest: str | None
    latest: str | None
    facts: tuple[str, ...]
    documents: tuple[str, ...]

    @property
    def period(self) -> str:
        return period(self.earliest, self.latest)


@dataclass(frozen=True)
class ActivityRow:
    """How many items of one kind an actor has in one period, and which."""

    actor: str
    period: str
    kind: str
    items: tuple[str, ...]
    facts: tuple[str, ...]
    documents: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.items)


def period(earliest: str | None, latest: str | None) -> str:
    """The month an item falls in, or the span of months it may fall in.

    Examples
    --------
    >>> period("2023-12-01", "2023-12-31"), period("2023-11-01", "2024-01-07")
    ('2023-12', '2023-11..2024-01')
    >>> period(None, "2024-01-07"), period("2023-10-07", None), period(None, None)
    ('open..2024-01', '2023-10..open', 'unknown')
    """
    if earliest is None and latest is None:
        return "unknown"
    start = earliest[:7] if earliest else "open"
    end = latest[:7] if latest else "open"
    return start if start == end else f"{start}..{end}"


def activity_items(graph: nx.MultiDiGraph) -> list[ActivityItem]:
    """Every claimed attack, reported attack, statement and threat, per actor.

    A claimed attack is an attack with a ``claimedBy`` fact naming the actor; a
    reported attack one with a ``perpetrator`` fact; a statement (and a threat,
    a statement of type Threat) one whose ``speaker`` is the actor. A threat
    counts both as a statement and as a threat.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/a", label="A", kind="organization", types=["ArmedGroup"])
    >>> g.add_node("id/e", label="E", kind="event", types=["Attack"],
    ...            date={"edtf": "2024-01", "precision": "month", "earliest": "2024-01-01", "latest": "2024-01-31"})
    >>> _ = g.add_edge("id/e", "id/a", key="fact/d/1", relation="claimedBy", document="document/d")
    >>> [(i.kind, i.period) for i in activity_items(g)]
    [('claimed attack', '2024-01')]
    """
    found: dict[tuple[str, str, str], dict] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        record = graph.nodes[u]
        kinds = []
        if data["relation"] == "claimedBy" and "Attack" in record["types"]:
            kinds = ["claimed attack"]
        elif data["relation"] == "perpetrator" and "Attack" in record["types"]:
            kinds = ["reported attack"]
        elif data["relation"] == "speaker" and record["kind"] == "statement":
            kinds = ["statement"] + (["threat"] if "Threat" in record["types"] else [])
        for kind in kinds:
            entry = found.setdefault((v, kind, u), {"facts": set(), "documents": set()})
            entry["facts"].add(key)
            entry["documents"].add(data["document"])
    items = []
    for (actor, kind, record), entry in found.items():
        node = graph.nodes[record]
        date = node.get("date") or {}
        items.append(ActivityItem(actor, kind, record, node["label"], date.get("edtf"),
                                  date.get("precision", "unknown"), date.get("earliest"), date.get("latest"),
                                  tuple(sorted(entry["facts"])), tuple(sorted(entry["documents"]))))
    return sorted(items, key=lambda i: (i.actor, i.earliest or "", i.latest or "~", i.kind, i.record))


def activity_table(items: list[ActivityItem]) -> list[ActivityRow]:
    """Items counted per actor, period and kind, sorted by actor, period and kind.

    Examples
    --------
    >>> item = ActivityItem("id/a", "statement", "id/s", "S", "2024-01-05", "day", "2024-01-05", "2024-01-05",
    ...                     ("fact/d/1",), ("document/d",))
    >>> [(r.actor, r.period, r.kind, r.count) for r in activity_table([item])]
    [('id/a', '2024-01', 'statement', 1)]
    """
    rows: dict[tuple[str, str, str], list[ActivityItem]] = defaultdict(list)
    for item in items:
        rows[(item.actor, item.period, item.kind)].append(item)
    return [ActivityRow(actor, when, kind, tuple(sorted(i.record for i in group)),
                        tuple(sorted({f for i in group for f in i.facts})),
                        tuple(sorted({d for i in group for d in i.documents})))
            for (actor, when, kind), group in sorted(rows.items())]
