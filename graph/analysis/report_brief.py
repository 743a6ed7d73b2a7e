"""The brief's opening: key findings, the central actors, and threats with what followed them.

:func:`core_actors` says which actors the graph is about (armed groups,
umbrella groups, coordination bodies, coalitions and the people and units
that belong to them); states, governments, politicians, places and outlets
are context. :func:`key_findings` turns the analysis into a few plain
sentences, each with its numbers (``Finding.numbers``, which the tests
recompute from the graph) and the facts behind them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..dates import in_words
from .analysis import Analysis
from .document import Heading, Href, Paragraph, Table, Traced
from .projections import BELONGING_RELATIONS, ROLE_RELATIONS
from .threats import CONTEXT_WINDOWS, SCOPES, ThreatContext, followed_counts
from .report_networks import node_basis

__all__ = ["CORE_TYPES", "core_actors", "Finding", "key_findings", "findings_section", "central_section",
           "threat_context_section", "profile_link", "type_words"]

#: Entity types the graph is about; their members, units and people join them.
CORE_TYPES = frozenset({"ArmedGroup", "UmbrellaGroup", "CoordinationBody", "Coalition"})


def profile_link(analysis: Analysis, node: str) -> Href:
    """A node's label linking to its profile page (``entities/<id>.html``)."""
    from ..view.profiles import profile_href

    return Href(analysis.label(node), profile_href(node))


def type_words(types: str) -> str:
    """A node's types as words.

    Examples
    --------
    >>> type_words("ArmedGroup; UmbrellaGroup")
    'armed group, umbrella group'
    """
    return ", ".join(re.sub(r"(?<!^)(?=[A-Z])", " ", t.strip()).lower() for t in types.split(";") if t.strip())


def core_actors(analysis: Analysis) -> set[str]:
    """The actors the graph is about: nodes of a :data:`CORE_TYPES` type, and the people and organizations
    with a post in, or a membership of, one of them (followed to any depth)."""
    graph = analysis.relation
    core = {n for n, d in graph.nodes(data=True) if set(d.get("types", [])) & CORE_TYPES}
    ties = ROLE_RELATIONS + BELONGING_RELATIONS
    grown = True
    while grown:
        grown = False
        for u, v, relation in graph.edges(data="relation"):
            if relation in ties and v in core and u not in core and graph.nodes[u]["kind"] in ("person",
                                                                                                "organization"):
                core.add(u)
                grown = True
    return core


@dataclass
class Finding:
    """One sentence of the key findings: its parts (text and traced numbers) and its numbers by name."""

    name: str
    parts: list
    numbers: dict = field(default_factory=dict)


def _facts_of(analysis: Analysis, node: str) -> tuple[str, ...]:
    return node_basis(analysis, "relation", node).facts


def _documents_of(analysis: Analysis, node: str) -> tuple[str, ...]:
    return node_basis(analysis, "relation", node).documents


