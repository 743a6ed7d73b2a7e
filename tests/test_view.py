"""The interactive page and the source pages, checked without a browser.

What a browser must confirm (no requests, search, filters, clicks, no
markup run) is in test_view_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.network import load_rdf
from graph.view import focused_page_name, write_focused_page
from graph.view.data import resolve_entity, search, select_view, view_graph, view_model
from graph.view.errors import ViewError
from graph.view.html import script_json
from graph.view.page import build_network, render_page
from graph.view.sources_pages import Passage, highlight, passages_by_document, render_source_page

from .view_fixtures import SCRIPT, XSS, hostile_graph, synthetic_graph

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_BLOCK = re.compile(r'<script type="application/json" id="kg-(\w+)">(.*?)</script>', re.S)


def embedded(html: str) -> dict:
    """The JSON blocks of a graph page, by name (nodes, edges, options, info)."""
    return {name: json.loads(text) for name, text in SCRIPT_BLOCK.findall(html)}


class Marks(HTMLParser):
    """Collects the anchors of a source page and the text under each passage."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: list[str] = []
        self.text: dict[str, str] = {}
        self.open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and attrs.get("class") == "anchor":
            self.anchors.append(attrs["id"])
        if tag == "mark":
            self.open = attrs["data-p"].split()

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open = None

    def handle_data(self, data):
        for anchor in self.open or []:
            self.text[anchor] = self.text.get(anchor, "") + data


