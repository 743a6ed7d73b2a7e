"""Analytic views of the typed multigraph, where the raw graph would mislead.

Every view is derived from :func:`graph.network.typed_multigraph` and
nothing else. Each projected edge keeps the fact keys, relations and
documents behind it, so every number computed on a view can be traced back
to the facts that produced it.

* :func:`relation_graph`: the typed multigraph with only curated facts (the
  record-to-document provenance links are dropped), in a canonical order.
* :func:`actor_network`: organizations and people, linked by roles,
  memberships, claims to belong, backing, "front for", statements made for
  an organization and claims of the same event.
* :func:`coactivity_network`: groups linked by shared events, shared
  coordination bodies and co-mentions in the same document, weighted.
* :func:`person_org_graph`: people and the organizations they hold posts in
  or speak for (bipartite).

The projections read only fact edges (record-to-document provenance links
are skipped). They are undirected ``nx.Graph`` objects built in sorted
order, so the seeded algorithms run on them give the same answer on every
run, whatever order the RDF was read in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

import networkx as nx

__all__ = [
    "ACTOR_KINDS", "GROUP_KINDS", "ROLE_RELATIONS", "BELONGING_RELATIONS", "ACTOR_RELATIONS",
    "is_fact", "relation_graph", "actor_network", "coactivity_network", "person_org_graph",
    "relation_label", "actor_nodes",
]

#: Node kinds that can act: people (named or not), organizations, umbrella groups, collectives.
ACTOR_KINDS = ("person", "organization", "umbrella", "collective")
#: Node kinds that are groups (the co-activity network).
GROUP_KINDS = ("organization", "umbrella", "collective")
#: Relations that give a person a post in an organization or state (each yields an org:Membership).
ROLE_RELATIONS = ("commanderOf", "headOfStateOf", "leaderOf", "memberOf", "ministerOf", "secretaryGeneralOf",
                  "spokespersonOf")
#: A group belongs to an umbrella group, coordination body or coalition (reported), or claims to.
BELONGING_RELATIONS = ("claimsPartOf", "partOf")
#: Every direct fact relation that links two actors in the actor network.
ACTOR_RELATIONS = ROLE_RELATIONS + BELONGING_RELATIONS + ("backedBy", "frontFor")
#: Event relations that name who acted (claimed, carried out or declared it).
EVENT_ACTOR_RELATIONS = ("claimedBy", "declaredBy", "perpetrator")
SPOKE_FOR = "spoke for (statement)"
SAME_CLAIM = "claimed the same event"


def is_fact(key: str) -> bool:
    """Whether an edge key is a curated fact (not a record-to-document provenance link).

    Examples
    --------
    >>> is_fact("fact/jttm-2022-08-08/021dd12605d6306b"), is_fact("id/x->document/y")
    (True, False)
    """
    return key.startswith("fact/")


def relation_label(relation: str) -> str:
    """A relation name in plain words.

    Examples
    --------
    >>> relation_label("secretaryGeneralOf")
    'secretary general of'
    """
    return re.sub(r"(?<!^)(?=[A-Z])", " ", relation).lower()


def relation_graph(typed: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The typed multigraph with curated facts only, nodes and edges in sorted order.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/b", kind="person"); g.add_node("id/a", kind="organization")
    >>> g.add_edge("id/b", "id/a", key="fact/d/1", relation="memberOf")
    'fact/d/1'
    >>> g.add_edge("id/b", "document/d", key="id/b->document/d", relation="wasDerivedFrom")
    'id/b->document/d'
    >>> r = relation_graph(g)
    >>> list(r.nodes), [k for *_, k in r.edges(keys=True)]
    (['document/d', 'id/a', 'id/b'], ['fact/d/1'])
    """
    graph = nx.MultiDiGraph(**typed.graph)
    for node in sorted(typed.nodes):
        graph.add_node(node, **typed.nodes[node])
    edges = sorted((key, u, v, data) for u, v, key, data in typed.edges(keys=True, data=True) if is_fact(key))
    for key, u, v, data in edges:
        graph.add_edge(u, v, key=key, **data)
    return graph


def _link(links: dict, u: str, v: str, relation: str, facts, documents, records) -> None:
    """Add one reason for an undirected link between ``u`` and ``v``."""
    if u == v:
        return
    link = links[tuple(sorted((u, v)))]
    link["relations"].add(relation)
    link["facts"].update(facts)
    link["documents"].update(documents)
    link["records"].update(records)
    # A reason is what the link rests on: an event, a body, or (for co-mentions) a document.
    link["reasons"].add((relation, records[0] if records else documents[0]))


