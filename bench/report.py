"""BENCHMARKS.md from bench/results/*.json: the targets first, then before and after side by side."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

__all__ = ["write_report", "fitted_exponent", "TARGETS"]

TARGETS = {"seed_ratio": 1.5, "build_10k_seconds": 30, "peak_10k_mb": 2048, "one_edit_10k_seconds": 2,
           "query_seconds": 1}
IMPORTS = "import rdflib, networkx, pyvis, pyshacl"


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


def _met(value, target) -> str:
    return "" if value is None else ("met" if value <= target else "**missed**")


def _query_seconds(entry: dict, engine: str = "oxigraph"):
    return (entry.get(engine) or {}).get("seconds")


def _slowest(queries: dict) -> tuple[str, float] | None:
    timed = [(name, _query_seconds(q)) for name, q in queries.items() if isinstance(q, dict) and _query_seconds(q)]
    return max(timed, key=lambda t: t[1]) if timed else None


def _seconds(build: dict | None) -> str:
    if not build:
        return ""
    if build.get("seconds") is None:
        return f"> {build['stopped_after_seconds']:g} (stopped)"
    return str(build["seconds"])


def _seed_section(seed: dict) -> list[str]:
    medians, ratios = seed["median_seconds"], seed["ratio_to_import_floor"]
    rows = [("import floor: `python -c \"" + IMPORTS + "\"`", "import_floor"),
            ("the build's own imports (`graph.cli`, `graph.pipeline`)", "imports_of_the_build"),
            ("before: `python build.py`, clean", "baseline_build"),
            ("now: `python build.py`, clean (empty cache)", "clean_build"),
            ("now: `python build.py` again, nothing changed", "unchanged_rebuild"),
            ("now: `python build.py` after one document was edited", "one_edited_document")]
    lines = ["## Seed build", "", f"{seed['repeats']} alternating runs, medians; every command in a fresh process.", "",
             "| command | seconds | × import floor |", "|---|---|---|"]
    lines += [f"| {label} | {medians[key]} | {ratios[key]} |" for label, key in rows if key in medians]
    return lines + [""]


def _size_sections(sizes: list[dict]) -> list[str]:
    lines = ["## Build by corpus size", "",
             "Clean builds (empty cache), each in a fresh process; memory is the build process tree's peak "
             "proportional set size (sampled) and the build process's exact peak resident set.", "",
             "| documents | triples | before s | now s | now ÷ before | before peak MB (PSS) | now peak MB (PSS) | "
             "now peak MB (RSS) | now unchanged rebuild s | now one edited document s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in sizes:
        now, before = r["now"], r.get("before")
        b = before["clean"] if before else None
        ratio = f"{now['clean']['seconds'] / b['seconds']:.2f}" if b and b["seconds"] else ""
        lines.append(f"| {r['documents']:,} | {now['clean']['triples']:,} | {_seconds(b)} | "
                     f"{now['clean']['seconds']} | {ratio} | {b['tree_peak_pss_mb'] if b else ''} | "
                     f"{now['clean']['tree_peak_pss_mb']} | {now['clean']['peak_mb']} | "
                     f"{now.get('unchanged_seconds', '')} | {now.get('one_edited_wall_seconds', '')} |")
    for label, key in (("now", "now"), ("before", "before")):
        points = [(r["documents"], r[key]["clean"]["seconds"]) for r in sizes if r.get(key, {}).get("clean", {}).get("seconds")]
        exponent = fitted_exponent(points)
        if exponent is not None:
            steps = "; ".join(f"{a[0]:,}→{b[0]:,}: {fitted_exponent([a, b]):.2f}" for a, b in zip(points, points[1:]))
            lines += ["", f"Growth of the clean build time, {label}: fitted exponent **{exponent:.2f}** over "
                          f"{len(points)} sizes (1.0 is linear); between neighbouring sizes: {steps}."]
    top = sizes[-1]
    lines += ["", f"### Stages and steps at {top['documents']:,} documents", "",
              "Seconds inside one build process (interpreter start and imports excluded). `one edit` is the "
              "rebuild after a curator's note was added to one document, with the build cache as `kg build` "
              "uses it" + _cache_words(top["now"].get("one_edited", {}).get("cache")) + ".", "",
              "| stage or step | before | now, clean | now, one edit |", "|---|---|---|---|"]
    now_clean, now_edit = top["now"]["clean"], top["now"].get("one_edited", {})
    before = (top.get("before") or {}).get("clean", {})
    for kind in ("stage_seconds", "step_seconds"):
        names = sorted({*now_clean.get(kind, {}), *before.get(kind, {}), *now_edit.get(kind, {})},
                       key=lambda n: (n.split(".")[0], n))
        for name in names:
            label = f"**{name}**" if kind == "stage_seconds" else f"`{name}`"
            lines.append(f"| {label} | {before.get(kind, {}).get(name, '')} | {now_clean.get(kind, {}).get(name, '')} "
                         f"| {now_edit.get(kind, {}).get(name, '')} |")
    return lines + [""]


def _cache_words(stats: dict | None) -> str:
    if not stats:
        return ""
    return f" ({stats.get('document.hit', 0):,} document files found there, {stats.get('document.miss', 0):,} checked)"


def _query_section(sizes: list[dict]) -> list[str]:
    names = sorted({n for r in sizes for n, v in r["now"]["queries"].items() if isinstance(v, dict)})
    header = " | ".join(f"{r['documents']:,} before | now | rdflib" for r in sizes)
    lines = ["## Named queries, end to end (seconds)", "",
             "Each is `python -m graph query --file queries/NN-NAME.rq --out OUT -f json`, as a user runs it: "
             "interpreter start, opening the store, the query and the JSON output; best of 2. `rdflib` is the "
             "same command with `--engine rdflib` (which parses the TriG in every process), run once, up to "
             "20,000 triples (at 100,000 several of its queries need over 60 s).", "", f"| query | {header} |", "|---|" + "---|---|---|" * len(sizes)]
    for name in names:
        cells = []
        for r in sizes:
            before = ((r.get("before") or {}).get("queries") or {}).get(name, {})
            now = r["now"]["queries"].get(name, {})
            rdflib = _query_seconds(now, "rdflib")
            cells += [str(_query_seconds(before) or ""), str(_query_seconds(now) or ""),
                      "not run" if rdflib is None else str(rdflib)]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines += _rdflib_ratios(sizes)
    lines += _plain_read_table(sizes[-1])
    lines += ["", "| documents | first query after the build, before s | now s |", "|---|---|---|"]
    for r in sizes:
        before = (r.get("before") or {}).get("queries", {}).get("oxigraph_first_query_seconds", "")
        lines.append(f"| {r['documents']:,} | {before} | {r['now']['queries'].get('oxigraph_first_query_seconds', '')} |")
    return lines + [""]


def _rdflib_ratios(sizes: list[dict]) -> list[str]:
    """For each size where rdflib's engine ran, how many times as long it took as Oxigraph, over the queries."""
    lines = []
    for r in sizes:
        queries = [q for q in r["now"]["queries"].values() if isinstance(q, dict)]
        ratios = sorted(_query_seconds(q, "rdflib") / _query_seconds(q) for q in queries
                        if _query_seconds(q, "rdflib") and _query_seconds(q))
        if ratios:
            lines.append(f"At {r['documents']:,} documents ({r['now']['clean']['triples']:,} triples) rdflib's engine "
                         f"took {ratios[0]:.1f}–{ratios[-1]:.1f}× as long as Oxigraph, "
                         f"{statistics.median(ratios):.1f}× for the median query (one rdflib run against "
                         "Oxigraph's best of 2).")
    return ["", *lines] if lines else []