def marks_of(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def page(out_dir) -> str:
    return (out_dir / "graph.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def multigraph(out_dir) -> nx.MultiDiGraph:
    return view_graph(load_rdf(out_dir))


# ---------- the page ----------

def test_the_build_writes_the_page_and_one_source_page_per_document(out_dir, corpus):
    assert (out_dir / "graph.html").stat().st_size > 100_000
    assert sorted(p.stem for p in (out_dir / "sources").glob("*.html")) == sorted(corpus.documents)


def test_the_page_loads_nothing_from_outside(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert "bootstrap" not in page.lower() and "cdnjs" not in page and "jsdelivr" not in page
    assert "sourceMappingURL" not in page
    assert "default-src 'none'" in page.replace("&#39;", "'")


def test_node_and_edge_records_are_the_whole_multigraph(page, multigraph):
    data = embedded(page)
    assert {n["id"] for n in data["nodes"]} == set(multigraph.nodes)
    assert {e["id"] for e in data["edges"]} == {k for _, _, k in multigraph.edges(keys=True)}
    assert len(data["edges"]) == multigraph.number_of_edges() == len(data["info"]["info"]["edges"])
    assert data["info"]["meta"]["note"] == ""


def test_no_pyvis_title_tooltips_and_positions_are_shipped_with_physics_off(page):
    data = embedded(page)
    assert all("title" not in record for record in data["nodes"] + data["edges"])
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    assert '<input id="physics" type="checkbox">' in page


def test_claimed_assessed_and_disputed_links_are_drawn_differently(page):
    data = embedded(page)
    edges = {e["id"]: e for e in data["edges"]}
    styles = {}
    for key, item in data["info"]["info"]["edges"].items():
        styles.setdefault(item["shown"], set()).add(json.dumps({k: edges[key].get(k) for k in ("dashes", "width")},
                                                               sort_keys=True))
    assert {"reported", "claimed", "assessed", "inferred", "disputed"} <= set(styles)
    assert all(len(s) == 1 for s in styles.values()), styles
    assert len({s.pop() for s in styles.values()}) == len(styles)
    disputed = [k for k, v in data["info"]["info"]["edges"].items() if v["shown"] == "disputed"]
    # The Sayyid Al-Shuhada' commander disavows the July 2024 rocket attacks that Al-Thawriyoun claimed.
    assert any("thawriyoun-rockets-us-bases-2024-07-25" in edges[k]["from"] + edges[k]["to"] for k in disputed)


def test_every_entity_type_and_relation_kind_has_a_filter_in_the_legend(page):
    data = embedded(page)
    for kind in {n["group"] for n in data["nodes"]}:
        assert f'data-kind="{kind}"' in page
    for kind in {e["kind"] for e in data["info"]["info"]["edges"].values()}:
        assert f'data-relation="{kind}"' in page


def test_every_size_measure_is_shipped_and_pagerank_comes_from_metrics_json(multigraph):
    metrics = {"nodes": {"id/al-nujaba": {"pagerank": 0.5, "degree": 3}, "id/iran": {"pagerank": 0.1}}}
    with_metrics = view_model(multigraph, metrics)
    assert with_metrics["meta"]["measure"] == "facts" and set(with_metrics["meta"]["measures"]) == {
        "facts", "documents", "actorDegree", "pagerank"}
    nujaba = with_metrics["info"]["nodes"]["id/al-nujaba"]["sizes"]
    assert nujaba["pagerank"] == 0.5
    facts = [k for u, v, k in multigraph.edges(keys=True) if "id/al-nujaba" in (u, v) and k.startswith("fact/")]
    assert nujaba["facts"] == len(facts)
    assert nujaba["documents"] == len({multigraph.edges[u, v, k]["document"] for u, v, k in multigraph.edges(keys=True)
                                       if k in facts})
    assert view_model(multigraph)["info"]["nodes"]["id/al-nujaba"]["sizes"]["pagerank"] > 0  # computed here


def test_the_first_screen_is_the_armed_actor_network_and_its_largest_nodes_are_armed_actors(multigraph):
    model = view_model(multigraph)
    actors = {n for n, item in model["info"]["nodes"].items() if item["actor"]}
    kinds = {model["info"]["nodes"][n]["kind"] for n in actors}
    assert kinds <= {"person", "organization", "umbrella", "collective"}
    assert {"id/islamic-resistance-in-iraq", "id/al-nujaba", "id/akram-al-kaabi", "id/hizbullah-brigades"} <= actors
    assert not {"id/iran", "id/israel", "id/iraq", "id/telegram", "id/us-forces"} & actors
    sizes = {n: model["info"]["nodes"][n]["sizes"]["facts"] for n in actors}
    top = sorted(sizes, key=lambda n: -sizes[n])[:3]
    assert "id/islamic-resistance-in-iraq" in top and "id/al-nujaba" in top


def test_sources_are_cited_by_publisher_series_and_date(multigraph):
    documents = view_model(multigraph)["meta"]["documents"]
    assert documents["jttm-2024-01-08"] == "MEMRI JTTM, 8 January 2024"
    assert all(len(citation) <= 60 for citation in documents.values())


def test_the_page_is_built_in_bulk_not_edge_by_edge():
    graph, _ = synthetic_graph(3000, edges_per_node=3)
    model = view_model(graph, max_nodes=3000)
    network = build_network(model)
    assert network.num_nodes() == 3000 and network.num_edges() == graph.number_of_edges()


@pytest.mark.parametrize("name, expected", [
    ("Akram Kaabi", "id/akram-al-kaabi"), ("Akram Ka'abi", "id/akram-al-kaabi"), ("AKRAM AL-KA’ABI", "id/akram-al-kaabi"),
    ("akram-al-kaabi", "id/akram-al-kaabi"), ("Mahdi Al-Kaabi", "id/mahdi-al-kabi"), ("Nujaba", "id/al-nujaba"),
    ("Musawi", "id/husayn-al-mousawi"), ("Hezbollah", "id/hizbullah"), ("Hezbollah Brigades", "id/hizbullah-brigades"),
])
def test_a_name_in_any_spelling_resolves_to_its_entity(multigraph, name, expected):
    assert resolve_entity(multigraph, name) == expected
    if not name.startswith("akram-"):
        assert search(multigraph, name)[0][3] == expected


@pytest.mark.parametrize("name, message", [
    ("al-ka", "matches 2 entities equally well"), ("Kaabi", "akram-al-kaabi .*mahdi-al-kabi"),
    ("no such group", "no entity named 'no such group'"),
])
def test_an_unknown_or_ambiguous_name_is_refused(multigraph, name, message):
    with pytest.raises(ViewError, match=message):
        resolve_entity(multigraph, name)


def test_above_the_size_limit_the_most_central_part_is_shown_with_a_note():
    graph, _ = synthetic_graph(2600)
    html = render_page(graph, max_nodes=2000)
    meta = embedded(html)["info"]["meta"]
    assert meta["shown"]["nodes"] == 2000 and meta["total"]["nodes"] == 2600
    assert "Showing the 2,000 most central of 2,600 nodes" in meta["note"]
    assert 'id="note"' in html and "kg view --focus ENTITY --hops N" in html


def test_a_focus_keeps_the_n_hop_neighbourhood(multigraph):
    selection = select_view(multigraph, {}, focus="id/akram-al-kaabi", hops=1)
    expected = {"id/akram-al-kaabi", *multigraph.successors("id/akram-al-kaabi"),
                *multigraph.predecessors("id/akram-al-kaabi")}
    assert set(selection.nodes) == expected


# ---------- safety ----------

def test_json_in_script_cannot_close_the_element_or_open_markup():
    text = script_json({"a": "</script><script>x()</script>", "b": "<!-- \u2028 \u2029 &"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>x()</script>", "b": "<!-- \u2028 \u2029 &"}


def test_markup_in_the_data_never_reaches_the_html_unescaped():
    graph, texts, _ = hostile_graph()
    html = render_page(graph)
    assert "<img" not in html
    assert html.count("</script>") == 7  # four JSON blocks, vis-network, vis-timeline, the page's script
    assert SCRIPT not in html and XSS not in html
    data = embedded(html)
    assert data["info"]["info"]["nodes"]["id/evil-person"]["label"] == f"Person {XSS}"
    source = render_source_page("evil", graph.nodes["document/evil"]["label"], texts["evil"],
                                passages_by_document(graph)["evil"])
    assert "<img" not in source and "<b>" not in source and source.count("</script>") == 1


# ---------- source pages ----------

@pytest.mark.parametrize("doc_id", ["jttm-2022-08-08", "jttm-2023-11-01", "jttm-2024-01-08", "jttm-2024-07-30",
                                    "news-haifa-drones-undated"])
def test_every_quote_is_highlighted_and_anchored_at_its_offsets(out_dir, corpus, multigraph, doc_id):
    html = (out_dir / "sources" / f"{doc_id}.html").read_text(encoding="utf-8")
    marks = marks_of(html)
    passages = passages_by_document(multigraph)[doc_id]
    assert passages
    text = corpus.documents[doc_id].text
    for passage in passages:
        assert passage.anchor in marks.anchors
        assert marks.text[passage.anchor] == passage.quote == text[passage.start:passage.end]


def test_every_link_from_the_page_to_a_quote_has_its_anchor(out_dir, page):
    info = embedded(page)["info"]["info"]
    anchors = {}
    for item in info["edges"].values():
        for _, start, end in item["evidence"]:
            doc = item["document"]
            if doc not in anchors:
                anchors[doc] = set(marks_of((out_dir / "sources" / f"{doc}.html").read_text(encoding="utf-8")).anchors)
            assert f"q-{start}-{end}" in anchors[doc]


@pytest.mark.parametrize("spans", [
    [(0, 10), (5, 15)],              # overlapping
    [(0, 20), (5, 10)],              # nested
    [(3, 8), (3, 8), (3, 12)],       # identical and sharing a start
    [(0, 5), (5, 9), (9, 9)],        # touching, and empty
])
def test_overlapping_passages_render_correctly(spans):
    text = "abcdefghij<k>&mnopqrstu"
    passages = [Passage(s, e, text[s:e]) for s, e in sorted(set(spans))]
    html = str(highlight(text, passages))
    marks = marks_of(html)
    for passage in passages:
        assert passage.anchor in marks.anchors
        assert marks.text.get(passage.anchor, "") == passage.quote
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_a_quote_that_does_not_match_its_document_is_refused():
    with pytest.raises(ViewError, match="does not match the document text"):
        highlight("some text", [Passage(0, 4, "else")])


def test_a_document_id_that_is_not_a_file_name_is_refused(tmp_path):
    from graph.view.sources_pages import write_source_pages

    with pytest.raises(ViewError, match="cannot be a file name"):
        write_source_pages(tmp_path, nx.MultiDiGraph(), {"../evil": "text"})


# ---------- kg view ----------

def test_the_word_index_finds_exactly_the_documents_a_full_search_finds(multigraph, corpus):
    """Every name and spelling of every entity: the documents that use it, as a search of every document says."""
    from graph.view.profiles import Spellings, _uses, profile_nodes

    texts = {doc_id: document.text for doc_id, document in corpus.documents.items()}
    spellings = Spellings(texts)
    names = {name for node in profile_nodes(multigraph)
             for name in [multigraph.nodes[node]["label"], *multigraph.nodes[node].get("aliases", ())]}
    found = {name: spellings.documents_using(name) for name in sorted(names)}
    assert found == {name: sorted(doc for doc, text in spellings.folded.items() if _uses(name, text))
                     for name in sorted(names)}
    assert found["Hizbullah Brigades"] and sum(map(bool, found.values())) > len(names) / 2


@pytest.fixture()
def build_copy(out_dir, tmp_path) -> Path:
    """A copy of the build's graph files, so that kg view can write beside them."""
    copy = tmp_path / "out"
    copy.mkdir()
    for name in ("kg.nt", "metrics.json"):
        if (out_dir / name).exists():
            shutil.copy(out_dir / name, copy / name)
    return copy


def test_kg_view_writes_a_focused_page(build_copy):
    result = CliRunner().invoke(main, ["view", "--focus", "Akram Ka'abi", "--hops", "1", "--out", str(build_copy)])
    assert result.exit_code == 0, result.output
    path = build_copy / focused_page_name("id/akram-al-kaabi", 1)
    assert str(path) in result.output
    meta = embedded(path.read_text(encoding="utf-8"))["info"]["meta"]
    assert meta["focus"] == "id/akram-al-kaabi" and meta["hops"] == 1
    assert 0 < meta["shown"]["nodes"] < meta["total"]["nodes"]


@pytest.mark.parametrize("args, message", [
    (["--focus", "al-ka"], "matches 2 entities equally well"),
    (["--focus", "zzz-no-one"], "no entity named 'zzz-no-one'"),
    (["--hops", "-1"], "-1 is not in the range x>=0"),
])
def test_kg_view_errors_are_one_clear_line(out_dir, args, message):
    result = CliRunner().invoke(main, ["view", *args, "--out", str(out_dir)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_kg_view_without_a_build_says_to_build_first(tmp_path):
    result = CliRunner().invoke(main, ["view", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "run the build first: python build.py" in result.output


def test_kg_view_writes_with_the_collector_paused_and_restores_it(build_copy, monkeypatch):
    import gc

    import graph.view.page

    seen = []
    write_page = graph.view.page.write_page

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return write_page(*args, **kwargs)

    monkeypatch.setattr(graph.view.page, "write_page", recording)
    assert gc.isenabled()
    result = CliRunner().invoke(main, ["view", "--focus", "al-nujaba", "--out", str(build_copy)])
    assert result.exit_code == 0, result.output
    assert seen == [False] and gc.isenabled()


def test_without_a_focus_kg_view_writes_the_same_graph_html_as_the_build(build_copy, page):
    assert write_focused_page(build_copy) == build_copy / "graph.html"
    assert (build_copy / "graph.html").read_text(encoding="utf-8") == page


# ---------- determinism ----------

def test_two_builds_write_byte_identical_pages_whatever_the_hash_seed(tmp_path):
    outs = []
    for seed in ("1", "3"):
        out = tmp_path / f"out{seed}"
        subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out)
    names = ["graph.html", *sorted(f"sources/{p.name}" for p in (outs[0] / "sources").glob("*.html"))]
    assert len(names) == 6
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_the_view_graph_adds_roles_and_relation_labels(out_dir):
    graph = view_graph(load_rdf(out_dir))
    roles = {d["role"] for u, v, d in graph.edges(data=True) if u == "id/husayn-al-mousawi" and v == "id/al-nujaba"}
    assert roles & {"spokesman", "SpokespersonRole"}
    assert graph.graph["relation_labels"]["spokespersonOf"] == "spokesperson of"
