"""Threats and follow-through: was a threat followed by an attack by the same actor?

A threat is *followed* when the same actor claimed or carried out an attack
(a ``claimedBy`` or ``perpetrator`` fact) whose earliest possible day is on
or after the threat's earliest possible day and no later than ``window``
days after the threat's latest possible day. Otherwise it is *not
followed*; a threat or an attack without a known earliest day cannot match.

"The same actor" is the threat's speaker, the organization it spoke for
(``onBehalfOf``), any organization in which the speaker holds a post (a role
relation such as ``spokespersonOf``), and the umbrella group or body that
any of these is part of or claims to be part of (``partOf``,
``claimsPartOf``). This is the rule of
``queries/07-threat-follow-through.rq``, and gives the same answers.

Beside the computed answer stands what the source itself says
(``kg:followedThrough``), where it says it.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .projections import BELONGING_RELATIONS, ROLE_RELATIONS
from .settings import WINDOW_DAYS

__all__ = ["ThreatOutcome", "threat_outcomes", "same_actors", "ThreatContext", "threat_context", "followed_counts",
           "CONTEXT_WINDOWS", "SCOPES"]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass
class ThreatOutcome:
    """One threat, the actors it is held to, and whether an attack followed within the window."""

    threat: str
    label: str
    edtf: str | None
    earliest: str | None
    latest: str | None
    window_days: int
    window_end: str | None
    actors: dict[str, list[str]] = field(default_factory=dict)  # actor -> facts that tie it to the threat
    followed_by: list[dict] = field(default_factory=list)  # attacks in the window
    next_attack: dict | None = None  # the first attack by the same actors on or after the threat, if any
    source_says: bool | None = None
    source_facts: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    @property
    def followed(self) -> bool:
        return bool(self.followed_by)

    @property
    def outcome(self) -> str:
        if self.earliest is None:
            return "not followed (threat date unknown)"
        return "followed" if self.followed else "not followed"

    @property
    def source_outcome(self) -> str:
        return {True: "carried out", False: "not carried out", None: "not stated"}[self.source_says]


def same_actors(graph: nx.MultiDiGraph, threat: str) -> dict[str, list[str]]:
    """The actors a threat is held to, each with the facts that tie it to the threat.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("id/t", "id/p", key="fact/d/1", relation="speaker")
    >>> _ = g.add_edge("id/p", "id/g", key="fact/d/2", relation="spokespersonOf")
    >>> _ = g.add_edge("id/g", "id/u", key="fact/d/3", relation="partOf")
    >>> same_actors(g, "id/t")
    {'id/g': ['fact/d/1', 'fact/d/2'], 'id/p': ['fact/d/1'], 'id/u': ['fact/d/1', 'fact/d/2', 'fact/d/3']}
    """
    actors: dict[str, set[str]] = {}
    speakers = []
    for _, actor, key, data in graph.out_edges(threat, keys=True, data=True):
        if data["relation"] in ("speaker", "onBehalfOf"):
            actors.setdefault(actor, set()).add(key)
            if data["relation"] == "speaker":
                speakers.append((actor, key))
    for speaker, speaker_fact in speakers:
        for _, org, key, data in graph.out_edges(speaker, keys=True, data=True):
            if data["relation"] in ROLE_RELATIONS:
                actors.setdefault(org, set()).update({speaker_fact, key})
    for actor, why in sorted(actors.items()):
        for _, umbrella, key, data in graph.out_edges(actor, keys=True, data=True):
            if data["relation"] in BELONGING_RELATIONS:
                actors.setdefault(umbrella, set()).update(why | {key})
    return {actor: sorted(why) for actor, why in sorted(actors.items())}


def _attack_index(graph: nx.MultiDiGraph) -> dict[str, list[tuple]]:
    """Per actor: ``(earliest day, attack, fact, data)`` of each attack it claimed or carried out, by day."""
    index: dict[str, list[tuple]] = defaultdict(list)
    for event, actor, key, data in graph.edges(keys=True, data=True):
        node = graph.nodes[event]
        earliest = (node.get("date") or {}).get("earliest")
        if data["relation"] in ("claimedBy", "perpetrator") and "Attack" in node.get("types", []) and earliest:
            index[actor].append((earliest, event, key, data))
    for entries in index.values():
        entries.sort(key=lambda entry: entry[:3])
    return index


def _attacks(graph: nx.MultiDiGraph, hits: list[tuple]) -> list[dict]:
    """``(earliest, attack, fact, data, actor)`` hits as one record per attack, by day."""
    attacks: dict[str, dict] = {}
    for earliest, event, key, data, actor in hits:
        node = graph.nodes[event]
        entry = attacks.setdefault(event, {"attack": event, "label": node["label"],
                                           "edtf": (node.get("date") or {}).get("edtf"), "earliest": earliest,
                                           "facts": set(), "documents": set(), "by": set()})
        entry["facts"].add(key)
        entry["documents"].add(data["document"])
        entry["by"].add(f"{data['relation']} {actor}")
    result = [dict(a, facts=sorted(a["facts"]), documents=sorted(a["documents"]), by=sorted(a["by"]))
              for a in attacks.values()]
    return sorted(result, key=lambda a: (a["earliest"], a["attack"]))


def _attacks_from(index: dict, actors, first: str, last: str) -> tuple[list[tuple], list[tuple]]:
    """Hits of ``actors`` whose earliest day is in ``first..last``, and the hits of the first attack after."""
    inside, after = [], []
    for actor in actors:
        entries = index.get(actor, [])
        position = bisect_left(entries, first, key=lambda entry: entry[0])
        while position < len(entries) and entries[position][0] <= last:
            inside.append((*entries[position], actor))
            position += 1
        after += [(*entry, actor) for entry in entries[position:position + 1]]
    if after:
        first_after = min((hit[0], hit[1]) for hit in after)
        after = [(*entry, actor) for actor in actors for entry in index.get(actor, [])
                 if (entry[0], entry[1]) == first_after]
    return inside, after


def threat_outcomes(graph: nx.MultiDiGraph, window_days: int = WINDOW_DAYS) -> list[ThreatOutcome]:
    """Every threat with its computed follow-through and what its source says, in date order.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> day = lambda d: {"edtf": d, "precision": "day", "earliest": d, "latest": d}
    >>> g.add_node("id/t", label="T", kind="statement", types=["Statement", "Threat"], date=day("2024-01-01"),
    ...            followed_through=False)
    >>> g.add_node("id/e", label="E", kind="event", types=["Attack"], date=day("2024-01-20"))
    >>> g.add_node("id/g", label="G", kind="organization", types=["ArmedGroup"])
    >>> _ = g.add_edge("id/t", "id/g", key="fact/d/1", relation="speaker", document="document/d")
    >>> _ = g.add_edge("id/e", "id/g", key="fact/d/2", relation="claimedBy", document="document/d")
    >>> [(t.outcome, t.source_outcome) for t in threat_outcomes(g, window_days=30)]
    [('followed', 'not carried out')]
    >>> [t.outcome for t in threat_outcomes(g, window_days=10)]
    ['not followed']
    """
    outcomes = []
    index = _attack_index(graph)
    said: dict[str, list[str]] = {}
    for key, fact in graph.graph.get("value_facts", {}).items():
        if fact["relation"] == "followedThrough":
            said.setdefault(fact["subject"], []).append(key)
    for threat, node in graph.nodes(data=True):
        if "Threat" not in node.get("types", []):
            continue
        date = node.get("date") or {}
        earliest, latest = _day(date.get("earliest")), _day(date.get("latest"))
        end = (latest or earliest) + dt.timedelta(days=window_days) if earliest else None
        actors = same_actors(graph, threat)
        outcome = ThreatOutcome(threat, node["label"], date.get("edtf"), date.get("earliest"), date.get("latest"),
                                window_days, end.isoformat() if end else None, actors)
        if earliest:
            inside, after = _attacks_from(index, actors, earliest.isoformat(), end.isoformat())
            outcome.followed_by = _attacks(graph, inside)
            later = outcome.followed_by or _attacks(graph, after)
            outcome.next_attack = later[0] if later else None
        outcome.source_says = node.get("followed_through")
        outcome.source_facts = sorted(said.get(threat, []))
        own = [(k, d["document"]) for *_, k, d in graph.out_edges(threat, keys=True, data=True)]
        outcome.facts = sorted({k for k, _ in own} | set(outcome.source_facts))
        outcome.documents = sorted({d for _, d in own})
        outcomes.append(outcome)
    return sorted(outcomes, key=lambda o: (o.earliest or "9999", o.threat))


#: The windows of the follow-through table, in days.
CONTEXT_WINDOWS = (7, 30, 90)
SCOPES = ("same actor", "tied group", "any actor")


@dataclass
class ThreatContext:
    """A threat and the nearest later attack by the same actor, by a group tied to it, and by any actor.

    Each nearest attack is ``{"attack", "label", "edtf", "earliest", "gap", "facts", "documents"}`` or None;
    ``gap`` is the number of days from the threat's latest possible day to the attack's earliest (0 if the
    attack may fall within the threat's own span).
    """

    threat: ThreatOutcome
    tied: list[str]
    nearest: dict[str, dict | None]


def threat_context(graph: nx.MultiDiGraph, threats: list[ThreatOutcome], actor_graph: nx.Graph) -> list[ThreatContext]:
    """For each dated threat, the nearest later attack per scope (see :data:`SCOPES`).

    "Later" means an earliest possible day after the threat's earliest possible day; the event a threat
    answers (``inResponseTo``) does not count.
    "Tied group" is any actor linked in ``actor_graph`` (the actor network) to one of the threat's actors.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> day = lambda d: {"edtf": d, "precision": "day", "earliest": d, "latest": d}
    >>> g.add_node("id/t", label="T", kind="statement", types=["Threat"], date=day("2024-01-01"))
    >>> g.add_node("id/e", label="E", kind="event", types=["Attack"], date=day("2024-03-01"))
    >>> g.add_node("id/g", label="G", kind="organization"); g.add_node("id/h", label="H", kind="organization")
    >>> _ = g.add_edge("id/t", "id/g", key="f1", relation="speaker", document="document/d")
    >>> _ = g.add_edge("id/e", "id/h", key="f2", relation="claimedBy", document="document/d")
    >>> context = threat_context(g, threat_outcomes(g), nx.Graph([("id/g", "id/h")]))
    >>> [(scope, (n or {}).get("gap")) for scope, n in context[0].nearest.items()]
    [('same actor', None), ('tied group', 60), ('any actor', 60)]
    """
    index = {actor: [(*entry, actor) for entry in entries] for actor, entries in _attack_index(graph).items()}
    everyone = sorted((hit for hits in index.values() for hit in hits), key=lambda hit: (*hit[:3], hit[4]))
    contexts = []
    for threat in threats:
        if not threat.earliest:
            continue
        start, end = threat.earliest, threat.latest or threat.earliest
        causes = {v for _, v, relation in graph.out_edges(threat.threat, data="relation") if relation == "inResponseTo"}
        same = set(threat.actors)
        tied = sorted({n for a in same if a in actor_graph for n in actor_graph[a]} - same)
        nearest = {}
        for scope, lists in zip(SCOPES, ([index.get(a, []) for a in sorted(same)],
                                         [index.get(a, []) for a in tied], [everyone])):
            attacks = _attacks(graph, _first_attack_after(lists, start, causes))
            if attacks:
                first = attacks[0]
                first["gap"] = max(0, (_day(first["earliest"]) - _day(end)).days)
                nearest[scope] = first
            else:
                nearest[scope] = None
        contexts.append(ThreatContext(threat, tied, nearest))
    return contexts


def _first_attack_after(lists: list[list[tuple]], start: str, causes: set[str]) -> list[tuple]:
    """Every hit of the first attack (by earliest day, then id) after ``start`` that is not among ``causes``.

    Each list holds ``(earliest, attack, fact, data, actor)`` hits sorted by day and attack, so the first
    later attack of each list is found by bisection: a threat costs a few steps per actor, not every attack.
    """
    first = None
    for hits in lists:
        position = bisect_right(hits, start, key=lambda hit: hit[0])
        while position < len(hits) and hits[position][1] in causes:
            position += 1
        if position < len(hits) and (first is None or hits[position][:2] < first):
            first = hits[position][:2]
    if first is None:
        return []
    found = []
    for hits in lists:
        position = bisect_left(hits, first[0], key=lambda hit: hit[0])
        while position < len(hits) and hits[position][0] == first[0]:
            if hits[position][1] == first[1]:
                found.append(hits[position])
            position += 1
    return found


def followed_counts(contexts: list[ThreatContext], windows=CONTEXT_WINDOWS) -> dict[int, dict[str, list[str]]]:
    """For each window, per scope, the threats with an attack in that scope within that many days.

    Examples
    --------
    >>> t = ThreatOutcome("id/t", "T", "2024", "2024-01-01", "2024-01-01", 30, None)
    >>> c = ThreatContext(t, [], {"same actor": None, "tied group": {"gap": 20}, "any actor": {"gap": 5}})
    >>> followed_counts([c])[7]
    {'same actor': [], 'tied group': [], 'any actor': ['id/t']}
    """
    return {w: {scope: [c.threat.threat for c in contexts
                        if c.nearest.get(scope) is not None and c.nearest[scope]["gap"] <= w] for scope in SCOPES}
            for w in windows}