def _plain_read_table(largest: dict) -> list[str]:
    """Each answer's size at the largest corpus, beside the time to read and write as many cells with no join."""
    queries = {n: v.get("oxigraph", {}) for n, v in largest["now"]["queries"].items() if isinstance(v, dict)}
    if not any("rows" in q for q in queries.values()):
        return []
    lines = ["", f"At {largest['documents']:,} documents, what each answer holds, beside a plain read of its size: "
             "the same command with `SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT n`, sized to as many cells, which "
             "only reads the store and writes the JSON. It is about what an answer of that size costs here, "
             "however the query is written: a reference, not a bound (its cells are all distinct, and a query's "
             "answer repeats values that JSON encodes once).",
             "", "| query | rows | cells | now s | plain read s | now ÷ plain read |", "|---|---|---|---|---|---|"]
    for name, query in sorted(queries.items(), key=lambda item: -(item[1].get("rows", 0) * item[1].get("columns", 0))):
        if "rows" not in query:
            continue
        plain = query.get("plain_read_seconds")
        ratio = f"{query['seconds'] / plain:.2f}" if plain and query.get("seconds") else ""
        lines.append(f"| `{name}` | {query['rows']:,} | {query['rows'] * query['columns']:,} | {query.get('seconds')} "
                     f"| {plain or ''} | {ratio} |")
    return lines


