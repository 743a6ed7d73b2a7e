"""The interactive page in a real browser: Debian's Chromium driven by Playwright.

One browser for the module. Every page is opened with all requests except
``file:`` refused and counted, and with console errors, page errors and
dialogs recorded; each test checks there were none. Screenshots go to
``test-output/`` (ignored by git).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

from graph.network import load_rdf, typed_multigraph
from graph.view.page import write_page
from graph.view.screenshot import chromium_path, launch
from graph.view.sources_pages import write_source_pages

from .view_fixtures import SCRIPT, XSS, hostile_graph, synthetic_graph

if os.environ.get("CI") and chromium_path() is None:  # CI must run these, not skip them
    raise RuntimeError("no Chromium on the CI machine: .ci/run should have installed it (apt-get install -y chromium)")
sync_api = pytest.importorskip("playwright.sync_api", reason="install the test extras: pip install -e '.[test]'")
pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no Chromium: apt-get install -y chromium")

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"


@dataclass
class Watch:
    """What a browser context did that it should not have."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self):
        assert self.blocked == [], f"requests left the page: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def open_page(browser):
    """open_page(path) -> (page, watch): the page loaded and drawn, offline."""
    contexts = []

    def opener(path: Path, width: int = 1400, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        watch = Watch()

        def route(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                watch.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        context.on("console", lambda message: watch.errors.append(message.text) if message.type == "error" else None)
        context.on("weberror", lambda error: watch.errors.append(str(error.error)))
        context.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
        page = context.new_page()
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_selector("html[data-ready=true]")
        return page, watch

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def multigraph(out_dir) -> nx.MultiDiGraph:
    return typed_multigraph(load_rdf(out_dir))


def visible(page) -> tuple[set[str], set[str]]:
    nodes, edges = page.evaluate("[Array.from(kg.visibleNodes()), Array.from(kg.visibleEdges())]")
    return set(nodes), set(edges)


def first_hit(page, text: str) -> str:
    page.fill("#search", text)
    return page.get_attribute("#results li:first-child button", "data-id")


def test_the_real_page_is_offline_clean_and_shows_the_whole_graph(open_page, out_dir, multigraph):
    page, watch = open_page(out_dir / "graph.html")
    counts = page.evaluate("[kg.nodes.length, kg.edges.length, kg.nodeView.length, kg.edgeView.length]")
    assert counts == [multigraph.number_of_nodes(), multigraph.number_of_edges()] * 2
    assert page.inner_text("#counts").startswith(f"{multigraph.number_of_nodes()} of {multigraph.number_of_nodes()}")
    assert page.evaluate("kgTimes.drawn") > 0  # drawn; how fast is measured in bench/run.py, not here
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "graph-view.png")
    page.check("#physics")
    assert page.evaluate("kg.network.physics.options.enabled") is True
    page.uncheck("#physics")
    watch.assert_clean()


def test_searching_either_spelling_finds_the_same_person(open_page, out_dir):
    page, watch = open_page(out_dir / "graph.html")
    assert first_hit(page, "Kaabi") == first_hit(page, "Ka'abi") == first_hit(page, "KA’ABI") == "id/akram-al-kaabi"
    assert first_hit(page, "Ka'bi") == "id/mahdi-al-kabi"
    page.fill("#search", "Ka'abi")
    page.press("#search", "Enter")
    assert page.inner_text("#details h2") == "Akram Al-Kaabi"
    assert "Akram Al-Ka'abi" in page.inner_text("#details-body")
    assert "Secretary-general" in page.inner_text("#details-body") or "secretary-general" in page.inner_text("#details")
    watch.assert_clean()


def test_a_2024_date_range_hides_the_2022_events_and_keeps_overlapping_imprecise_dates(open_page, out_dir,
                                                                                        multigraph):
    page, watch = open_page(out_dir / "graph.html")
    page.fill("#date-from", "2024-01-01")
    page.fill("#date-to", "2024-12-31")
    page.dispatch_event("#date-to", "change")
    nodes, edges = visible(page)
    dated = {n: d["date"] for n, d in multigraph.nodes(data=True) if d.get("date") and d["date"]["latest"]}
    in_2022 = {n for n, d in dated.items() if d["latest"] < "2023-01-01" and d["earliest"]}
    assert in_2022 and not in_2022 & nodes
    assert not any(((multigraph.edges[u, v, k]["date"] or {}).get("latest") or "9") < "2023"
                   for u, v, k in multigraph.edges(keys=True) if k in edges)
    overlapping = {n for n, d in dated.items() if d["earliest"] and d["earliest"] <= "2024-12-31"
                   and d["latest"] >= "2024-01-01" and multigraph.nodes[n]["kind"] in ("event", "statement")}
    assert any(dated[n]["precision"] != "day" for n in overlapping)
    assert overlapping <= nodes
    assert "id/al-nujaba" in nodes  # entities have no date: always kept
    page.click("#date-clear")
    assert len(visible(page)[0]) == multigraph.number_of_nodes()
    watch.assert_clean()


def test_focus_mode_shows_the_n_hop_neighbourhood(open_page, out_dir, multigraph):
    page, watch = open_page(out_dir / "graph.html")
    page.fill("#search", "Nujaba")
    page.press("#search", "Enter")
    page.fill("#hops", "1")
    page.click("#focus")
    undirected = multigraph.to_undirected(as_view=True)
    assert visible(page)[0] == set(nx.single_source_shortest_path_length(undirected, "id/al-nujaba", cutoff=1))
    page.click("#unfocus")
    assert len(visible(page)[0]) == multigraph.number_of_nodes()
    watch.assert_clean()


FIND_CLICKABLE_EDGE = """() => {
  const box = document.getElementById("graph").getBoundingClientRect();
  for (const id of kg.edgeView.getIds()) {
    const edge = kg.edges.get(id);
    if (edge.smooth || !kg.info.edges[id].evidence.length) continue;
    const p = kg.network.getPositions([edge.from, edge.to]);
    const at = kg.network.canvasToDOM({x: (p[edge.from].x + p[edge.to].x) / 2, y: (p[edge.from].y + p[edge.to].y) / 2});
    if (at.x < 20 || at.y < 20 || at.x > box.width - 20 || at.y > box.height - 20) continue;
    if (kg.network.getEdgeAt(at) === id && kg.network.getNodeAt(at) === undefined)
      return {id: id, x: box.left + at.x, y: box.top + at.y};
  }
  return null;
}"""


def test_clicking_an_edge_shows_its_quote_and_the_link_opens_the_source_at_it(open_page, out_dir):
    page, watch = open_page(out_dir / "graph.html")
    target = page.evaluate(FIND_CLICKABLE_EDGE)
    assert target, "no edge could be clicked at its midpoint"
    page.mouse.click(target["x"], target["y"])
    info = page.evaluate("id => kg.info.edges[id]", target["id"])
    quote, start, end = info["evidence"][0]
    assert page.inner_text("#details blockquote.quote >> nth=0") == quote
    with page.context.expect_page() as opened:
        page.click("#details a.quote-link >> nth=0")
    source = opened.value
    source.wait_for_load_state()
    assert source.url.endswith(f"sources/{info['document']}.html#q-{start}-{end}")
    assert source.locator(f"#q-{start}-{end}").count() == 1
    assert "".join(source.locator("mark.current").all_inner_texts()) == quote
    assert source.evaluate("() => { const r = document.querySelector('mark.current').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }")
    source.screenshot(path=OUTPUT / "source-page.png")
    watch.assert_clean()


def test_markup_in_the_data_is_shown_as_text_and_never_runs(open_page, tmp_path):
    graph, texts, quote = hostile_graph()
    write_page(tmp_path / "graph.html", graph)
    write_source_pages(tmp_path / "sources", graph, texts)
    page, watch = open_page(tmp_path / "graph.html")
    scripts = page.evaluate("document.scripts.length")
    for name in ("img src", "script", "Evil O'Person"):
        assert first_hit(page, name) == "id/evil-person"
        page.click("#results li:first-child button")
        assert page.inner_text("#details h2") == f"Person {XSS}"
    assert f"Description {SCRIPT} {XSS}" in page.inner_text("#details-body")
    page.click("#node-facts button[data-edge] >> nth=0")
    assert page.inner_text("#details blockquote.quote") == quote
    assert page.inner_text("#details a.doc-title") == f"Title {XSS} {SCRIPT}"
    page.check("#edge-labels")
    with page.context.expect_page() as opened:
        page.click("#details a.quote-link")
    source = opened.value
    source.wait_for_load_state()
    assert "".join(source.locator("mark.current").all_inner_texts()) == quote
    for view in (page, source):
        assert view.evaluate("window.__pwned") is None
        assert view.evaluate("document.querySelectorAll('img, b, iframe, object').length") == 0
    assert page.evaluate("document.scripts.length") == scripts
    assert source.evaluate("document.scripts.length") == 1
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "graph-view-hostile.png")
    watch.assert_clean()


def test_2000_nodes_are_all_shown_labelled_and_searchable(open_page, tmp_path):
    # Time to interactive at this size is measured by bench/run.py (a benchmark, not a timed test).
    graph, _ = synthetic_graph(2000)
    write_page(tmp_path / "graph.html", graph)
    page, watch = open_page(tmp_path / "graph.html")
    assert page.evaluate("[kg.nodeView.length, kg.edgeView.length]") == [2000, graph.number_of_edges()]
    assert first_hit(page, "Person 6") == "id/n00006"
    page.click("#results li:first-child button")
    assert page.inner_text("#details h2") == "Person 6"
    assert page.evaluate("kg.nodes.get().filter(node => node.label).length") == 2000
    watch.assert_clean()


def test_above_the_limit_the_page_says_what_is_hidden_and_how_to_see_it(open_page, tmp_path):
    graph, _ = synthetic_graph(2600)
    write_page(tmp_path / "graph.html", graph, max_nodes=2000)
    page, watch = open_page(tmp_path / "graph.html")
    assert page.evaluate("kg.nodeView.length") == 2000
    note = page.inner_text("#note")
    assert "2,000 most central of 2,600 nodes" in note and "kg view --focus" in note
    watch.assert_clean()
