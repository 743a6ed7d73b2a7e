"""graph.html is rendered once per content: a rebuild that shows the same graph finds its page in the cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph.view import page
from graph.view.page import render_page

from .view_fixtures import hostile_graph, synthetic_graph

ROOT = Path(__file__).resolve().parent.parent


def no_rendering(*args, **kwargs):
    raise AssertionError("a page in the cache was rendered again")


def test_a_page_is_rendered_once_and_found_again_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    graph, _ = synthetic_graph(40)
    first = render_page(graph)
    [entry] = (tmp_path / "pages").glob("*.html")
    monkeypatch.setattr(page, "build_network", no_rendering)
    assert render_page(graph) == first
    entry.write_text("damaged", encoding="utf-8")
    with pytest.raises(AssertionError, match="rendered again"):
        render_page(graph)  # a damaged entry is not trusted


@pytest.mark.parametrize("change", ["another title", "a node's label", "another focus", "fewer nodes shown"])
def test_a_page_showing_anything_else_is_rendered_again(tmp_path, monkeypatch, change):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    graph, _ = synthetic_graph(40)
    render_page(graph)
    monkeypatch.setattr(page, "build_network", no_rendering)
    options = {}
    if change == "another title":
        options["title"] = "Another title"
    elif change == "a node's label":
        node = sorted(graph.nodes)[0]
        graph.nodes[node]["label"] = graph.nodes[node].get("label", node) + " (renamed)"
    elif change == "another focus":
        options["focus"] = sorted(graph.nodes)[0]
    else:
        options["max_nodes"] = 10
    with pytest.raises(AssertionError, match="rendered again"):
        render_page(graph, **options)


@pytest.mark.parametrize("title", [None, "A title with a carriage return\r, a line break\n and é"])
def test_a_page_from_the_cache_is_the_page_an_empty_cache_renders(tmp_path, monkeypatch, title):
    graph, _, _ = hostile_graph()
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "one"))
    rendered = render_page(graph, title=title)
    with monkeypatch.context() as patched:
        patched.setattr(page, "build_network", no_rendering)
        found = render_page(graph, title=title)  # from the cache, or this raises
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "other"))
    assert found == rendered == render_page(graph, title=title)


def test_other_code_or_another_pyvis_renders_the_page_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    graph, _ = synthetic_graph(40)
    render_page(graph)
    monkeypatch.setattr(page, "build_network", no_rendering)
    monkeypatch.setattr(page, "_rendering_version", lambda: "other code;pyvis=0.3.3")
    with pytest.raises(AssertionError, match="rendered again"):
        render_page(graph)


def test_metrics_json_cannot_key_is_rendered_without_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    graph, _ = synthetic_graph(40)
    node = sorted(graph.nodes)[0]
    metrics = {"nodes": {node: {"pagerank": float("nan")}}}
    assert render_page(graph, metrics=metrics) == render_page(graph, metrics=metrics)
    assert not list((tmp_path / "pages").glob("*.html"))


def test_a_rebuild_showing_the_same_graph_imports_neither_pyvis_nor_ipython(tmp_path):
    cache = tmp_path / "cache"
    program = ("import sys; from pathlib import Path; from graph.pipeline import build; "
               f"build(out=Path(sys.argv[1])); "
               "print(sorted(m for m in ('pyvis', 'IPython') if m in sys.modules))")
    environment = {"KG_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", program, str(tmp_path / name)], cwd=ROOT, env=environment,
                           capture_output=True, text=True, check=True).stdout.split("\n")[-2]
            for name in ("first", "second")]
    assert runs == ["['IPython', 'pyvis']", "[]"]
    assert (tmp_path / "first" / "graph.html").read_bytes() == (tmp_path / "second" / "graph.html").read_bytes()