def _page_section(sizes: list[dict]) -> list[str]:
    lines = ["## Interactive page", "", "| documents | nodes shown | links shown | first frame before, best of 3 (ms) "
             "| now (ms) |", "|---|---|---|---|---|"]
    for r in sizes:
        page, before = r["now"].get("page", {}), (r.get("before") or {}).get("page", {})
        lines.append(f"| {r['documents']:,} | {page.get('nodes_shown', '')} | {page.get('edges_shown', '')} | "
                     f"{before.get('drawn_ms_best', '')} | {page.get('drawn_ms_best', '')} |")
    return lines + [""]


def _targets(seed: dict | None, sizes: list[dict]) -> list[str]:
    lines = ["## Targets (issue 16)", "", "| target | before | now | |", "|---|---|---|---|"]
    if seed:
        ratios = seed["ratio_to_import_floor"]
        for label, key in (("seed build, clean, ≤ 1.5× the import floor", "clean_build"),
                           ("seed build, nothing changed, ≤ 1.5×", "unchanged_rebuild"),
                           ("seed build, one document edited, ≤ 1.5×", "one_edited_document")):
            lines.append(f"| {label} | {ratios.get('baseline_build', '')}× | {ratios.get(key)}× | "
                         f"{_met(ratios.get(key), TARGETS['seed_ratio'])} |")
    top = next((r for r in sizes if r["documents"] == 10_000), None)
    if top:
        now, before = top["now"], (top.get("before") or {})
        b = before.get("clean", {})
        lines += [f"| 10,000 documents, clean build ≤ 30 s | {_seconds(b)} s | {now['clean']['seconds']} s | "
                  f"{_met(now['clean']['seconds'], TARGETS['build_10k_seconds'])} |",
                  f"| 10,000 documents, peak ≤ 2 GB (PSS, whole process tree) | {b.get('tree_peak_pss_mb', '')} MB | "
                  f"{now['clean']['tree_peak_pss_mb']} MB | {_met(now['clean']['tree_peak_pss_mb'], TARGETS['peak_10k_mb'])} |",
                  f"| 10,000 documents, one edited document ≤ 2 s | {_seconds(b)} s (a full build) | "
                  f"{now.get('one_edited_wall_seconds')} s | {_met(now.get('one_edited_wall_seconds'), TARGETS['one_edit_10k_seconds'])} |"]
        slow_now, slow_before = _slowest(now["queries"]), _slowest(before.get("queries", {}))
        if slow_now:
            lines.append(f"| every named query ≤ 1 s at {now['clean']['triples']:,} triples (slowest) | "
                         f"{f'{slow_before[1]} s ({slow_before[0]})' if slow_before else ''} | "
                         f"{slow_now[1]} s ({slow_now[0]}) | {_met(slow_now[1], TARGETS['query_seconds'])} |")
    points = [(r["documents"], r["now"]["clean"]["seconds"]) for r in sizes]
    before_points = [(r["documents"], r["before"]["clean"]["seconds"]) for r in sizes
                     if (r.get("before") or {}).get("clean", {}).get("seconds")]
    if len(points) > 1:
        b = fitted_exponent(before_points)
        lines.append(f"| linear growth (fitted exponent of build time) | {'' if b is None else f'{b:.2f}'} | "
                     f"{fitted_exponent(points):.2f} | |")
    return lines + [""]


def write_report(results: Path, path: Path) -> Path:
    found = {p.stem: json.loads(p.read_text()) for p in sorted(results.glob("*.json"))}
    seed = found.get("seed")
    sizes = sorted((r for k, r in found.items() if k.startswith("size-") and "now" in r), key=lambda r: r["documents"])
    baseline = (seed or {}).get("baseline")
    lines = ["# Benchmarks", "",
             "Reproduce with `python bench/run.py` (seed, 100, 1,000 and 10,000 documents, before and now) or "
             "`python bench/run.py --sizes 100 1000`; results are in `bench/results/*.json`, and this file is "
             "rewritten from them. *Before* is "
             + (f"the checkout `{baseline}` (main before the speed work), " if baseline else "not measured, ")
             + "timed in the same run as *now*, on the same machine.", ""]
    lines += _targets(seed, sizes)
    if seed:
        lines += _seed_section(seed)
    if sizes:
        lines += _size_sections(sizes) + _query_section(sizes) + _page_section(sizes)
        lines += ["## Machine", "", "```", json.dumps(sizes[-1].get("machine", {}), indent=1), "```"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
