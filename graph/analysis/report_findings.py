"""Report sections on what the actors did: activity over time, claims, threats, and actor profiles."""

from __future__ import annotations

from collections import defaultdict

from ..dates import in_words
from .activity import ACTIVITY_KINDS
from .analysis import Analysis
from .document import Bullets, Figure, Heading, Paragraph, Traced, capped
from .projections import ROLE_RELATIONS, relation_label
from .report_networks import node_basis
from .structure import ego_network

__all__ = ["activity_section", "claims_section", "profiles_section"]


def _docs(keys) -> str:
    return ", ".join(k.removeprefix("document/") for k in keys)


def period_words(period: str) -> str:
    """An activity period ("2023-11..2024-01", "open..2024-01", "2023-12") in words.

    Examples
    --------
    >>> period_words("2022-06..2022-08"), period_words("open..2024-01"), period_words("2023-12")
    ('June\u2013August 2022', 'until January 2024', 'December 2023')
    """
    if period == "unknown":
        return "unknown"
    start, _, end = period.partition("..")
    if not end:
        return in_words(start)
    return in_words(f"{'..' if start == 'open' else start}/{'..' if end == 'open' else end}")


def activity_section(analysis: Analysis, charts: dict[str, str]) -> list:
    cells: dict[tuple[str, str], dict[str, Traced]] = defaultdict(dict)
    for row in analysis.activity_rows:
        cells[(row.actor, row.period)][row.kind] = Traced(row.count, facts=row.facts, documents=row.documents,
                                                          records=row.items)
    rows = []
    for (actor, when), by_kind in sorted(cells.items(), key=lambda c: (analysis.label(c[0][0]).lower(), c[0])):
        rows.append([profile_link(analysis, actor), period_words(when),
                     *(by_kind.get(kind, "") for kind in ACTIVITY_KINDS)])
    return [Heading(2, "Activity over time", "activity"),
            Paragraph(["Claims, attacks, statements and threats per actor and month. An item dated only to a month "
                       "or to a span is counted under that month or span (for example November–December 2023, or "
                       "'until January 2024' when only the last possible day is known); nothing is pinned to a day the "
                       "source does not give. A threat is also a statement. The same counts come from the query "
                       "activity-per-month."]),
            Figure(charts["activity"], "Activity per actor over time; imprecise dates are drawn as the span they may "
                                       "fall in.", "chart-activity"),
            *capped(["actor", "month or span", *ACTIVITY_KINDS], rows, analysis.settings.max_rows)]


def claims_section(analysis: Analysis) -> list:
    rows = []
    for attack in analysis.claimed_attacks:
        for claim in attack.claims:
            rows.append([attack.label, in_words(attack.edtf), analysis.label(claim.claimant),
                         Traced(len(claim.documents), documents=tuple(claim.documents), facts=tuple(claim.facts)),
                         Traced(len(claim.channels), records=tuple(claim.channels),
                                note="" if claim.channels else "the source names no outlet or channel for this claim"),
                         "single channel" if claim.single_channel else "corroborated",
                         "single channel" if attack.single_channel else "corroborated"])
    single = [a for a in analysis.claimed_attacks if a.single_channel]
    return [Heading(2, "Claim corroboration", "claims"),
            Paragraph(["For each claimed attack and each actor that claimed it: the distinct source documents "
                       "that report the claim, and the distinct outlets, channels or platforms it came through (the "
                       "statement's 'via', and an outlet the document cites in the very passage stating the claim). "
                       "A claim, or an attack, resting on at most one document and at most one channel rests on a "
                       "single channel: nothing independent corroborates it. ",
                       Traced(f"{len(single)} of {len(analysis.claimed_attacks)}",
                              records=tuple(a.attack for a in single)),
                       " claimed attacks rest on a single channel."]),
            *capped(["attack", "date", "claimed by", "documents", "channels", "this claim", "the attack"], rows,
                    analysis.settings.max_rows)]


def profile_link(analysis: Analysis, node: str):
    from .report_brief import profile_link as link

    return link(analysis, node)


