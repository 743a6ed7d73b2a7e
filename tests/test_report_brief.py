"""The analyst's brief and the profile pages, on the real build.

Every number a finding states is recomputed here from the graph (the
relation multigraph), not copied from the report; every link between the
report, the profiles, the graph page and the source pages must resolve.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from graph.analysis import analyse
from graph.analysis.document import Heading, Paragraph, Table, Traced, to_html, to_markdown
from graph.analysis.outputs import csv_cell, metrics_csv
from graph.analysis.projections import ROLE_RELATIONS
from graph.analysis.report_brief import CORE_TYPES, core_actors, key_findings
from graph.analysis.threats import threat_context
from graph.network import load_rdf, typed_multigraph
from graph.view.data import view_graph
from graph.view.profiles import profile_nodes, render_profile

from .view_fixtures import hostile_graph


class Page(HTMLParser):
    """Ids, links and the text of each section of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.headings, self.tags = set(), [], [], []
        self._heading = None
        self.rows: list[tuple[str, list[str]]] = []  # (current h2 id, hrefs in the row)
        self._section = ""
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._row is not None:
                self._row.append(attrs["href"])
        if tag in ("h1", "h2", "h3"):
            self._heading = [tag, attrs.get("id", ""), ""]
            if tag in ("h2", "h3"):
                self._section = attrs.get("id", "")
        if tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading:
            self.headings.append(tuple(self._heading))
            self._heading = None
        if tag == "tr" and self._row is not None:
            self.rows.append((self._section, self._row))
            self._row = None

    def handle_data(self, data):
        if self._heading:
            self._heading[2] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def analysis(out_dir):
    return analyse(typed_multigraph(load_rdf(out_dir)))


@pytest.fixture(scope="module")
def report(out_dir) -> Page:
    return parse(out_dir / "report.html")


@pytest.fixture(scope="module")
def findings(analysis):
    contexts = threat_context(analysis.relation, analysis.threats, analysis.views["actor"].graph)
    return {f.name: f for f in key_findings(analysis, contexts)}


# ---------------------------------------------------------------- structure


def test_the_report_has_a_title_a_build_line_and_contents_then_the_findings_first(out_dir, report):
    text = (out_dir / "report.html").read_text(encoding="utf-8")
    assert report.headings[0] == ("h1", "", "Iraqi armed factions: what the sources say")
    assert "<title>Iraqi armed factions: what the sources say</title>" in text
    assert re.search(r'<p class="built">Built from 5 source documents, published between 8 August 2022 and '
                     r'30 July 2024 \(1 without an exact date\)\.</p>', text)
    sections = [h for h in report.headings if h[0] == "h2"]
    assert [h[1] for h in sections[:2]] == ["contents", "findings"]
    toc = re.search(r'<nav class="toc">(.*?)</nav>', text, re.DOTALL).group(1)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets == [h[1] for h in sections[1:]]  # every section, in order, and each anchor exists
    assert set(targets) <= report.ids


def test_there_are_five_to_ten_findings_each_with_a_traced_number(out_dir, findings):
    text = (out_dir / "report.html").read_text(encoding="utf-8")
    block = re.search(r'<ol class="findings">(.*?)</ol>', text, re.DOTALL).group(1)
    items = re.findall(r"<li>(.*?)</li>(?=<li>|$)", block, re.DOTALL)
    assert 5 <= len(items) <= 10 and len(items) == len(findings)
    for item in items:
        assert '<details class="trace">' in item  # a number that opens onto the facts behind it


def test_no_raw_date_notation_in_the_report(out_dir):
    text = (out_dir / "report.md").read_text(encoding="utf-8")
    prose = re.sub(r"`[^`]*`", "", text)  # keys in footnotes may contain dates
    assert "(withinbounds)" not in prose and not re.search(r"\[\d{4}-\d{2}-\d{2}\.\.", prose)
    assert not re.search(r"\b\d{4}-\d{2}\.\.\d{4}-\d{2}\b", prose)


# ---------------------------------------------------------------- findings, recomputed


def _actor_neighbours(analysis, node) -> int:
    graph = analysis.views["actor"].graph
    return len(graph[node]) if node in graph else 0


def _documents_of(relation, node) -> int:
    edges = list(relation.in_edges(node, data=True)) + list(relation.out_edges(node, data=True))
    return len({d["document"] for *_, d in edges})


def test_the_most_connected_group_is_recomputed_from_the_actor_network(analysis, findings):
    relation = analysis.relation
    groups = [n for n, d in relation.nodes(data=True) if set(d.get("types", [])) & CORE_TYPES]
    best = max(_actor_neighbours(analysis, n) for n in groups)
    finding = findings["most-connected"]
    assert finding.numbers["neighbours"] == best == _actor_neighbours(analysis, finding.numbers["actor"])
    assert finding.numbers["documents"] == _documents_of(relation, finding.numbers["actor"])
    assert finding.numbers["actor"] == "id/al-nujaba"  # what the documents say: four of five mention it


