"""Benchmark the build beside the baseline: bench/results/*.json and BENCHMARKS.md.

    python bench/run.py                         # seed + 100, 1,000 and 10,000 documents, now and before
    python bench/run.py --sizes 100 1000        # a quicker run
    python bench/run.py --before none           # the current tree only
    python bench/run.py --report                # only rewrite BENCHMARKS.md from bench/results/

"Before" is a checkout of an earlier commit (bench/baseline.py; by default main
before the speed work of issue 16), timed in the same run, alternating with the
current tree, because these machines are noisy: the ratios are what to read.
For each corpus size: a clean build (empty cache), an unchanged rebuild, a
rebuild after one document is edited, every named query end to end as
``kg query`` runs it, and the page's first frame. Memory is the build process
tree's proportional set size, sampled at most 5% of the time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
CORPORA = BENCH / "corpora"


def build_once(sources: Path, out: Path) -> dict:
    """In this process: build, and report stage times and peak memory."""
    import resource

    sys.path.insert(0, str(ROOT))
    from graph.pipeline import build

    try:
        from graph.cache import BuildCache  # as kg build runs, with the cache in $KG_CACHE_DIR
        cache = {"cache": BuildCache()}
    except ImportError:  # a tree from before the build cache
        cache = {}
    started = time.perf_counter()
    result = build(sources, out, **cache)
    return {
        "documents": len(result.corpus.documents),
        "triples": result.triples,
        "seconds": round(time.perf_counter() - started, 3),
        "stage_seconds": result.stage_seconds,
        "stage_peak_mb": result.stage_peak_mb,
        "step_seconds": result.step_seconds,
        "step_peak_mb": result.step_peak_mb,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "cache": dict(getattr(result, "cache_stats", {})),
    }


def page_time(out: Path, repeats: int = 3) -> dict:
    """Time to the page's first drawn frame in headless Chromium, offline (best and all of N loads)."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from graph.view.screenshot import launch

    times, shown = [], None
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for _ in range(repeats):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
            page = context.new_page()
            page.goto((out / "graph.html").as_uri())
            page.wait_for_function("window.kgTimes && window.kgTimes.drawn", timeout=60_000)
            times.append(round(page.evaluate("window.kgTimes.drawn"), 1))
            shown = page.evaluate("[kg.nodeView.length, kg.edgeView.length]")
            context.close()
        browser.close()
    return {"drawn_ms_best": min(times), "drawn_ms": times, "nodes_shown": shown[0], "edges_shown": shown[1]}


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def run_size(documents: int, seed: int, before: Path | None, before_limit: float) -> dict:
    from measure import edit_one_document, fresh_folder, page_latency, query_latencies, sampled_build, timed

    corpus = CORPORA / str(documents)
    if not (corpus / "documents").is_dir():
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--documents", str(documents), "--seed", str(seed),
                        "--out", str(corpus)], check=True)
    scratch = CORPORA / f"{documents}-scratch"
    trees = {"now": ROOT, **({"before": before} if before else {})}
    result: dict = {"documents": documents, "corpus_seed": seed, "machine": machine()}
    for name, tree in trees.items():
        sources = fresh_folder(scratch / f"sources-{name}", create=False)  # each tree builds the same corpus
        shutil.copytree(corpus, sources)
        cache = fresh_folder(scratch / f"cache-{name}")
        out = fresh_folder(scratch / f"out-{name}", create=False)
        built = sampled_build(tree, sources, out, cache, timeout=before_limit if name == "before" else 7200)
        entry = {"clean": built}
        if built["seconds"] is None:
            result[name] = entry
            print(f"{documents} documents, {name}: stopped after {before_limit} s", flush=True)
            continue
        if name == "now":
            build = ["build.py", "--sources", str(sources), "--out", str(out)]
            entry["unchanged_seconds"] = timed(tree, build, cache)
        entry["queries"] = query_latencies(tree, out, cache, built["triples"], plain_reads=name == "now")
        entry["page"] = page_latency(tree, out, cache)
        if name == "now":
            edit_one_document(sources)
            entry["one_edited"] = sampled_build(tree, sources, out, cache)  # its stages, in one process
            edit_one_document(sources)  # a second edit, timed as a user runs it: interpreter start included
            entry["one_edited_wall_seconds"] = timed(tree, build, cache)
        result[name] = entry
        print(f"{documents} documents, {name}: {built['seconds']} s, {built['triples']} triples", flush=True)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", default=None, help="the baseline revision (default: bench/baseline.py's), "
                                                       "or 'none'")
    parser.add_argument("--before-limit", type=float, default=900,
                        help="stop a baseline build after this many seconds (it is recorded as stopped)")
    parser.add_argument("--repeats", type=int, default=5, help="alternating runs of the seed build")
    parser.add_argument("--report", action="store_true", help="only rewrite BENCHMARKS.md")
    parser.add_argument("--one", nargs=2, metavar=("SOURCES", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--page", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(build_once(Path(args.one[0]), Path(args.one[1]))))
        return
    if args.page:
        print(json.dumps(page_time(Path(args.page))))
        return
    sys.path.insert(0, str(BENCH))
    from baseline import BASELINE, baseline_tree
    from measure import fresh_folder, seed_times
    from report import write_report

    RESULTS.mkdir(exist_ok=True)
    if not args.report:
        before = None if args.before == "none" else baseline_tree(ROOT, args.before or BASELINE)
        seed = {**seed_times(ROOT, before, fresh_folder(CORPORA / "seed-scratch"), args.repeats),
                "machine": machine(), "baseline": str(before.name) if before else None}
        (RESULTS / "seed.json").write_text(json.dumps(seed, indent=1) + "\n")
        print(f"seed build: {seed['median_seconds']}", flush=True)
        for documents in args.sizes:
            result = run_size(documents, args.seed, before, args.before_limit)
            (RESULTS / f"size-{documents}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(write_report(RESULTS, ROOT / "BENCHMARKS.md"))


if __name__ == "__main__":
    main()