def _new_links() -> dict:
    return defaultdict(lambda: {"relations": set(), "facts": set(), "documents": set(), "records": set(),
                                "reasons": set()})


def _to_graph(nodes, links: dict, typed: nx.MultiDiGraph, weight_of=None) -> nx.Graph:
    graph = nx.Graph()
    for node in sorted(nodes):
        data = typed.nodes[node]
        graph.add_node(node, label=data["label"], kind=data["kind"], types=data["types"])
    for (u, v) in sorted(links):
        link = links[(u, v)]
        weight = weight_of(link) if weight_of else len(link["facts"])
        graph.add_edge(u, v, weight=weight, relations=sorted(link["relations"]), facts=sorted(link["facts"]),
                       documents=sorted(link["documents"]), records=sorted(link["records"]))
    return graph


def _out_edges(graph: nx.MultiDiGraph, relations) -> list[tuple[str, str, str, dict]]:
    """The fact edges with one of ``relations``."""
    return [(u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
            if d["relation"] in relations and is_fact(k)]


def actor_nodes(graph: nx.MultiDiGraph) -> set[str]:
    """Actors: people, organizations, umbrella groups and collectives, and any state linked to them by an
    actor relation (for example the country that backs a group)."""
    nodes = {n for n, d in graph.nodes(data=True) if d["kind"] in ACTOR_KINDS}
    for u, v, _, _ in _out_edges(graph, ACTOR_RELATIONS):
        for node in (u, v):
            if "Country" in graph.nodes[node]["types"]:
                nodes.add(node)
    return nodes


def _statement_speakers(graph: nx.MultiDiGraph) -> dict[str, dict[str, list]]:
    """For each statement: its speaker and on-behalf-of edges, as (actor, fact key, document)."""
    parts: dict[str, dict[str, list]] = defaultdict(lambda: {"speaker": [], "onBehalfOf": []})
    for u, v, key, data in _out_edges(graph, ("speaker", "onBehalfOf")):
        parts[u][data["relation"]].append((v, key, data["document"]))
    return parts


def actor_network(typed: nx.MultiDiGraph) -> nx.Graph:
    """Organizations and people, linked by roles, memberships, claims to belong, backing and statements.

    An edge exists when a fact links two actors with one of ``ACTOR_RELATIONS``,
    when a statement's speaker spoke on behalf of an organization, or when two
    actors are both named as claimants of the same event. Its ``weight`` is the
    number of facts behind it.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for key, kind in [("id/p", "person"), ("id/o", "organization"), ("id/s", "statement")]:
    ...     g.add_node(key, label=key, kind=kind, types=[])
    >>> _ = g.add_edge("id/p", "id/o", key="fact/d/1", relation="spokespersonOf", document="document/d")
    >>> _ = g.add_edge("id/s", "id/p", key="fact/d/2", relation="speaker", document="document/d")
    >>> _ = g.add_edge("id/s", "id/o", key="fact/d/3", relation="onBehalfOf", document="document/d")
    >>> a = actor_network(g)
    >>> a.edges["id/o", "id/p"]["facts"], a.edges["id/o", "id/p"]["relations"]
    (['fact/d/1', 'fact/d/2', 'fact/d/3'], ['spoke for (statement)', 'spokespersonOf'])
    """
    graph = typed
    nodes = actor_nodes(graph)
    links = _new_links()
    for u, v, key, data in _out_edges(graph, ACTOR_RELATIONS):
        if u in nodes and v in nodes:
            _link(links, u, v, data["relation"], [key], [data["document"]], [])
    for statement, parts in sorted(_statement_speakers(graph).items()):
        for speaker, speaker_fact, speaker_doc in parts["speaker"]:
            for org, org_fact, org_doc in parts["onBehalfOf"]:
                if speaker in nodes and org in nodes:
                    _link(links, speaker, org, SPOKE_FOR, [speaker_fact, org_fact], [speaker_doc, org_doc], [statement])
    claimants: dict[str, list] = defaultdict(list)
    for u, v, key, data in _out_edges(graph, ("claimedBy",)):
        claimants[u].append((v, key, data["document"]))
    for event, named in sorted(claimants.items()):
        for (a, fa, da), (b, fb, db) in combinations(sorted(named), 2):
            if a in nodes and b in nodes:
                _link(links, a, b, SAME_CLAIM, [fa, fb], [da, db], [event])
    return _to_graph(nodes, links, graph)


def coactivity_network(typed: nx.MultiDiGraph) -> nx.Graph:
    """Groups linked by shared events, shared coordination bodies and co-mentions in one document.

    The ``weight`` of an edge counts its reasons: each event both groups
    claimed, carried out or declared (``shared_event``), each umbrella group
    or body both belong to or claim to, or that one of them is
    (``shared_body``), and each document that mentions both
    (``same_document``). ``records`` names the events and bodies,
    ``documents`` the documents, ``facts`` the event and membership facts.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for key in ("id/a", "id/b"):
    ...     g.add_node(key, label=key, kind="organization", types=[])
    >>> g.add_node("id/e", label="e", kind="event", types=[])
    >>> _ = g.add_edge("id/e", "id/a", key="fact/d/1", relation="claimedBy", document="document/d")
    >>> _ = g.add_edge("id/e", "id/b", key="fact/d/2", relation="claimedBy", document="document/d")
    >>> edge = coactivity_network(g).edges["id/a", "id/b"]
    >>> edge["weight"], edge["shared_event"], edge["same_document"]
    (2, 1, 1)
    """
    graph = typed
    nodes = {n for n, d in graph.nodes(data=True) if d["kind"] in GROUP_KINDS}
    links = _new_links()
    actors_of: dict[str, list] = defaultdict(list)
    for u, v, key, data in _out_edges(graph, EVENT_ACTOR_RELATIONS):
        if v in nodes:
            actors_of[u].append((v, key, data["document"]))
    for event, named in sorted(actors_of.items()):
        for (a, fa, da), (b, fb, db) in combinations(sorted(named), 2):
            _link(links, a, b, "shared event", [fa, fb], [da, db], [event])
    members_of: dict[str, list] = defaultdict(list)
    for u, v, key, data in _out_edges(graph, BELONGING_RELATIONS):
        if u in nodes and v in nodes:
            members_of[v].append((u, key, data["document"]))
            _link(links, u, v, "shared body", [key], [data["document"]], [v])
    for body, members in sorted(members_of.items()):
        for (a, fa, da), (b, fb, db) in combinations(sorted(members), 2):
            _link(links, a, b, "shared body", [fa, fb], [da, db], [body])
    mentioned: dict[str, set] = defaultdict(set)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if is_fact(key):
            mentioned[data["document"]].update(n for n in (u, v) if n in nodes)
    for document, groups in sorted(mentioned.items()):
        for a, b in combinations(sorted(groups), 2):
            _link(links, a, b, "same document", [], [document], [])
    result = _to_graph(nodes, links, graph, weight_of=lambda link: len(link["reasons"]))
    for u, v, data in result.edges(data=True):
        reasons = links[(u, v)]["reasons"]
        for reason in ("shared event", "shared body", "same document"):
            data[reason.replace(" ", "_")] = sum(1 for r, _ in reasons if r == reason)
    return result


def person_org_graph(typed: nx.MultiDiGraph) -> nx.Graph:
    """People and the organizations (or states) they hold posts in or spoke for; bipartite.

    Nodes carry ``bipartite`` 0 (people) or 1 (organizations and states).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/p", label="P", kind="person", types=["Person"])
    >>> g.add_node("id/o", label="O", kind="organization", types=["ArmedGroup"])
    >>> _ = g.add_edge("id/p", "id/o", key="fact/d/1", relation="memberOf", document="document/d")
    >>> b = person_org_graph(g)
    >>> sorted(b.nodes(data="bipartite"))
    [('id/o', 1), ('id/p', 0)]
    """
    graph = typed
    people = {n for n, d in graph.nodes(data=True) if d["kind"] == "person"}
    links = _new_links()
    for u, v, key, data in _out_edges(graph, ROLE_RELATIONS):
        if u in people and v not in people:
            _link(links, u, v, data["relation"], [key], [data["document"]], [])
    for statement, parts in sorted(_statement_speakers(graph).items()):
        for speaker, speaker_fact, speaker_doc in parts["speaker"]:
            for org, org_fact, org_doc in parts["onBehalfOf"]:
                if speaker in people and org not in people:
                    _link(links, speaker, org, SPOKE_FOR, [speaker_fact, org_fact], [speaker_doc, org_doc], [statement])
    orgs = {n for n, d in graph.nodes(data=True) if d["kind"] in GROUP_KINDS} | {n for pair in links for n in pair}
    result = _to_graph(people | orgs, links, graph)
    for node in result:
        result.nodes[node]["bipartite"] = 0 if node in people else 1
    return result