def key_findings(analysis: Analysis, contexts: list[ThreatContext]) -> list[Finding]:
    """Five to ten plain sentences generated from the analysis (fewer when the graph is too small)."""
    findings: list[Finding] = []
    core = core_actors(analysis)
    table, documents = analysis.table, len(analysis.summary.documents)
    groups = [n for n in core if analysis.relation.nodes[n]["kind"] != "person"]
    linked = [n for n in groups if (table[n]["actor_degree"] or 0) > 0]
    if linked:
        top = min(linked, key=lambda n: (-table[n]["actor_degree"], -table[n]["documents"], n))
        degree, docs = table[top]["actor_degree"], table[top]["documents"]
        findings.append(Finding("most-connected", [
            profile_link(analysis, top), " is the most connected armed group or umbrella: the sources tie it to ",
            Traced(degree, facts=node_basis(analysis, "actor", top).facts), " other actors, and it appears in ",
            Traced(docs, documents=_documents_of(analysis, top)), f" of the {documents} documents."],
            {"actor": top, "neighbours": degree, "documents": docs}))
    people = sorted((n for n in core if analysis.relation.nodes[n]["kind"] == "person"),
                    key=lambda n: (-table[n]["documents"], -table[n]["degree"], n))
    if people:
        top = people[0]
        findings.append(Finding("most-documented", [
            "The person the sources say most about is ", profile_link(analysis, top), ": ",
            Traced(table[top]["degree"], facts=_facts_of(analysis, top)), " facts in ",
            Traced(table[top]["documents"], documents=_documents_of(analysis, top)), " documents."],
            {"actor": top, "facts": table[top]["degree"], "documents": table[top]["documents"]}))
    brokers = [n for n in core if (table[n]["actor_betweenness"] or 0) > 0]
    if brokers:
        top = min(brokers, key=lambda n: (-table[n]["actor_betweenness"], n))
        share = round(100 * table[top]["actor_betweenness"])
        findings.append(Finding("broker", [
            profile_link(analysis, top), " is the main go-between: more of the shortest paths between other "
            "actors in the network of ties pass through it than through any other actor (",
            Traced(f"{share}%", facts=node_basis(analysis, "actor", top).facts), " of them)."],
            {"actor": top, "percent": share}))
    attacks = analysis.claimed_attacks
    if attacks:
        single = [a for a in attacks if a.single_channel]
        findings.append(Finding("single-channel", [
            Traced(len(single), records=tuple(a.attack for a in single)), f" of the {len(attacks)} claimed attacks "
            "rest on a single channel: one document and at most one outlet, with nothing independent to "
            "corroborate them."], {"single": len(single), "claimed": len(attacks)}))
        claims = Counter(c.claimant for a in attacks for c in a.claims)
        claimant, count = min(claims.items(), key=lambda item: (-item[1], item[0]))
        facts = tuple(sorted(f for a in attacks for c in a.claims if c.claimant == claimant for f in c.facts))
        findings.append(Finding("claims", [
            profile_link(analysis, claimant), " claimed the most attacks: ", Traced(count, facts=facts),
            f" of the {len(attacks)}."], {"actor": claimant, "claims": count}))
    years = Counter()
    by_year: dict[str, list[str]] = {}
    for item in analysis.activity:
        if item.earliest and item.latest and item.earliest[:4] == item.latest[:4]:
            years[item.earliest[:4]] += 1
            by_year.setdefault(item.earliest[:4], []).append(item.record)
    if len(years) >= 2:
        parts: list = ["Recorded activity (claims, attacks, statements and threats, counted per actor) by year: "]
        for index, year in enumerate(sorted(years)):
            parts += [", " if index else "", Traced(years[year], records=tuple(sorted(set(by_year[year])))),
                      f" in {year}"]
        parts.append("; items whose date may fall in two years are left out.")
        findings.append(Finding("activity", parts, {"years": dict(sorted(years.items()))}))
    if analysis.threats:
        window = analysis.settings.window_days
        counts = followed_counts(contexts, (window,))[window]
        parts = [Traced(len(analysis.threats), records=tuple(t.threat for t in analysis.threats)),
                 " threats are recorded. Within ", f"{window} days, ",
                 Traced(len(counts["same actor"]), records=tuple(counts["same actor"])),
                 " were followed by an attack by the same actor, ",
                 Traced(len(counts["tied group"]), records=tuple(counts["tied group"])), " by a group tied to it and ",
                 Traced(len(counts["any actor"]), records=tuple(counts["any actor"])), " by any actor"]
        numbers = {"threats": len(analysis.threats), **{s: len(counts[s]) for s in SCOPES}}
        parts.append(". Attacks are tied to a threat only through stated memberships and posts.")
        findings.append(Finding("threats", parts, numbers))
    statuses = analysis.summary.facts_by_status
    if statuses:
        total = sum(len(keys) for keys in statuses.values())
        parts = [f"Of the {total} facts, "]
        for index, (status, keys) in enumerate(sorted(statuses.items())):
            parts += [", " if index else "", Traced(len(keys), note=f"every fact with status {status}"),
                      f" are {status}"]
        parts.append(" (claimed: a group's own claim; reported: what a document states; assessed: its author's "
                     "judgement).")
        findings.append(Finding("voices", parts, {"total": total, **{s: len(k) for s, k in statuses.items()}}))
    return findings[:10]


def findings_section(findings: list[Finding]):
    from .document import Bullets

    return [Heading(2, "Key findings", "findings"), Bullets([f.parts for f in findings], numbered=True,
                                                            css="findings")]


def _rank_rows(analysis: Analysis, nodes, metric: str) -> list[list]:
    rows = [(n, analysis.table[n][metric]) for n in nodes if analysis.table[n][metric]]
    rows.sort(key=lambda item: (-item[1], analysis.label(item[0]).lower(), item[0]))
    return rows