def _facts_about(analysis: Analysis, actor: str, relations) -> list[list]:
    rows = []
    graph = analysis.relation
    edges = [(u, v, k, d, "out") for u, v, k, d in graph.out_edges(actor, keys=True, data=True)]
    edges += [(u, v, k, d, "in") for u, v, k, d in graph.in_edges(actor, keys=True, data=True)]
    for u, v, key, data, direction in sorted(edges, key=lambda e: (e[3]["relation"], e[0], e[1], e[2])):
        if data["relation"] in relations:
            other = v if direction == "out" else u
            text = (f"{relation_label(data['relation'])} {analysis.label(other)}" if direction == "out"
                    else f"{analysis.label(other)} {relation_label(data['relation'])} it")
            rows.append([Traced(text, facts=(key,), documents=(data["document"],)), data["status"]])
    return rows


def profiles_section(analysis: Analysis) -> list:
    blocks = [Heading(2, "Main actors", "profiles"),
              Paragraph([f"The {len(analysis.main_actors)} actors the sources discuss most (by the number of "
                         "documents, then of facts): their names, posts, relations, statements, claims and the "
                         "documents they appear in."])]
    limit = analysis.settings.max_rows
    for actor in analysis.main_actors:
        node, row = analysis.relation.nodes[actor], analysis.table[actor]
        basis = node_basis(analysis, "relation", actor)
        blocks += [Heading(3, analysis.label(actor), f"profile-{actor}"),
                   Bullets([["Profile page with every name, tie and statement: ", profile_link(analysis, actor)],
                            f"Type: {row['type']} ({row['kind']})",
                            f"Description: {node.get('description') or 'none'}",
                            f"Also called: {'; '.join(node.get('aliases', [])) or 'no other names'}",
                            ["In ", Traced(row["documents"], documents=basis.documents), " documents and ",
                             Traced(row["degree"], facts=basis.facts), " facts."],
                            ["Actor network: ", *_metric_parts(analysis, actor)]])]
        roles = _facts_about(analysis, actor, ROLE_RELATIONS + ("partOf", "claimsPartOf", "backedBy", "frontFor"))
        if roles:
            blocks += [Paragraph(["Posts, memberships and backing:"]), *capped(["fact", "status"], roles, limit)]
        ego = ego_network(analysis.views["actor"].graph, actor)
        if ego:
            blocks += [Paragraph(["Ego network (direct neighbours in the actor network):"]),
                       *capped(["neighbour", "linked by"],
                               [[analysis.label(e["neighbour"]),
                                 Traced(", ".join(relation_label(r) for r in e["relations"]), facts=tuple(e["facts"]),
                                        documents=tuple(e["documents"]))] for e in ego], limit)]
        items = [i for i in analysis.activity if i.actor == actor and i.kind != "threat"]
        if items:
            blocks += [Paragraph(["Statements and claims:"]),
                       *capped(["date", "what", "kind"],
                               [[in_words(i.edtf), Traced(i.label, facts=i.facts, documents=i.documents,
                                                             records=(i.record,)), i.kind] for i in items], limit)]
        threats = [t for t in analysis.threats if actor in t.actors]
        if threats:
            blocks += [Paragraph(["Threats held to this actor:"]),
                       *capped(["date", "threat", "outcome", "the source says"],
                               [[in_words(t.edtf), t.label, t.outcome,
                                 Traced(t.source_outcome, facts=tuple(t.source_facts))] for t in threats], limit)]
    return blocks


def _metric_parts(analysis: Analysis, actor: str) -> list:
    row = analysis.table[actor]
    if row["actor_degree"] is None:
        return ["not in the actor network."]
    parts = []
    for name, label in (("actor_degree", "neighbours"), ("actor_betweenness", "betweenness"),
                        ("actor_pagerank", "PageRank"), ("actor_community", "community")):
        value = row[name]
        parts.append(f"{label} {'undefined' if value is None else value}")
    return ["; ".join(parts) + "."]
