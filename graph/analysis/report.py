"""The analyst's brief: ``report.html`` (self-contained) and ``report.md``.

:func:`build_report` assembles the sections into one document and renders
it twice: a title and what the brief is built from, a table of contents, the
key findings, the central actors, the threats and what followed them, then
the detail (activity, claims, structure, people, main actors, data quality,
method). It ends with two appendices, the source documents and every fact
the report cites (status, document, what it states and the quote that
states it), which are the targets of the report's links.
"""

from __future__ import annotations

from ..counts import CURATED_FACTS, FACT_LINKS, facts_in_words
from ..network import NODE_KINDS
from ..dates import in_words
from .analysis import Analysis
from .document import Bullets, Heading, Href, Link, Paragraph, Table, Traced, capped, to_html, to_markdown
from .evidence import stating_quote
from .projections import relation_label
from .report_brief import central_section, findings_section, key_findings, threat_context_section
from .report_findings import activity_section, claims_section, profiles_section
from .report_networks import centrality_section, people_section, structure_section, views_section
from .threats import threat_context

__all__ = ["build_report", "built_from", "TITLE"]

TITLE = "Iraqi armed factions: what the sources say"


def built_from(analysis: Analysis) -> str:
    """What the brief is built from, derived from the sources alone (so every build says the same).

    Examples
    --------
    >>> from graph.analysis import analyse
    >>> import networkx as nx
    >>> built_from(analyse(nx.MultiDiGraph(value_facts={})))
    'Built from 0 source documents.'
    """
    documents = analysis.summary.documents
    exact = [d["date"] for d in documents if d["date"].get("earliest") and d["date"]["earliest"] == d["date"].get("latest")]
    text = f"Built from {len(documents)} source document{'' if len(documents) == 1 else 's'}"
    if exact:
        first = in_words(min(exact, key=lambda d: d["earliest"]))
        last = in_words(max(exact, key=lambda d: d["earliest"]))
        text += f", published {first}" if first == last else f", published between {first} and {last}"
        others = len(documents) - len(exact)
        text += f" ({others} without an exact date)" if others else ""
    return text + "."


def _intro(analysis: Analysis) -> list:
    return [Heading(2, "How to read this brief", "reading"),
            Paragraph(["This report reads the curated knowledge graph as networks: who is central, who brokers "
                       "between groups, which groups cluster together, how activity changes over time, and how "
                       "often threats were followed by action. It is computed from the built graph alone. Every "
                       "figure names the facts, documents or records behind it (click a number in the HTML "
                       "version); each fact is listed with the quote that states it at the end, and links to that quote in its "
                       "source document."]),
            Paragraph(["Each fact keeps whose voice it is in: claimed (what a group or person claimed), reported "
                       "(what a source document states happened) or assessed (the document author's judgement). "
                       "A metric that does not apply to a node, or is not defined on a small or disconnected "
                       "network, is shown as undefined."])]


def _kinds_in_classes(kinds) -> str:
    """Which classes each kind groups, where it groups several (as the graph page's legend does)."""
    classes: dict[str, list[str]] = {}
    for name, kind in sorted(NODE_KINDS.items()):
        classes.setdefault(kind, []).append(name)
    return "; ".join(f"{kind}: {', '.join(classes[kind])}" for kind in kinds if len(classes.get(kind, ())) > 1)