def central_section(analysis: Analysis) -> list:
    core = core_actors(analysis)
    table = analysis.table
    actors = [n for n in analysis.relation if analysis.relation.nodes[n]["kind"] in
              ("person", "organization", "umbrella", "collective")]
    ranked = _rank_rows(analysis, [n for n in actors if n in core], "actor_degree")
    rows = []
    for rank, (node, degree) in enumerate(ranked[: analysis.settings.max_rows], start=1):
        between = table[node]["actor_betweenness"]
        rows.append([rank, profile_link(analysis, node), type_words(table[node]["type"]),
                     Traced(degree, facts=node_basis(analysis, "actor", node).facts),
                     f"{round(100 * between)}%" if between else "",
                     Traced(table[node]["documents"], documents=_documents_of(analysis, node))])
    context = sorted((n for n in analysis.relation if n not in core and analysis.relation.nodes[n]["kind"] in
                      ("person", "organization", "umbrella", "collective", "place") and table[n]["degree"]),
                     key=lambda n: (-table[n]["documents"], -table[n]["degree"], analysis.label(n).lower(), n))
    context_rows = [[profile_link(analysis, n), type_words(table[n]["type"]),
                     Traced(table[n]["degree"], facts=_facts_of(analysis, n)),
                     Traced(table[n]["documents"], documents=_documents_of(analysis, n))]
                    for n in context[: analysis.settings.max_rows]]
    return [Heading(2, "Central actors", "central"),
            Paragraph(["The ranking counts only the actors this graph is about: armed groups, umbrella groups, "
                       "coordination bodies, coalitions, and the people and units with a post in or a membership "
                       "of one of them. States, governments, foreign politicians, places and collectives appear "
                       "mostly in asides, so they are listed apart as context and not ranked. 'Ties' counts the "
                       "other actors an actor is linked to (posts, memberships, backing, joint statements and "
                       "claims); 'go-between' is the share of shortest paths between other actors that pass "
                       "through it (betweenness), left empty when it is zero. An actor with no tie is not ranked."]),
            Table(["rank", "actor", "type", "ties", "go-between", "documents"], rows),
            Heading(3, "Context: states, governments, politicians, places", "context"),
            Paragraph(["Named in the sources, but not the subject of this graph; by the number of documents."]),
            Table(["name", "type", "facts", "documents"], context_rows)]


def _nearest_cell(nearest: dict | None):
    if nearest is None:
        return "none later"
    return Traced(f"{nearest['label']} ({in_words(nearest['edtf'])}), {nearest['gap']} days later",
                  facts=tuple(nearest["facts"]), records=(nearest["attack"],))


def threat_context_section(analysis: Analysis, contexts: list[ThreatContext], chart: str | None) -> list:
    from .document import Figure

    rows = []
    for context in contexts:
        threat = context.threat
        rows.append([in_words(threat.edtf), Traced(threat.label, facts=tuple(threat.facts), records=(threat.threat,)),
                     [profile_link(analysis, a) for a in threat.actors] or "nobody named",
                     *(_nearest_cell(context.nearest[scope]) for scope in SCOPES),
                     Traced(threat.source_outcome, facts=tuple(threat.source_facts))])
    undated = [t for t in analysis.threats if not t.earliest]
    window = analysis.settings.window_days
    windows = tuple(sorted({*CONTEXT_WINDOWS, window}))
    counts = followed_counts(contexts, windows)
    window_rows = [[f"{w} days", *(Traced(len(counts[w][s]), records=tuple(counts[w][s])) for s in SCOPES)]
                   for w in windows]
    blocks = [Heading(2, "Threats and what followed", "threats"),
              Paragraph(["For each dated threat: the nearest attack that came after it by the same actor (the "
                         "speaker, the group it spoke for, the group it holds a post in, and their umbrella), by a "
                         "group tied to that actor, and by any actor, with the days from the threat to the attack. "
                         "An attack is linked to a threat only through stated memberships and posts, so 'none' "
                         "means no such attack is recorded in these documents, not that nothing happened.",
                         (f" {len(undated)} threat{' has' if len(undated) == 1 else 's have'} no known date and "
                          "cannot be placed." if undated else "")]),
              Table(["date", "threat", "made by", "next attack: same actor", "next attack: tied group",
                     "next attack: any actor", "the source says"], rows),
              Paragraph([f"How many threats were followed by an attack within 7, 30 and 90 days, and within the "
                         f"{window}-day window set for this build (the one the key findings use):"]),
              Table(["within", *SCOPES], window_rows)]
    if chart:
        blocks.append(Figure(chart, "Each dated threat, one per row, and the nearest later attacks: by the same "
                                    "actor (X), a tied group (triangle) and any actor (dot), in days after the "
                                    "threat. A row without a mark: no later attack is recorded.",
                             "chart-threats"))
    return blocks
