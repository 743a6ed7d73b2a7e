"""One HTML page per source document, every quoted passage highlighted.

``sources/<doc-id>.html`` shows the document's text with each passage a fact
quotes marked at its stored character offsets, and an anchor per passage,
``id="q-<start>-<end>"``, so ``sources/<doc-id>.html#q-<start>-<end>`` opens
at the quote (and a small inline script outlines that passage). Each passage
carries a small number that links to its entry in the list of passages
below the text (``#p-q-<start>-<end>``), which names the facts it states,
links their ends' profile pages and links back to the text. The header gives
the publisher, series, date (in words) and kind of the document. Passages may
overlap: the text is cut at every passage boundary and each piece is marked
with all the passages that cover it, so overlaps render as darker marks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as url_quote

import networkx as nx
from markupsafe import Markup, escape

from ..dates import in_words
from .errors import ViewError
from .html import environment

__all__ = ["Passage", "passages_by_document", "highlight", "render_source_page", "write_source_pages",
           "source_href", "document_meta", "SAFE_DOC_ID", "RECORD_KINDS"]

SAFE_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Node kinds that have no profile page (the records and the documents).
RECORD_KINDS = frozenset({"event", "statement", "document"})


@dataclass
class Passage:
    """One quoted span of a document and the facts that quote it."""

    start: int
    end: int
    quote: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # (fact key, "subject relation object")
    #: (fact key, subject, its label, relation, object, its label, the graph page's fragment for the fact);
    #: an end without a profile is None.
    ends: list[tuple] = field(default_factory=list)
    number: int = 0  # its place in the document's list of passages, from 1

    @property
    def anchor(self) -> str:
        return f"q-{self.start}-{self.end}"


def document_series(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Each document's series (from the value facts), looked up once for every page instead of once per page.

    Examples
    --------
    >>> g = nx.MultiDiGraph(value_facts={"f": {"subject": "document/d", "relation": "series", "value": "S"}})
    >>> document_series(g)
    {'document/d': {'S'}}
    """
    series: dict[str, set[str]] = defaultdict(set)
    for fact in graph.graph.get("value_facts", {}).values():
        if fact["relation"] == "series":
            series[fact["subject"]].add(fact["value"])
    return dict(series)


def document_meta(graph: nx.MultiDiGraph, doc_id: str, series: dict[str, set[str]] | None = None) -> dict:
    """A document's id, title, publisher, series, date in words and kind, for page headers.

    ``series`` is :func:`document_series` of ``graph``, when the caller writes many pages.

    Examples
    --------
    >>> g = nx.MultiDiGraph(value_facts={"f": {"subject": "document/d", "relation": "series", "value": "S"}})
    >>> g.add_node("document/d", label="T", types=["MonitoringReport", "SourceDocument"], date={"edtf": "2024-01-08"})
    >>> g.add_node("id/p", label="MEMRI")
    >>> _ = g.add_edge("document/d", "id/p", relation="publisherEntity")
    >>> meta = document_meta(g, "d")
    >>> meta["publisher"], meta["series"], meta["date"], meta["kind"]
    ('MEMRI', 'S', '8 January 2024', 'monitoring report')
    """
    key = f"document/{doc_id}"
    node = graph.nodes[key] if key in graph else {}
    publishers = sorted({graph.nodes[v].get("label", v) for _, v, rel in graph.out_edges(key, data="relation")
                         if rel in ("publisherEntity", "publisher")}) if key in graph else []
    series = sorted((series if series is not None else document_series(graph)).get(key, ()))
    kinds = [re.sub(r"(?<!^)(?=[A-Z])", " ", t).lower() for t in node.get("types", []) if t != "SourceDocument"]
    return {"id": doc_id, "title": node.get("label") or doc_id, "publisher": "; ".join(publishers),
            "series": "; ".join(series), "date": in_words(node.get("date")), "kind": ", ".join(kinds) or "document",
            "href": source_href(doc_id)}


