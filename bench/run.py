"""Benchmark the build at several corpus sizes; write bench/results/*.json and BENCHMARKS.md.

    python bench/run.py                      # seed build + 100, 1,000 and 10,000 documents
    python bench/run.py --sizes 100 1000     # a quicker run
    python bench/run.py --report             # only rewrite BENCHMARKS.md from bench/results/

Each size is built in a fresh process, so its peak memory is its own: the
build process's peak resident set, and the proportional set size of the
build and its SHACL child together, sampled at most 5% of the time (every 0.2 s or
longer: each read of a large process costs it about 0.1 s). Times
are wall-clock seconds; ratios (build vs. importing the dependencies, the
default SPARQL engine vs. rdflib's) are measured side by side in the same
run, because these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
IMPORTS = "import rdflib, networkx, pyvis, pyshacl"
# Everything the build itself imports (the report's charts and the page's layout need matplotlib and scipy):
BUILD_IMPORTS = ("import graph.cli, graph.pipeline, graph.analysis.charts, graph.view.page, matplotlib.figure, "
                 "scipy.sparse, scipy.optimize, pyvis.network, pyshacl")
RDFLIB_QUERY_LIMIT_TRIPLES = 200_000  # rdflib's engine is timed only up to this size (it needs minutes above)
QUERY_LIMIT_SECONDS = 60
STAGE_ORDER = ["load", "rdf", "shacl", "export", "analysis", "view"]


def _run_json(args: list[str], timeout: float) -> dict:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                pending += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and its descendants: shared pages are counted once."""
    total_kb = 0
    for member in _descendants(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass  # the process ended between listing and reading
    return total_kb / 1024


def _run_json_sampling_memory(args: list[str], timeout: float, duty: float = 0.05) -> tuple[dict, float]:
    """Like ``_run_json``, and sample the process tree's memory (PSS) meanwhile; return (result, peak MB).

    Reading ``smaps_rollup`` walks the target's page tables and holds its memory
    lock, about 0.1 s a read on a 1 GB process, so the sampler waits between
    reads for 1/``duty`` times as long as the last read took (at least 0.2 s):
    it then costs the build at most ``duty`` of its time, instead of inflating
    what it measures. Short peaks between samples are missed, so BENCHMARKS.md
    also gives the build's and its child's exact resident peaks (``ru_maxrss``).
    """
    import threading

    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            started = time.perf_counter()
            peak[0] = max(peak[0], _tree_pss_mb(process.pid))
            cost = time.perf_counter() - started
            time.sleep(max(0.2, cost / duty))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate(timeout=timeout)
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]), round(peak[0], 1)


def build_once(sources: Path, out: Path) -> dict:
    """In this process: build, and report stage times and peak memory."""
    import resource

    sys.path.insert(0, str(ROOT))
    from graph.pipeline import build

    started = time.perf_counter()
    result = build(sources, out)
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
        "parallel": result.parallel,
    }


def query_latencies(out: Path, triples: int) -> dict:
    """Each named query's latency on the default engine and, where affordable, on rdflib's."""
    sys.path.insert(0, str(ROOT))
    from graph.errors import QueryError
    from graph.sparql import _execute, load_library, run_sparql

    trig = out / "kg.trig"
    timings: dict = {}
    for engine in ("oxigraph", "rdflib"):
        if engine == "rdflib" and triples > RDFLIB_QUERY_LIMIT_TRIPLES:
            continue
        load_started = time.perf_counter()
        _execute(engine, trig, "ASK { ?s ?p ?o }")  # the first query loads (oxigraph: into its cache on disk)
        timings[f"{engine}_first_query_seconds"] = round(time.perf_counter() - load_started, 4)
        for name, query in load_library().items():
            started = time.perf_counter()
            try:
                # A forked child inherits the loaded graph; a runaway query is stopped after the limit.
                rows = len(run_sparql(query.text, out, engine, timeout=QUERY_LIMIT_SECONDS).rows)
                entry = {"seconds": round(time.perf_counter() - started, 4), "rows": rows}
            except QueryError:
                entry = {"seconds": None, "timeout": QUERY_LIMIT_SECONDS}
            timings.setdefault(name, {})[engine] = entry
    return timings


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


