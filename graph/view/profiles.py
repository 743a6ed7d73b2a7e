"""One profile page per entity: ``out/entities/<id>.html``.

For every armed group, umbrella group, coordination body, coalition, person
and every other entity of the registry: each name and spelling with the
documents that use it; type and description; each role and tie with its
status, date in words and source; a timeline of the statements, claims and
events it takes part in; and the documents it appears in. Every line links
to the passage that states it on the source page (``sources/<doc>.html#q-…``),
chosen by :func:`graph.analysis.evidence.stating_quote`.

The pages share the Jinja environment, the Content-Security-Policy and the
escaping of :mod:`graph.view.html`; they fetch nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as url_quote

import networkx as nx

from ..analysis.evidence import fold, stating_quote
from ..dates import in_words
from .errors import ViewError
from .html import environment
from .sources_pages import RECORD_KINDS, SAFE_DOC_ID, document_meta, document_series, source_href

__all__ = ["PROFILES_FOLDER", "RECORD_KINDS", "Spellings", "spelling", "profile_href", "profile_nodes", "profile", "render_profile",
           "write_profiles"]

PROFILES_FOLDER = "entities"
_KIND_WORDS = {"organization": "organization", "umbrella": "umbrella group or body", "collective": "collective",
               "person": "person", "place": "place", "outlet": "outlet or channel", "weapon": "weapon"}


def profile_href(node: str, prefix: str = "") -> str:
    """The address of a node's profile page, relative to the output folder (or ``prefix`` + it).

    Examples
    --------
    >>> profile_href("id/al-nujaba"), profile_href("id/al-nujaba", "../")
    ('entities/al-nujaba.html', '../entities/al-nujaba.html')
    """
    return f"{prefix}{PROFILES_FOLDER}/{url_quote(node.removeprefix('id/'))}.html"


def profile_nodes(graph: nx.MultiDiGraph) -> list[str]:
    """Every entity that gets a profile: each node that is not an event, statement or document.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("id/g", kind="organization"); g.add_node("id/e", kind="event")
    >>> profile_nodes(g)
    ['id/g']
    """
    return sorted(n for n, kind in graph.nodes(data="kind") if kind not in RECORD_KINDS and n.startswith("id/"))


@dataclass
class Line:
    """One line of a profile: its words, its links and the passage that states it."""

    before: str
    other: str | None = None  # the node the line links to, if it has a profile
    other_label: str = ""
    after: str = ""
    status: str = ""
    when: str = ""
    document: str = ""
    document_title: str = ""
    quote: str = ""
    href: str = ""
    sort: tuple = field(default_factory=tuple)
    said: str = ""  # the source's own words for the date, if the curator recorded them


def _quote_line(graph, u, v, data, words: tuple[str, str], other, when, sort=()) -> Line:
    quote, start, end = stating_quote(graph, u, v, data.get("evidence", []))
    doc = data["document"].removeprefix("document/")
    href = "../" + source_href(doc, start, end) if quote else "../" + source_href(doc)
    has_profile = other is not None and graph.nodes[other].get("kind") not in RECORD_KINDS
    return Line(words[0], other if has_profile else None, graph.nodes[other].get("label", other) if other else "",
                words[1], data.get("status", ""), when, doc, graph.nodes.get(data["document"], {}).get("label", doc),
                quote, href, sort)


_APOSTROPHES = re.compile("[`´ʹʼʻʽʾʿ‘’‛′]")


def spelling(text: str) -> str:
    """Text compared as a spelling: case and the kind of apostrophe ignored, but not the letters.

    "Al-Ka'abi" and "Al-Kaabi" are different spellings; "AL-KA’ABI" is the first one.

    Examples
    --------
    >>> spelling("AL-KA’ABI") == spelling("Al-Ka'abi"), spelling("Al-Kaabi") == spelling("Al-Ka'abi")
    (True, False)
    """
    return " " + " ".join(_APOSTROPHES.sub("'", text.casefold()).split()) + " "


def _uses(name: str, text: str) -> bool:
    """True when ``text`` (a :func:`spelling`) contains ``name`` as whole words."""
    return _name_pattern(name).search(text) is not None


def _name_pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w'])" + re.escape(spelling(name).strip()) + r"(?!\w|'(?!s\b)\w)")


_WORD = re.compile(r"\w+")


class Spellings:
    """The documents' texts as spellings, and which documents hold each word, to find who uses a name.

    A name is used in a document only if each of its words is a whole word
    of the document (the match is bounded by non-word characters), so only
    the documents holding all its words are searched: the cost grows with
    the documents that could match, not with every document for every name.

    Examples
    --------
    >>> spellings = Spellings({"d1": "Al-Ka'abi spoke.", "d2": "Al-Kaabi spoke.", "d3": "Nobody spoke."})
    >>> spellings.documents_using("AL-KA’ABI"), spellings.documents_using("spoke"), spellings.documents_using("al")
    (['d1'], ['d1', 'd2', 'd3'], ['d1', 'd2'])
    """

    def __init__(self, texts: dict[str, str], series: dict[str, set[str]] | None = None):
        self.folded = {doc: spelling(text) for doc, text in texts.items()}
        self.series = series  # each document's series (graph.view.sources_pages.document_series), if known
        self._documents: dict[str, set[str]] = {}  # word -> the documents that hold it
        for doc, text in self.folded.items():
            for word in set(_WORD.findall(text)):
                self._documents.setdefault(word, set()).add(doc)

    def documents_using(self, name: str) -> list[str]:
        """The documents that use ``name`` as whole words (see :func:`spelling`), sorted."""
        words = set(_WORD.findall(spelling(name)))
        if words:
            holding = sorted((self._documents.get(word, set()) for word in words), key=len)
            candidates = holding[0].intersection(*holding[1:])
        else:
            candidates = self.folded
        pattern = _name_pattern(name)
        return sorted(doc for doc in candidates if pattern.search(self.folded[doc]))


def _names(graph, node: str, spellings: Spellings) -> list[tuple[str, list[str]]]:
    data = graph.nodes[node]
    names = list(dict.fromkeys([data.get("label") or node, *data.get("aliases", ())]))
    return [(name, spellings.documents_using(name)) for name in names]


def profile(graph: nx.MultiDiGraph, node: str, texts: dict[str, str], spellings: Spellings | None = None,
            said: dict[str, str] | None = None) -> dict:
    """What the profile page of ``node`` shows, as plain data (see the module docstring).

    ``spellings`` is :class:`Spellings` of ``texts``, when the caller has it; ``said`` maps a
    record to the source's own words for its date ("mid-December 2023"), where the curator gave them; they
    are shown beside the date in words.
    """
    said = said or {}
    spellings = spellings if spellings is not None else Spellings(texts)
    data = graph.nodes[node]
    labels = graph.graph.get("relation_labels", {})
    ties, timeline, documents = [], [], set()
    edges = [(u, v, k, d, v) for u, v, k, d in graph.out_edges(node, keys=True, data=True)]
    edges += [(u, v, k, d, u) for u, v, k, d in graph.in_edges(node, keys=True, data=True)]
    for u, v, key, edge, other in sorted(edges, key=lambda e: e[2]):
        documents.add(edge["document"])
        relation = labels.get(edge["relation"], edge["relation"])
        other_data = graph.nodes[other]
        if other_data.get("kind") == "document":
            continue
        if other_data.get("kind") in ("event", "statement"):
            date = other_data.get("date") or {}
            how = ("", f" \u2014 {relation} {data.get('label') or node}") if other == u else (
                f"{data.get('label') or node} {relation} ", "")
            line = _quote_line(graph, u, v, edge, how, other, in_words(date), (date.get("earliest") or "9999", other, key))
            line.said = said.get(other, "")
            timeline.append(line)
            continue
        role = edge.get("role") or ""
        role = f" ({role})" if role and fold(role).strip() not in fold(relation) else ""
        text = (f"{relation}{role} ", "") if u == node else ("", f" {relation}{role} {data.get('label') or node}")
        doc_date = in_words((graph.nodes.get(edge["document"], {}).get("date")))
        when = in_words(edge["date"]) if edge.get("date") else f"in a document of {doc_date}"
        ties.append(_quote_line(graph, u, v, edge, text, other, when, (edge["relation"], other, key)))
    merged: dict[str, Line] = {}
    for line in sorted(timeline, key=lambda line: line.sort):
        merged.setdefault((line.other_label, line.before, line.after, line.document), line)
    series = spellings.series if spellings.series is not None else document_series(graph)
    docs = [document_meta(graph, d.removeprefix("document/"), series) for d in sorted(documents)]
    return {"node": node, "label": data.get("label") or node, "types": [re.sub(r"(?<!^)(?=[A-Z])", " ", t).lower() for t in data.get("types", [])],
            "kind": _KIND_WORDS.get(data.get("kind"), data.get("kind") or ""),
            "description": data.get("description") or "", "names": _names(graph, node, spellings),
            "ties": sorted(ties, key=lambda line: line.sort), "timeline": list(merged.values()), "documents": docs}


def render_profile(graph: nx.MultiDiGraph, node: str, texts: dict[str, str],
                   spellings: Spellings | None = None, said: dict[str, str] | None = None) -> str:
    """The HTML profile page of ``node`` (every value from the data escaped)."""
    page = profile(graph, node, texts, spellings, said)
    return environment().get_template("profile.html.j2").render(
        page=page, profile_href=lambda n: profile_href(n, "../"), source_href=lambda d: "../" + source_href(d),
        graph_href="../graph.html#node=" + url_quote(node, safe=""))


def write_profiles(folder: Path, graph: nx.MultiDiGraph, texts: dict[str, str],
                   said: dict[str, str] | None = None) -> list[Path]:
    """Write ``folder/<id>.html`` for every node of :func:`profile_nodes`; return the paths.

    ``said``: record node -> the source's words for its date (see :func:`profile`).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    spellings = Spellings(texts, document_series(graph))
    for node in profile_nodes(graph):
        name = node.removeprefix("id/")
        if not SAFE_DOC_ID.match(name):
            raise ViewError(f"entity id {node!r} cannot be a file name")
        path = folder / f"{name}.html"
        path.write_text(render_profile(graph, node, texts, spellings, said), encoding="utf-8")
        written.append(path)
    return written