def test_the_most_documented_person_is_recomputed(analysis, findings):
    relation, finding = analysis.relation, findings["most-documented"]
    actor = finding.numbers["actor"]
    assert relation.nodes[actor]["kind"] == "person"
    facts = set(k for *_, k in relation.in_edges(actor, keys=True)) | set(k for *_, k in relation.out_edges(actor, keys=True))
    assert finding.numbers["facts"] == len(facts)
    assert finding.numbers["documents"] == _documents_of(relation, actor)
    people = [n for n in core_actors(analysis) if relation.nodes[n]["kind"] == "person"]
    assert all(_documents_of(relation, n) <= finding.numbers["documents"] for n in people)
    assert actor == "id/akram-al-kaabi"  # the only person named in two documents


def test_the_broker_is_recomputed_with_networkx(analysis, findings):
    import networkx as nx

    actor_graph = analysis.views["actor"].graph
    betweenness = nx.betweenness_centrality(actor_graph)
    core = core_actors(analysis)
    best = max(core & set(betweenness), key=lambda n: (betweenness[n], n))
    assert findings["broker"].numbers["percent"] == round(100 * betweenness[best])
    assert betweenness[findings["broker"].numbers["actor"]] == betweenness[best]


def test_the_claim_counts_are_recomputed_from_the_claimed_by_facts(analysis, findings):
    relation = analysis.relation
    claimed = {u for u, v, d in relation.edges(data=True)
               if d["relation"] == "claimedBy" and "Attack" in relation.nodes[u].get("types", [])}
    assert findings["single-channel"].numbers["claimed"] == len(claimed)
    claimants = Counter(v for u, v, d in relation.edges(data=True) if d["relation"] == "claimedBy" and u in claimed
                        for _ in [0])
    by_claimant = Counter()
    for u, v in {(u, v) for u, v, d in relation.edges(data=True) if d["relation"] == "claimedBy" and u in claimed}:
        by_claimant[v] += 1
    top = max(by_claimant.values())
    assert findings["claims"].numbers["claims"] == top == by_claimant[findings["claims"].numbers["actor"]]
    assert claimants  # the corpus has claims at all
    assert findings["claims"].numbers["actor"] == "id/islamic-resistance-in-iraq"


def test_the_threat_counts_are_recomputed(analysis, findings):
    import datetime as dt

    relation = analysis.relation
    threats = [n for n, d in relation.nodes(data=True) if "Threat" in d.get("types", [])]
    numbers = findings["threats"].numbers
    assert numbers["threats"] == len(threats) == 12
    window = analysis.settings.window_days
    attacks = {u: relation.nodes[u]["date"]["earliest"] for u, v, d in relation.edges(data=True)
               if d["relation"] in ("claimedBy", "perpetrator") and "Attack" in relation.nodes[u].get("types", [])
               and (relation.nodes[u].get("date") or {}).get("earliest")}
    followed = 0
    for threat in threats:
        date = relation.nodes[threat].get("date") or {}
        if not date.get("earliest"):
            continue
        causes = {v for _, v, r in relation.out_edges(threat, data="relation") if r == "inResponseTo"}
        last = dt.date.fromisoformat(date.get("latest") or date["earliest"])
        followed += any(date["earliest"] < day and (dt.date.fromisoformat(day) - last).days <= window
                        for attack, day in attacks.items() if attack not in causes)
    assert numbers["any actor"] == followed
    assert numbers["same actor"] <= numbers["any actor"] and numbers["tied group"] <= numbers["any actor"]


def test_the_voices_add_up_to_every_fact(analysis, findings):
    relation = analysis.relation
    statuses = Counter(d["status"] for *_, d in relation.edges(data=True))
    statuses.update(f["status"] for f in relation.graph["value_facts"].values())
    numbers = findings["voices"].numbers
    assert numbers["total"] == sum(statuses.values())
    assert {s: numbers[s] for s in statuses} == dict(statuses)


# ---------------------------------------------------------------- central actors


