"""The graph-metrics report: ``report.html`` (self-contained) and ``report.md``.

:func:`build_report` assembles the sections into one document and renders
it twice. It ends with two appendices, the source documents and every fact
the report cites (status, document, relation and its first verbatim quote),
which are the targets of the report's links.
"""

from __future__ import annotations

from .analysis import Analysis
from .document import Bullets, Heading, Link, Paragraph, Table, Traced, capped, to_html, to_markdown
from .projections import relation_label
from .quality import all_facts
from .report_findings import activity_section, claims_section, profiles_section, threats_section
from .report_networks import centrality_section, people_section, structure_section, views_section

__all__ = ["build_report", "TITLE"]

TITLE = "faction-kg: graph analysis report"


def _intro(analysis: Analysis) -> list:
    return [Paragraph(["This report reads the curated knowledge graph as networks: who is central, who brokers "
                       "between groups, which groups cluster together, how activity changes over time, and how "
                       "often threats were followed by action. It is computed from the built graph alone. Every "
                       "figure names the facts, documents or records behind it (click a number in the HTML "
                       "version); fact keys such as fact/jttm-2022-08-08/… are listed with their quote at the end."]),
            Paragraph(["Each fact keeps whose voice it is in: claimed (what a group or person claimed), reported "
                       "(what a source document states happened) or assessed (the document author's judgement). "
                       "A metric that does not apply to a node, or is not defined on a small or disconnected "
                       "network, is shown as undefined."])]


def _summary(analysis: Analysis) -> list:
    summary = analysis.summary
    types = [[name, Traced(len(nodes), records=tuple(nodes))] for name, nodes in summary.nodes_by_type.items()]
    documents_by_status: dict[str, set] = {}
    for fact in all_facts(analysis.relation).values():
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
            period += [f" {word} ", Traced(day, facts=facts, records=(record,))]
    sources = [[Link(d["document"].removeprefix("document/"), d["document"]), d["title"],
                d["date"].get("edtf") or "unknown", Traced(d["facts"], documents=(d["document"],))]
               for d in summary.documents]
    return [Heading(2, "Summary", "summary"),
            Paragraph(["The period covered by dated events and statements runs", *(period or [" (no dates)"]),
                       f"; {len(summary.undated)} records have an open or unknown date and are not counted in it: ",
                       Traced(len(summary.undated), records=tuple(summary.undated)), "."]),
            Paragraph([f"{analysis.relation.number_of_nodes()} nodes: "
                       + ", ".join(f"{len(nodes)} {kind}" for kind, nodes in summary.nodes_by_kind.items())
                       + ". By class (a node can have several, such as Statement and Threat):"]),
            Table(["class", "nodes"], types),
            Table(["fact status", "facts"], statuses),
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
    facts = all_facts(analysis.relation)
    rows, anchors = [], []
    for key in sorted(cited_facts):
        fact = facts.get(key)
        if fact is None:
            continue
        obj = analysis.label(fact["object"]) if fact.get("object") else str(fact.get("value", ""))
        quote = fact["evidence"][0][0] if fact.get("evidence") else ""
        rows.append([key, fact["status"], fact["document"].removeprefix("document/"),
                     f"{analysis.label(fact['subject'])} — {relation_label(fact['relation'])} — {obj}", quote])
        anchors.append(key)
    shown = analysis.summary.documents[: analysis.settings.max_rows]
    documents = [[Link(d["document"].removeprefix("document/"), d["document"]), d["title"]] for d in shown]
    more = len(analysis.summary.documents) - len(shown)
    return [Heading(2, "Appendix: source documents", "sources"),
            Table(["document", "title"], documents, [d["document"] for d in shown]),
            *([Paragraph([f"and {more} more documents; metrics.json lists them."])] if more else []),
            Heading(2, "Appendix: facts cited in this report", "facts"),
            Paragraph(["Each fact as its document states it, with the first verbatim quote that supports it."]),
            Table(["fact", "status", "document", "subject — relation — object", "quote"], rows, anchors)]


def build_report(analysis: Analysis, charts: dict[str, str]) -> tuple[str, str]:
    """The report as ``(html, markdown)``."""
    body = [*_intro(analysis), *_summary(analysis), *views_section(analysis),
            *centrality_section(analysis, charts), *structure_section(analysis, charts), *people_section(analysis),
            *activity_section(analysis, charts), *claims_section(analysis), *threats_section(analysis, charts),
            *profiles_section(analysis), *_quality(analysis), *_method(analysis)]
    cited_facts, _ = _cited(body)
    blocks = body + _appendix(analysis, cited_facts)
    linked = set(cited_facts) | {d["document"] for d in analysis.summary.documents[: analysis.settings.max_rows]}
    return to_html(TITLE, blocks, linked), to_markdown(TITLE, blocks)