def seed_ratio(repeats: int = 5) -> dict:
    """`python build.py` against importing its dependencies, alternating, median of each.

    Also times importing everything the build imports, which bounds from
    below what the build could take.
    """
    build_times, import_times, floor_times = [], [], []
    out = BENCH / "corpora" / "seed-out"
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], check=True, cwd=ROOT)
        import_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "build.py", "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
        build_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BUILD_IMPORTS], check=True, cwd=ROOT)
        floor_times.append(time.perf_counter() - started)
    build_median, import_median = statistics.median(build_times), statistics.median(import_times)
    floor_median = statistics.median(floor_times)
    return {"build_seconds": round(build_median, 3), "import_seconds": round(import_median, 3),
            "ratio": round(build_median / import_median, 2), "repeats": repeats, "target_ratio": 1.5,
            "build_imports_seconds": round(floor_median, 3), "build_imports_ratio": round(floor_median / import_median, 2)}


def fitted_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(size): 1.0 is linear.

    Examples
    --------
    >>> round(fitted_exponent([(100, 1.0), (1000, 10.0), (10000, 100.0)]), 2)
    1.0
    """
    if len(points) < 2:
        return None
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(seconds) for _, seconds in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def run_size(documents: int, seed: int) -> dict:
    corpus = BENCH / "corpora" / str(documents)
    if not (corpus / "documents").is_dir():
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--documents", str(documents), "--seed", str(seed),
                        "--out", str(corpus)], check=True)
    out = BENCH / "corpora" / f"{documents}-out"
    result, tree_peak_mb = _run_json_sampling_memory([str(BENCH / "run.py"), "--one", str(corpus), str(out)], timeout=3600)
    result["tree_peak_pss_mb"] = tree_peak_mb  # the build and its child together, shared pages counted once
    result["queries"] = _run_json([str(BENCH / "run.py"), "--queries", str(out), str(result["triples"])], timeout=3600)
    result["page"] = _run_json([str(BENCH / "run.py"), "--page", str(out)], timeout=600)
    result["corpus_seed"] = seed
    return result


def write_report() -> Path:
    results = {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}
    sizes = sorted((r for k, r in results.items() if k.startswith("size-")), key=lambda r: r["documents"])
    lines = ["# Benchmarks", "",
             "Reproduce with `python bench/run.py` (all sizes) or `python bench/run.py --sizes 100 1000`; "
             "results are in `bench/results/*.json`, this file is rewritten from them.", ""]
    seed = results.get("seed")
    if seed:
        lines += ["## Seed build", "",
                  f"`python build.py` on the five curated documents: median {seed['build_seconds']} s; importing its "
                  f"dependencies (`python -c \"{IMPORTS}\"`): median {seed['import_seconds']} s; ratio "
                  f"**{seed['ratio']}×** (target ≤ {seed['target_ratio']}×), {seed['repeats']} alternating runs.", ""]
        if "build_imports_seconds" in seed:
            lines += [f"Importing everything the build imports (`python -c \"{BUILD_IMPORTS}\"`) alone takes "
                      f"median {seed['build_imports_seconds']} s, {seed['build_imports_ratio']}× the baseline: the "
                      "report's charts (matplotlib) and the page's layout (scipy) are not in the baseline's list.", ""]
    if sizes:
        stages = sorted({s for r in sizes for s in r["stage_seconds"]}, key=list(sizes[-1]["stage_seconds"]).index
                        if all(s in sizes[-1]["stage_seconds"] for r in sizes for s in r["stage_seconds"]) else str)
        lines += ["## Build by corpus size", "",
                  "| documents | triples | total s | " + " | ".join(f"{s} s" for s in stages)
                  + " | peak MB, build and child (PSS) | peak MB, build process (RSS) |",
                  "|---|---|---|" + "---|" * len(stages) + "---|---|"]
        for r in sizes:
            lines.append(f"| {r['documents']:,} | {r['triples']:,} | {r['seconds']} | "
                         + " | ".join(str(r["stage_seconds"].get(s, "")) for s in stages)
                         + f" | {r.get('tree_peak_pss_mb', 'not measured')} | {r['peak_mb']} |")
        if any(r.get("parallel") for r in sizes):
            lines += ["", "`shacl` ran in a forked child (it includes making the rdflib graph pySHACL reads) while "
                          "the build process ran `export`, `analysis` and `view`; `wait` is how long the build "
                          "then waited for it. So the stage times add up to more than the total. `rdf` makes the "
                          "quads; `analysis` includes indexing them for lookups. Peak memory: the proportional set "
                          "size (shared pages counted once) of the build and its child together, sampled so "
                          "that the sampler costs the build at most 5% of its time (each read of a 1 GB process "
                          "costs it about 0.1 s); and the build process's own exact peak resident set."]
        with_steps = [r for r in sizes if r.get("step_seconds")]
        if with_steps:
            steps = sorted({step for r in with_steps for step in r["step_seconds"]},
                           key=lambda step: (STAGE_ORDER.index(step.split(".")[0]), step))
            lines += ["", "Steps inside the stages: seconds, and the peak resident memory (MB) of the process that "
                          "ran the step (the `shacl.*` steps ran in the child) once it was done. `load.quotes` is "
                          "the time spent finding and checking quotes, within `load`; `analysis.metrics` and "
                          "`view.page` include importing scipy and matplotlib (seed size) or sampling (top size).",
                      "", "| step | " + " | ".join(f"{r['documents']:,} docs s | MB" for r in with_steps) + " |",
                      "|---|" + "---|---|" * len(with_steps)]
            for step in steps:
                lines.append(f"| `{step}` | " + " | ".join(
                    f"{r['step_seconds'].get(step, '')} | {r['step_peak_mb'].get(step, '')}" for r in with_steps) + " |")
        exponent = fitted_exponent([(r["documents"], r["seconds"]) for r in sizes])
        if exponent is not None:
            steps = [f"{a['documents']:,}→{b['documents']:,}: "
                     f"{fitted_exponent([(a['documents'], a['seconds']), (b['documents'], b['seconds'])]):.2f}"
                     for a, b in zip(sizes, sizes[1:])]
            lines += ["", f"Fitted growth exponent of total build time across {len(sizes)} sizes: **{exponent:.2f}** "
                          f"(1.0 is linear); between neighbouring sizes: {'; '.join(steps)}. Fixed costs (imports, "
                          "the ontology) weigh on the smallest size, so the last step says most about growth."]
        lines += ["", "## SPARQL latency (seconds) by corpus size", ""]
        names = sorted({n for r in sizes for n, v in r["queries"].items() if isinstance(v, dict)})
        lines += ["| query | " + " | ".join(f"{r['documents']:,} docs oxigraph | rdflib" for r in sizes) + " |",
                  "|---|" + "---|---|" * len(sizes)]
        for name in names:
            cells = []
            for r in sizes:
                entry = r["queries"].get(name, {})
                ox = entry.get("oxigraph", {}).get("seconds", "")
                rdflib = entry.get("rdflib")
                rd = "not run" if rdflib is None else (f"> {rdflib['timeout']}" if rdflib.get("timeout") else rdflib["seconds"])
                cells += [str(ox), str(rd)]
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
        lines += ["", f"rdflib's engine is timed up to {RDFLIB_QUERY_LIMIT_TRIPLES:,} triples; the default engine "
                      "opens a cached on-disk store, so its times exclude loading (the first query after a build loads "
                      "it once: see `oxigraph_first_query_seconds` in the JSON). Each query runs in a forked child "
                      f"with a {QUERY_LIMIT_SECONDS} s limit."]
        lines += ["", "## Interactive page", "", "| documents | nodes shown | links shown | first frame, best of 3 (ms) |",
                  "|---|---|---|---|"]
        for r in sizes:
            page = r.get("page", {})
            lines.append(f"| {r['documents']:,} | {page.get('nodes_shown', '')} | {page.get('edges_shown', '')} | "
                         f"{page.get('drawn_ms_best', '')} |")
        lines += ["", "## Machine", "", "```", json.dumps(sizes[-1].get("machine", {}), indent=1), "```"]
    path = ROOT / "BENCHMARKS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report", action="store_true", help="only rewrite BENCHMARKS.md")
    parser.add_argument("--one", nargs=2, metavar=("SOURCES", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--queries", nargs=2, metavar=("OUT", "TRIPLES"), help=argparse.SUPPRESS)
    parser.add_argument("--page", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(build_once(Path(args.one[0]), Path(args.one[1]))))
        return
    if args.queries:
        print(json.dumps(query_latencies(Path(args.queries[0]), int(args.queries[1]))))
        return
    if args.page:
        print(json.dumps(page_time(Path(args.page))))
        return
    RESULTS.mkdir(exist_ok=True)
    if not args.report:
        seed = seed_ratio()
        (RESULTS / "seed.json").write_text(json.dumps({**seed, "machine": machine()}, indent=1) + "\n")
        print(f"seed build: {seed}", flush=True)
        for documents in args.sizes:
            result = {**run_size(documents, args.seed), "machine": machine()}
            (RESULTS / f"size-{documents}.json").write_text(json.dumps(result, indent=1) + "\n")
            print(f"{documents} documents: {result['seconds']} s, {result['triples']} triples, "
                  f"peak {result['peak_mb']} MB, stages {result['stage_seconds']}", flush=True)
    print(write_report())


if __name__ == "__main__":
    main()