def test_the_central_actor_table_holds_no_state_politician_or_place(analysis, report):
    rows = [hrefs for section, hrefs in report.rows if section == "central" and hrefs]
    ranked = [unquote(h.removeprefix("entities/").removesuffix(".html")) for hrefs in rows for h in hrefs
              if h.startswith("entities/")]
    assert ranked, "the central-actor table is empty"
    relation = analysis.relation
    for name in ranked:
        node = relation.nodes[f"id/{name}"]
        assert node["kind"] in ("organization", "umbrella", "person"), name
        assert not set(node["types"]) & {"Country", "State", "Government", "MilitaryForce", "Place"}, name
        if node["kind"] == "person":  # a person is ranked only for a post or membership in a group
            assert any(d["relation"] in ROLE_RELATIONS + ("memberOf",) for *_, d in
                       relation.out_edges(f"id/{name}", data=True)), name
    for outsider in ("joe-biden", "sergey-lavrov", "vladimir-putin", "united-states", "russia", "iran"):
        assert outsider not in ranked


def test_no_zero_value_is_shown_as_a_rank(out_dir):
    text = (out_dir / "report.html").read_text(encoding="utf-8")
    central = text[text.index('id="central"'):text.index('id="context"')]
    for row in re.findall(r"<tr><td class=\"num\">\d+</td>(.*?)</tr>", central):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        ties = re.sub(r"<[^>]+>", "", cells[2]).strip()
        assert not ties.startswith("0")


# ---------------------------------------------------------------- evidence


def test_each_fact_behind_a_number_shows_the_quote_that_states_it(out_dir):
    text = (out_dir / "report.html").read_text(encoding="utf-8")
    shown = re.findall(r'<div class="fact"><a href="#[^"]+">([^<]*)</a>: <q>([^<]*)</q></div>', text)
    assert shown
    tweet_via = [quote for what, quote in shown if what.startswith("Abu Ala&#x27; Al-Walai tweet") and " via " in what]
    for quote in tweet_via:
        assert not quote.startswith("The following is a review")


# ---------------------------------------------------------------- markdown and csv


def test_report_md_reads_as_prose_with_the_keys_in_footnotes(out_dir):
    markdown = (out_dir / "report.md").read_text(encoding="utf-8")
    body, _, notes = markdown.partition("## Notes: the facts, documents and records behind each number")
    prose = body.partition("## Appendix: source documents")[0]  # the appendices name the facts by key
    assert notes and "fact/" not in prose and "document/" not in prose
    assert re.search(r"\[\^1\]", body) and re.search(r"^\[\^1\]: ", notes, re.MULTILINE)


def test_markdown_neutralises_carriage_returns_and_pipes():
    blocks = [Heading(2, "T\rx", "t"), Paragraph(["a\r\nb | c\rd"]), Table(["h|1"], [["x|y\r\nz"], [Traced(3, facts=("f|1",))]])]
    markdown = to_markdown("Title", blocks)
    assert "\r" not in markdown
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert [line.count("|") - line.count("\\|") for line in table] == [2, 2, 2, 2]
    assert "a b \\| c d" in markdown
    html = to_html("Title", blocks, set())
    assert "x|y" in html


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Al-Nujaba", "Al-Nujaba"), ("", ""), (-0.25, -0.25), (3, 3)])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(value, expected):
    assert csv_cell(value) == expected


def test_metrics_csv_quotes_a_formula_label():
    from .analysis_fixtures import tiny_rdf

    analysis = analyse(typed_multigraph(tiny_rdf(group_one_label='=HYPERLINK("http://x")')))
    rows = list(csv.reader(io.StringIO(metrics_csv(analysis))))
    labels = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in labels
    assert not any(str(cell).startswith(("=", "+", "@")) for row in rows[1:] for cell in row)


# ---------------------------------------------------------------- profiles and links


def test_there_is_a_profile_for_every_actor(out_dir, analysis):
    wanted = {n for n, d in analysis.relation.nodes(data=True)
              if d["kind"] in ("person", "organization", "umbrella", "collective")}
    assert {"id/al-nujaba", "id/islamic-resistance-in-iraq", "id/akram-al-kaabi"} <= wanted
    for node in sorted(wanted):
        assert (out_dir / "entities" / f"{node.removeprefix('id/')}.html").is_file(), node


def test_a_profile_lists_every_spelling_with_the_documents_using_it(out_dir, corpus):
    text = (out_dir / "entities" / "akram-al-kaabi.html").read_text(encoding="utf-8")
    entity = corpus.entities["akram-al-kaabi"]
    rows = dict(re.findall(r"<tr><td>([^<]*)</td><td>(.*?)</td></tr>", text))
    for name in (entity.label, *entity.aliases):
        shown = rows[name.replace("'", "&#39;")]
        using = sorted(doc for doc, document in corpus.documents.items()
                       if name.lower() in document.text.lower().replace("\u2019", "'"))
        assert re.findall(r">([\w.-]+)</a>", shown) == using, name
    assert rows["Akram Al-Kaabi"] != rows["Akram Al-Ka&#39;abi"]  # two spellings, used by different documents
    assert "secretary-general of" in text and "leader of" in text  # roles, from both documents