def _summary(analysis: Analysis) -> list:
    summary = analysis.summary
    types = [[name, Traced(len(nodes), records=tuple(nodes))] for name, nodes in summary.nodes_by_type.items()]
    documents_by_status: dict[str, set] = {}
    for fact in analysis.facts.values():
        documents_by_status.setdefault(fact.get("status", "unknown"), set()).add(fact["document"])
    statuses = [[status, Traced(len(keys), documents=tuple(sorted(documents_by_status.get(status, ()))),
                                note=f"every fact with status {status}; per document under Data quality")]
                for status, keys in summary.facts_by_status.items()]
    period = []
    value_facts = analysis.relation.graph.get("value_facts", {})
    for word, bound in (("from", summary.earliest), ("to", summary.latest)):
        if bound:
            day, record = bound
            facts = tuple(sorted(k for k, f in value_facts.items()
                                 if f["subject"] == record and f["relation"] == "date"))
            period += [f" {word} ", Traced(in_words(day), facts=facts, records=(record,))]
    sources = [[Link(d["document"].removeprefix("document/"), d["document"]), d["title"],
                in_words(d["date"]), Traced(d["facts"], documents=(d["document"],))]
               for d in summary.documents]
    return [Heading(2, "What the graph holds", "summary"),
            Paragraph(["The period covered by dated events and statements runs", *(period or [" (no dates)"]),
                       f"; {len(summary.undated)} records have an open or unknown date and are not counted in it: ",
                       Traced(len(summary.undated), records=tuple(summary.undated)), "."]),
            Paragraph([f"{analysis.relation.number_of_nodes()} nodes: "
                       + ", ".join(f"{len(nodes)} {kind}" for kind, nodes in summary.nodes_by_kind.items())
                       + f" ({_kinds_in_classes(summary.nodes_by_kind)}). By class (a node can have several, such "
                       "as Statement and Threat):"]),
            Table(["class", "nodes"], types),
            Paragraph([facts_in_words(sum(map(len, summary.facts_by_status.values())),
                                      analysis.relation.number_of_edges())
                       + f" (dates, numbers, texts and events' own statuses); the {FACT_LINKS} are the links of the "
                       "full typed graph below. By status:"]),
            Table(["fact status", CURATED_FACTS], statuses),
            Paragraph(["Sources:"]),
            *capped(["document", "title", "published", "facts"], sources, analysis.settings.max_rows)]


def _quality(analysis: Analysis) -> list:
    quality = analysis.quality
    rows = []
    for document, figures in quality.facts_per_document.items():
        by_status = figures["by_status"]
        listed = f"kg query document-contributions --param document={document.removeprefix('document/')} lists them"
        rows.append([Link(document.removeprefix("document/"), document),
                     Traced(figures["total"], documents=(document,), note=f"every fact of this document; {listed}"),
                     *(Traced(len(by_status.get(s, [])), documents=(document,), note=f"its {s} facts")
                       for s in ("claimed", "reported", "assessed", "inferred")),
                     figures["quotes"]])
    return [Heading(2, "Data quality", "quality"),
            *capped(["document", "facts", "claimed", "reported", "assessed", "inferred", "verified quotes"], rows,
                    analysis.settings.max_rows),
            Bullets([["Entities in the registry that no fact mentions: ",
                      Traced(len(quality.entities_without_facts), records=tuple(quality.entities_without_facts))],
                     ["Unsourced facts (no source document or no verbatim quote; must be zero): ",
                      Traced(len(quality.unsourced_facts), facts=tuple(quality.unsourced_facts))]])]


def _method(analysis: Analysis) -> list:
    settings = analysis.settings
    sampled = [name for name, view in analysis.views.items() if view.centrality.sampled]
    sampling = (f"Betweenness and closeness were estimated from {settings.sample_size} seeded pivots in: "
                f"{', '.join(sampled)}." if sampled else
                "Every view is below the threshold, so betweenness and closeness are exact.")
    return [Heading(2, "Method and parameters", "method"),
            Bullets([f"Follow-through window: {settings.window_days} days.",
                     f"Seed of every randomized step (Louvain communities, sampling, chart layouts): {settings.seed}.",
                     f"Betweenness and closeness are exact up to {settings.sample_above_nodes} nodes and "
                     f"{settings.sample_above_edges} links per view; above that they are estimated from "
                     f"{settings.sample_size} seeded pivots (betweenness: networkx k-sampling; closeness: "
                     "breadth-first searches from the pivots). " + sampling,
                     "Betweenness and closeness count steps; PageRank, strength and communities use link weights.",
                     "Values are rounded to 6 decimals; the same graph always gives the same report."])]