def source_href(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    """The link from ``graph.html`` to a document's page, at a passage if given.

    Examples
    --------
    >>> source_href("jttm-2024-01-08", 120, 180)
    'sources/jttm-2024-01-08.html#q-120-180'
    """
    href = f"sources/{url_quote(doc_id)}.html"
    return href if start is None else f"{href}#q-{start}-{end}"


def passages_by_document(graph: nx.MultiDiGraph) -> dict[str, list[Passage]]:
    """Every quoted passage of every document, by document id, in text order."""
    found: dict[str, dict[tuple[int, int], Passage]] = defaultdict(dict)
    relation_labels = graph.graph.get("relation_labels", {})
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        doc_id = data["document"].removeprefix("document/")
        relation = relation_labels.get(data["relation"], data["relation"])
        subject, obj = graph.nodes[u].get("label", u), graph.nodes[v].get("label", v)
        summary = " ".join([subject, relation, obj])
        for quote, start, end in data.get("evidence", []):
            passage = found[doc_id].setdefault((start, end), Passage(start, end, quote))
            passage.facts.append((key, summary))
            passage.ends.append((key, _profiled(graph, u), subject, relation, _profiled(graph, v), obj,
                                 "edge=" + url_quote(key, safe="")))
    for key, fact in sorted(graph.graph.get("value_facts", {}).items()):
        doc_id = fact["document"].removeprefix("document/")
        subject = fact["subject"]
        label = graph.nodes[subject].get("label", subject) if subject in graph else subject
        relation = relation_labels.get(fact["relation"], fact["relation"])
        value = str(fact.get("value", ""))
        if value.startswith("date/"):
            value = in_words((graph.nodes[subject].get("date") if subject in graph else None) or None)
        for quote, start, end in fact.get("evidence", []):
            passage = found[doc_id].setdefault((start, end), Passage(start, end, quote))
            passage.facts.append((key, f"{label} {relation} {value}"))
            passage.ends.append((key, _profiled(graph, subject), label, relation, None, value,
                                 "node=" + url_quote(subject, safe="")))
    result = {doc: [found[doc][span] for span in sorted(found[doc])] for doc in sorted(found)}
    for passages in result.values():
        for number, passage in enumerate(passages, start=1):
            passage.number = number
    return result


def _profiled(graph: nx.MultiDiGraph, node: str) -> str | None:
    if node not in graph:
        return None
    return None if graph.nodes[node].get("kind") in RECORD_KINDS or not node.startswith("id/") else node


def highlight(text: str, passages: list[Passage]) -> Markup:
    """The text as escaped HTML with every passage marked and anchored.

    Examples
    --------
    >>> print(highlight("a <b> c", [Passage(2, 5, "<b>", number=2), Passage(0, 3, "a <", number=1)]))
    <span class="anchor" id="q-0-3"></span><a class="pn" href="#p-q-0-3">1</a><mark class="q d1" data-p="q-0-3">a \
</mark><span class="anchor" id="q-2-5"></span><a class="pn" href="#p-q-2-5">2</a><mark class="q d2" \
data-p="q-0-3 q-2-5">&lt;</mark><mark class="q d1" data-p="q-2-5">b&gt;</mark> c
    """
    for passage in passages:
        if not (0 <= passage.start <= passage.end <= len(text)) or text[passage.start:passage.end] != passage.quote:
            raise ViewError(f"quote at {passage.start}-{passage.end} does not match the document text: "
                            f"{passage.quote[:60]!r}")
    cuts = sorted({0, len(text), *(p.start for p in passages), *(p.end for p in passages)})
    starting = defaultdict(list)
    for passage in sorted(passages, key=lambda p: (p.start, p.end)):
        starting[passage.start].append(passage)
    parts: list[str] = []
    for begin, finish in zip(cuts, cuts[1:] + [None]):
        for passage in starting.get(begin, []):
            parts.append(f'<span class="anchor" id="{passage.anchor}"></span>')
            if passage.number:
                parts.append(f'<a class="pn" href="#p-{passage.anchor}">{passage.number}</a>')
        if finish is None or finish == begin:
            continue
        piece = str(escape(text[begin:finish]))
        covering = [p.anchor for p in passages if p.start <= begin and finish <= p.end]
        if covering:
            depth = min(len(covering), 3)
            parts.append(f'<mark class="q d{depth}" data-p="{" ".join(sorted(covering, key=_order))}">{piece}</mark>')
        else:
            parts.append(piece)
    return Markup("".join(parts))


def _order(anchor: str) -> tuple[int, int]:
    _, start, end = anchor.split("-")
    return int(start), int(end)


def render_source_page(doc_id: str, title: str, text: str, passages: list[Passage], meta: dict | None = None) -> str:
    """The HTML page of one document (everything from the data escaped)."""
    from .profiles import profile_href

    template = environment().get_template("source.html.j2")
    meta = meta or {"publisher": "", "series": "", "date": "unknown", "kind": "document"}
    return template.render(doc_id=doc_id, title=title, body=highlight(text, passages), passages=passages, meta=meta,
                           fact_href=lambda key: "../graph.html#edge=" + url_quote(key, safe=""),
                           graph_href=lambda fragment: "../graph.html#" + fragment,
                           profile_href=lambda node: profile_href(node, "../"))


def write_source_pages(folder: Path, graph: nx.MultiDiGraph, texts: dict[str, str],
                       titles: dict[str, str] | None = None) -> list[Path]:
    """Write ``folder/<doc-id>.html`` for every document in ``texts``; return the paths.

    Parameters
    ----------
    folder : Path
        Where to write (``out/sources`` in a build).
    graph : networkx.MultiDiGraph
        The view graph; its edges' evidence gives the passages.
    texts : dict
        Document id -> the document's text (the offsets index into it).
    titles : dict, optional
        Document id -> title (default: the document node's label).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    passages = passages_by_document(graph)
    series = document_series(graph)
    written = []
    for doc_id in sorted(texts):
        if not SAFE_DOC_ID.match(doc_id):
            raise ViewError(f"document id {doc_id!r} cannot be a file name")
        title = (titles or {}).get(doc_id) or graph.nodes.get(f"document/{doc_id}", {}).get("label", doc_id)
        path = folder / f"{doc_id}.html"
        page = render_source_page(doc_id, title, texts[doc_id], passages.get(doc_id, []),
                                  document_meta(graph, doc_id, series))
        path.write_text(page, encoding="utf-8")
        written.append(path)
    return written