def _pages(out_dir: Path) -> list[Path]:
    return [out_dir / "report.html", *sorted((out_dir / "entities").glob("*.html")),
            *sorted((out_dir / "sources").glob("*.html"))]


def test_every_link_between_report_profiles_page_and_sources_resolves(out_dir):
    parsed = {}
    checked = 0
    for page in _pages(out_dir):
        for href in parse(page).links:
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, (page.name, href)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page.name, href)
            fragment = unquote(parts.fragment)
            if fragment and target.name != "graph.html":  # graph.html selects #node= / #edge= in its script
                if target not in parsed:
                    parsed[target] = parse(target)
                assert fragment in parsed[target].ids, (page.name, href)
            checked += 1
    assert checked > 1000


def test_the_report_profiles_and_source_pages_link_to_one_another(out_dir):
    report = parse(out_dir / "report.html").links
    profile = parse(out_dir / "entities" / "al-nujaba.html").links
    source = parse(out_dir / "sources" / "jttm-2024-01-08.html").links
    assert "entities/al-nujaba.html" in report
    assert any(h.startswith("sources/") and "#q-" in h for h in report)
    assert any(h.startswith("../sources/") and "#q-" in h for h in profile)
    assert "../report.html" in profile and "../graph.html#node=id%2Fal-nujaba" in profile
    assert "../entities/al-nujaba.html" in source


def test_source_pages_have_a_header_and_a_passage_list_linked_both_ways(out_dir):
    text = (out_dir / "sources" / "jttm-2024-01-08.html").read_text(encoding="utf-8")
    assert "<dt>Publisher</dt><dd>MEMRI</dd>" in text
    assert "<dt>Series</dt><dd>Jihad and Terrorism Threat Monitor (JTTM)</dd>" in text
    assert "<dt>Published</dt><dd>8 January 2024</dd>" in text and "<dt>Kind</dt><dd>monitoring report</dd>" in text
    numbers = re.findall(r'<a class="pn" href="#p-(q-\d+-\d+)">\d+</a>', text)
    items = re.findall(r'<li id="p-(q-\d+-\d+)">', text)
    backs = re.findall(r'<a class="back" href="#(q-\d+-\d+)">', text)
    assert numbers and sorted(numbers) == sorted(items) == sorted(backs)


def test_markup_in_the_data_is_escaped_on_a_profile():
    graph, texts, _ = hostile_graph()
    html = render_profile(graph, "id/evil-person", texts)
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=2" in html and "&lt;img src=x onerror=" in html
    assert "script-src &#39;none&#39;" in html
    assert profile_nodes(graph) == ["id/evil-person"]


def test_profiles_are_byte_identical_when_written_again(out_dir, corpus, tmp_path):
    from graph.view.profiles import write_profiles

    graph = view_graph(load_rdf(out_dir))
    texts = {doc_id: document.text for doc_id, document in corpus.documents.items()}
    said = {f"id/{r.id}": min(r.date_texts) for r in corpus.records.values() if r.date_texts}
    written = write_profiles(tmp_path, graph, texts, said)
    assert len(written) == len(list((out_dir / "entities").glob("*.html")))
    for path in written:
        assert path.read_bytes() == (out_dir / "entities" / path.name).read_bytes(), path.name


def test_profiles_do_not_depend_on_the_hash_seed(out_dir, tmp_path):
    import os
    import subprocess
    import sys

    script = ("import sys; from pathlib import Path; from graph.network import load_rdf; "
              "from graph.view.data import view_graph; from graph.view.profiles import write_profiles; "
              "write_profiles(Path(sys.argv[2]), view_graph(load_rdf(Path(sys.argv[1]))), {})")
    root = Path(__file__).resolve().parent.parent
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(out_dir), str(tmp_path / seed)], check=True, cwd=root,
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)})
    names = sorted(p.name for p in (tmp_path / "1").glob("*.html"))
    assert names and names == sorted(p.name for p in (tmp_path / "2").glob("*.html"))
    for name in names:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_the_markdown_contents_link_to_its_headings(out_dir):
    from graph.analysis.document import github_slug

    markdown = (out_dir / "report.md").read_text(encoding="utf-8")
    contents = markdown.split("## Contents", 1)[1].split("\n## ", 1)[0]
    targets = re.findall(r"\]\(#([\w-]+)\)", contents)
    slugs = [github_slug(line[3:]) for line in markdown.splitlines() if line.startswith("## ")]
    assert targets and targets == [s for s in slugs if s not in ("contents", github_slug(
        "Notes: the facts, documents and records behind each number"))]
