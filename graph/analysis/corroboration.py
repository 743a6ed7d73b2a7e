"""Claim corroboration: how many documents and channels stand behind each claimed attack.

A claim is one actor's claim of one attack. It rests on:

* the ``claimedBy`` facts naming that actor for the attack, and
* the claims of responsibility (statements with ``claimsResponsibilityFor``)
  made by the actor, or by a speaker on its behalf (``onBehalfOf``).

Its **documents** are the source documents of those facts. Its **channels**
are the outlets, channels or platforms the claim came through: the ``via`` of
its statements, and any outlet a document ``cites`` in the very passage that
states the claim (the citation's quote overlaps the claim's quote). A
platform is not counted beside a channel on that platform (``onPlatform``):
the IRI's Telegram channel and Telegram are one route, not two. A claim,
or an attack, that rests on at most one document and at most one channel
rests on a *single channel*: nothing independent corroborates it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["Claim", "ClaimedAttack", "claimed_attacks"]


@dataclass
class Claim:
    """One actor's claim of one attack."""

    attack: str
    claimant: str
    statements: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    @property
    def single_channel(self) -> bool:
        return len(self.documents) <= 1 and len(self.channels) <= 1


@dataclass
class ClaimedAttack:
    """An attack that at least one actor claimed, with all its claims."""

    attack: str
    label: str
    edtf: str | None
    claims: list[Claim] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return sorted({d for c in self.claims for d in c.documents})

    @property
    def channels(self) -> list[str]:
        return sorted({ch for c in self.claims for ch in c.channels})

    @property
    def facts(self) -> list[str]:
        return sorted({f for c in self.claims for f in c.facts})

    @property
    def single_channel(self) -> bool:
        return len(self.documents) <= 1 and len(self.channels) <= 1


def _overlaps(spans_a, spans_b) -> bool:
    return any(a_start < b_end and b_start < a_end for _, a_start, a_end in spans_a for _, b_start, b_end in spans_b)


def claimed_attacks(graph: nx.MultiDiGraph) -> list[ClaimedAttack]:
    """Every claimed attack with its claims, documents and channels, sorted by attack key.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/e", label="E", kind="event", types=["Attack"], date={"edtf": "2024-07"})
    >>> g.add_node("id/s", label="S", kind="statement", types=["ClaimOfResponsibility", "Statement"])
    >>> for key in ("id/g", "id/tv", "document/d"):
    ...     g.add_node(key, label=key, kind="other", types=[])
    >>> ev = [("quote", 0, 10)]
    >>> _ = g.add_edge("id/e", "id/g", key="fact/d/1", relation="claimedBy", document="document/d", evidence=ev)
    >>> _ = g.add_edge("id/s", "id/g", key="fact/d/2", relation="speaker", document="document/d", evidence=ev)
    >>> _ = g.add_edge("id/s", "id/e", key="fact/d/3", relation="claimsResponsibilityFor", document="document/d",
    ...                evidence=ev)
    >>> _ = g.add_edge("document/d", "id/tv", key="fact/d/4", relation="cites", document="document/d",
    ...                evidence=[("cite", 5, 20)])
    >>> attack = claimed_attacks(g)[0]
    >>> attack.claims[0].claimant, attack.channels, attack.documents, attack.single_channel
    ('id/g', ['id/tv'], ['document/d'], True)
    """
    claims: dict[tuple[str, str], dict] = defaultdict(lambda: {"statements": set(), "facts": set(), "documents": set(),
                                                               "evidence": []})

    def add(attack, claimant, key, data):
        entry = claims[(attack, claimant)]
        entry["facts"].add(key)
        entry["documents"].add(data["document"])
        entry["evidence"].extend((data["document"], e) for e in data.get("evidence", []))

    for event, actor, key, data in graph.edges(keys=True, data=True):
        if data["relation"] == "claimedBy" and "Attack" in graph.nodes[event].get("types", []):
            add(event, actor, key, data)
    for statement, event, key, data in graph.edges(keys=True, data=True):
        if data["relation"] != "claimsResponsibilityFor" or "Attack" not in graph.nodes[event].get("types", []):
            continue
        parts = [(v, k, d) for _, v, k, d in graph.out_edges(statement, keys=True, data=True)]
        for_whom = [p for p in parts if p[2]["relation"] == "onBehalfOf"]
        claimants = for_whom or [p for p in parts if p[2]["relation"] == "speaker"]
        for claimant, claimant_fact, claimant_data in claimants:
            add(event, claimant, key, data)
            add(event, claimant, claimant_fact, claimant_data)
            claims[(event, claimant)]["statements"].add(statement)
            for v, k, d in parts:
                if d["relation"] == "via":
                    add(event, claimant, k, d)
                    claims[(event, claimant)].setdefault("via", set()).add(v)
    citations: dict[str, list] = defaultdict(list)
    for doc, cited, key, data in graph.edges(keys=True, data=True):
        if data["relation"] == "cites":
            citations[doc].append((cited, key, data))
    platforms = [(channel, platform, key) for channel, platform, key, data in graph.edges(keys=True, data=True)
                 if data["relation"] == "onPlatform"]
    attacks: dict[str, ClaimedAttack] = {}
    for (event, claimant), entry in sorted(claims.items()):
        documents = entry["documents"]
        channels = set(entry.get("via", set()))
        facts = set(entry["facts"])
        for doc in sorted(documents):
            spans = [e for d, e in entry["evidence"] if d == doc]
            for cited, key, data in citations.get(doc, []):
                if _overlaps(spans, data.get("evidence", [])):
                    channels.add(cited)
                    facts.add(key)
        for channel, platform, key in platforms:
            if channel in channels and platform in channels:
                channels.discard(platform)
                facts.add(key)
        node = graph.nodes[event]
        attack = attacks.setdefault(event, ClaimedAttack(event, node["label"], (node.get("date") or {}).get("edtf")))
        attack.claims.append(Claim(event, claimant, sorted(entry["statements"]), sorted(facts), sorted(documents),
                                   sorted(channels)))
    return [attacks[key] for key in sorted(attacks)]
