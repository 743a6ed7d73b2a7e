"""The analysis of the real graph, and the report and files the build writes."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis import ANALYSIS_FILES, AnalysisSettings, analyse
from graph.analysis.charts import CHARTS
from graph.analysis.metrics import METRICS, TABLE_COLUMNS
from graph.analysis.outputs import analysis_files
from graph.network import load_rdf, typed_multigraph
from graph.sparql import load_library, render, run_sparql

from .analysis_fixtures import tiny_rdf

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def analysis(out_dir):
    return analyse(typed_multigraph(load_rdf(out_dir)))


# ---------------------------------------------------------------- what the sources say


@pytest.mark.parametrize("metric", ["actor_pagerank", "actor_betweenness", "actor_closeness", "coactivity_pagerank"])
def test_al_nujaba_is_among_the_most_central_actors(analysis, metric):
    top = [node for node, _ in analysis.top(metric, 3)]
    assert "id/al-nujaba" in top, top


def test_al_nujaba_appears_in_four_of_the_five_documents(analysis):
    assert analysis.table["id/al-nujaba"]["documents"] == 4
    # U.S. forces are in four documents too; as what the moratoriums cover they have more ties.
    assert analysis.table["id/us-forces"]["documents"] == 4
    assert analysis.main_actors[:2] == ["id/us-forces", "id/al-nujaba"]
    assert analysis.table["id/us-forces"]["degree"] > analysis.table["id/al-nujaba"]["degree"]


def test_the_august_2022_threats_are_not_followed(analysis):
    august = [t for t in analysis.threats if t.documents == ["document/jttm-2022-08-08"]]
    assert len(august) == 6
    for threat in august:
        assert threat.outcome == "not followed", threat.threat
        assert threat.source_outcome == "not carried out" and threat.source_facts


def test_the_july_2024_al_thawriyoun_claims_rest_on_a_single_channel(analysis):
    attack = next(a for a in analysis.claimed_attacks if a.attack == "id/thawriyoun-rockets-us-bases-2024-07-25")
    claim = next(c for c in attack.claims if c.claimant == "id/al-thawriyoun")
    assert claim.documents == ["document/jttm-2024-07-30"]
    assert claim.channels == []  # the source names no outlet or channel for the claim
    assert claim.single_channel and attack.single_channel
    assert "id/thawriyoun-claim-us-bases-2024-07" in claim.statements


def _sparql_rows(out_dir, name: str, **params) -> list[dict]:
    result = run_sparql(render(load_library()[name], {k: str(v) for k, v in params.items()}), out_dir)
    return [{v: (cell[1] if cell else "") for v, cell in zip(result.variables, row)} for row in result.rows]


@pytest.mark.parametrize("days", [30, 400])
def test_follow_through_agrees_with_the_sparql_query(out_dir, days):
    computed = analyse(typed_multigraph(load_rdf(out_dir)), AnalysisSettings(window_days=days))
    ours = {t.threat: t.followed for t in computed.threats}
    theirs = {row["threat"].removeprefix("https://example.org/faction-kg/"): row["followed"] == "followed"
              for row in _sparql_rows(out_dir, "threat-follow-through", days=days)}
    assert ours == theirs
    assert any(ours.values()) == (days == 400)  # the IRI's January 2024 threat, 200 days before the July attacks


def test_activity_agrees_with_the_sparql_query(analysis, out_dir):
    ours = {(r.actor, r.period, r.kind): r.count for r in analysis.activity_rows}
    theirs = {(row["actor"].removeprefix("https://example.org/faction-kg/"), row["period"], row["kind"]):
              int(row["items"]) for row in _sparql_rows(out_dir, "activity-per-month")}
    assert ours == theirs


def test_every_fact_is_counted_and_sourced(analysis, corpus):
    per_document = analysis.quality.facts_per_document
    assert sum(f["total"] for f in per_document.values()) == len(corpus.facts)
    assert analysis.quality.unsourced_facts == []


# ---------------------------------------------------------------- machine-readable outputs


def test_metrics_json_has_one_entry_per_node_with_every_metric(out_dir, analysis):
    text = (out_dir / "metrics.json").read_text(encoding="utf-8")
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in metrics.json"))
    nodes = data["nodes"]
    assert sorted(nodes) == sorted(analysis.relation.nodes)
    entry = nodes["id/al-nujaba"]
    assert entry["label"] == "Al-Nujaba Movement" and entry["kind"] == "organization" and entry["type"] == "ArmedGroup"
    for metric in METRICS:
        assert metric.name in entry and metric.name in data["metrics"]
        assert all(v is None or (isinstance(v, (int, float)) and math.isfinite(v))
                   for v in (n[metric.name] for n in nodes.values()))
    assert nodes["id/iraq"]["actor_betweenness"] is None  # a place is not in the actor network


def test_metrics_csv_has_one_row_per_node(out_dir, analysis):
    lines = (out_dir / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(TABLE_COLUMNS)
    assert len(lines) - 1 == analysis.relation.number_of_nodes()
    assert "nan" not in "\n".join(lines).lower().split(",")


def _read_gexf(path):
    return nx.read_gexf(path, version="1.3")


@pytest.mark.parametrize(("name", "read"), [("kg.graphml", nx.read_graphml), ("kg.gexf", _read_gexf)])
def test_exports_load_back_with_the_same_counts(out_dir, analysis, name, read):
    graph = read(out_dir / name)
    assert graph.number_of_nodes() == analysis.relation.number_of_nodes()
    assert graph.number_of_edges() == analysis.relation.number_of_edges()
    node = graph.nodes["id:al-nujaba"]
    assert node["key"] == "id/al-nujaba"
    assert node["label"] == "Al-Nujaba Movement" and node["type"] == "ArmedGroup"
    assert node["actor_pagerank"] == pytest.approx(analysis.table["id/al-nujaba"]["actor_pagerank"])
    facts = {key for *_, key in analysis.relation.edges(keys=True)}
    assert {data["fact"] for *_, data in graph.edges(data=True)} == facts


def test_gexf_nodes_and_edges_carry_dates_for_the_timeline(out_dir, analysis):
    text = (out_dir / "kg.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    assert re.search(r'<edge [^>]*start="2024-07-25" end="2024-07-26"', text)
    assert "lastmodifieddate" not in text
    graph = _read_gexf(out_dir / "kg.gexf")
    for node, data in analysis.relation.nodes(data=True):
        exported = graph.nodes[node.replace("/", ":")]
        date = data.get("date") or {}
        # Dated events and statements live from their earliest to their latest day, a document from publication on.
        assert exported.get("start") == date.get("earliest"), node
        assert exported.get("end") == (None if data["kind"] == "document" else date.get("latest")), node
    on_timeline = [n for n, d in graph.nodes(data=True) if d["kind"] in ("event", "statement") and "end" in d]
    assert len(on_timeline) > 20


# ---------------------------------------------------------------- the report


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.targets, self.loads, self.tags = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("src", "href", "xlink:href", "data", "action", "srcset", "poster"):
            value = attrs.get(name) or ""
            if value.startswith("#"):
                self.targets.append(value[1:])
            elif value:
                self.loads.append((tag, name, value))


def test_report_html_is_self_contained(out_dir):
    text = (out_dir / "report.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(text)
    # every src/href is an anchor inside the page, or a profile or source page of the same build
    assert all(tag == "a" and name == "href" and re.match(r"^(entities|sources)/[\w.-]+\.html(#[\w-]+)?$", value)
               for tag, name, value in parser.loads), parser.loads[:3]
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.IGNORECASE)
    assert not {"script", "link", "iframe", "object", "embed", "img", "foreignobject"} & set(parser.tags)
    assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.IGNORECASE)
    assert set(parser.targets) <= parser.ids, set(parser.targets) - parser.ids


def test_every_chart_is_in_the_report(out_dir):
    text = (out_dir / "report.html").read_text(encoding="utf-8")
    for name in CHARTS:
        assert re.search(rf'<figure id="chart-{name}"><svg[^>]*>.*?</svg>', text, re.DOTALL), name
    assert text.count("<svg") == len(CHARTS)


def test_every_section_is_in_both_reports(out_dir):
    html_text = (out_dir / "report.html").read_text(encoding="utf-8")
    markdown = (out_dir / "report.md").read_text(encoding="utf-8")
    for heading in ("Key findings", "Central actors", "What the graph holds", "Network measures in detail",
                    "Structure: pieces, core, brokers and clusters",
                    "Activity over time", "Claim corroboration", "Threats and what followed", "Main actors",
                    "Data quality", "Appendix: facts cited in this report"):
        assert f">{heading}</h2>" in html_text and f"\n## {heading}\n" in markdown


def test_markup_in_the_data_is_shown_as_text(tmp_path):
    label = '<script>alert("x")</script> & <b>$\\alpha$</b>'
    analysis_files(analyse(typed_multigraph(tiny_rdf(group_one_label=label))), tmp_path)
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in report.lower() and "<b>" not in report
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in report
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<script" not in markdown.lower() and "&lt;script&gt;" in markdown


# ---------------------------------------------------------------- determinism


def test_report_from_the_nt_file_is_byte_identical_to_the_build_whatever_the_hash_seed(out_dir, tmp_path):
    for seed in ("1", "2"):
        target = tmp_path / f"out{seed}"
        target.mkdir()
        (target / "kg.nt").write_bytes((out_dir / "kg.nt").read_bytes())
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "graph", "report", "--out", str(target)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        for name in ANALYSIS_FILES:
            assert (target / name).read_bytes() == (out_dir / name).read_bytes(), (seed, name)


AWKWARD = ['say "no"', "it's", "both ' and \"", "a < b & c > d", "line\nbreak\tand tab", "", "Ka\u2019abi \u0627\u0644"]


@pytest.mark.parametrize(("name", "read"), [("kg.graphml", nx.read_graphml), ("kg.gexf", _read_gexf)])
def test_exports_keep_awkward_strings_as_they_are(tmp_path, name, read):
    from graph.analysis.exports import write_gexf, write_graphml

    graph = nx.MultiDiGraph()
    for number, text in enumerate(AWKWARD):
        graph.add_node(f"id/n{number}", label=f"node {number}", key=f"id/n{number}", description=text, count=number)
        graph.add_edge(f"id/n{number}", "id/n0", key=f"fact/d/{number}", label="r", relation="r",
                       fact=f"fact/d/{number}", quotes=text)
    path = tmp_path / name
    (write_graphml if name == "kg.graphml" else write_gexf)(graph, path)
    back = read(path)
    # GraphML keeps an empty string; GEXF has no way to (its reader drops the empty value)
    assert {n: d.get("description", "") for n, d in back.nodes(data=True)} == {
        f"id:n{number}": text for number, text in enumerate(AWKWARD)}
    assert sorted(d.get("quotes", "") for *_, d in back.edges(data=True)) == sorted(AWKWARD)
    assert (write_graphml if name == "kg.graphml" else write_gexf)(graph, tmp_path / "again") is None
    assert (tmp_path / "again").read_bytes() == path.read_bytes()