def _cited(blocks: list) -> tuple[set[str], set[str]]:
    facts, documents = set(), set()

    def visit(part):
        if isinstance(part, Traced):
            for name, keys, _ in part.parts():
                {"facts": facts, "documents": documents}.get(name, set()).update(keys)
            visit(part.value)
        elif isinstance(part, list):
            for item in part:
                visit(item)

    for block in blocks:
        for name in ("parts", "items", "rows"):
            visit(getattr(block, name, []))
    return facts, documents


def _appendix(analysis: Analysis, cited_facts: set[str]) -> list:
    facts = analysis.facts
    rows, anchors = [], []
    for key in sorted(cited_facts):
        fact = facts.get(key)
        if fact is None:
            continue
        rows.append([key, fact["status"], _source_link(analysis, fact), _states(analysis, fact), _quote(analysis, fact)[0]])
        anchors.append(key)
    shown = analysis.summary.documents[: analysis.settings.max_rows]
    documents = [[Link(d["document"].removeprefix("document/"), d["document"]), d["title"]] for d in shown]
    more = len(analysis.summary.documents) - len(shown)
    return [Heading(2, "Appendix: source documents", "sources"),
            Table(["document", "title"], documents, [d["document"] for d in shown]),
            *([Paragraph([f"and {more} more documents; metrics.json lists them."])] if more else []),
            Heading(2, "Appendix: facts cited in this report", "facts"),
            Paragraph(["Each fact as its document states it, with the verbatim quote that states it; the document "
                       "links to the quote in the source page."]),
            Table(["fact", "status", "document", "subject — relation — object", "quote"], rows, anchors)]


def _value(analysis: Analysis, fact: dict) -> str:
    value = str(fact.get("value", ""))
    if value.startswith("date/"):
        node = analysis.relation.nodes.get(fact["subject"], {})
        return in_words(node.get("date")) if node.get("date") else value.removeprefix("date/")
    return value


def _states(analysis: Analysis, fact: dict) -> str:
    obj = analysis.label(fact["object"]) if fact.get("object") else _value(analysis, fact)
    return f"{analysis.label(fact['subject'])} {relation_label(fact['relation'])} {obj}"


def _quote(analysis: Analysis, fact: dict) -> tuple:
    return stating_quote(analysis.relation, fact["subject"], fact.get("object"), fact.get("evidence", []),
                         None if fact.get("object") else str(fact.get("value", "")))


def _source_link(analysis: Analysis, fact: dict) -> Href:
    from ..view.sources_pages import source_href

    doc = fact["document"].removeprefix("document/")
    quote, start, end = _quote(analysis, fact)
    return Href(doc, source_href(doc, start, end) if quote else source_href(doc))


def _toc(blocks: list) -> list:
    items = [Link(b.text, b.anchor) for b in blocks if isinstance(b, Heading) and b.level == 2 and b.anchor]
    return [Heading(2, "Contents", "contents"), Bullets(items, numbered=True, css="toc")]


def build_report(analysis: Analysis, charts: dict[str, str]) -> tuple[str, str]:
    """The report as ``(html, markdown)``."""
    contexts = threat_context(analysis.relation, analysis.threats, analysis.views["actor"].graph)
    body = [*findings_section(key_findings(analysis, contexts)), *central_section(analysis),
            *threat_context_section(analysis, contexts, charts.get("threats")),
            *activity_section(analysis, charts), *claims_section(analysis), *profiles_section(analysis),
            *structure_section(analysis, charts), *people_section(analysis), *centrality_section(analysis, charts),
            *views_section(analysis), *_summary(analysis), *_intro(analysis), *_quality(analysis),
            *_method(analysis)]
    cited_facts, _ = _cited(body)
    appendix = _appendix(analysis, cited_facts)
    blocks = _toc(body + appendix) + body + appendix
    linked = set(cited_facts) | {d["document"] for d in analysis.summary.documents[: analysis.settings.max_rows]}
    facts = analysis.facts
    stated = {key: (_states(analysis, facts[key]), _quote(analysis, facts[key])[0]) for key in cited_facts
              if key in facts}
    subtitle = built_from(analysis)
    return (to_html(TITLE, blocks, linked, stated, subtitle), to_markdown(TITLE, blocks, subtitle))
