"""Each named query's latency, as the user runs it and on the other engines; prints a table (and JSON).

    python bench/queries.py OUT                 # kg query end to end, and an in-memory Oxigraph store
    python bench/queries.py OUT --rdflib        # also rdflib's engine, and the ratio to it
    python bench/queries.py OUT --json FILE     # also write the figures as JSON

Columns:

- ``kg query``: ``python -m graph query NAME --out OUT --format tsv`` in a fresh
  process, process start, parameter lookups and output included, on the cached
  query store (warmed first); best wall-clock time of ``--repeat`` runs, and
  the CPU time (user + system) of that run.
- ``in-memory``: the same bound text on a pyoxigraph ``Store()`` loaded in this
  process (load time printed once), the query alone, best CPU seconds.
- ``rdflib``: the same text on rdflib's engine (its dataset loaded once in
  this process, each query in a forked child with a limit), the query alone,
  CPU seconds; ``ratio`` is rdflib's CPU time over ``kg query``'s whole CPU time.

Required parameters get the example value each query's header gives.
"""

from __future__ import annotations

import argparse
import json
import re
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_seconds(out: Path, name: str, params: dict[str, str], repeat: int) -> tuple[float, float, int]:
    """Best wall-clock seconds of ``kg query NAME`` in a fresh process, its CPU seconds, and its row count."""
    args = [sys.executable, "-m", "graph", "query", name, "--out", str(out), "--format", "tsv"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    best = (float("inf"), 0.0, 0)
    for _ in range(repeat):
        cpu, started = _child_cpu(), time.perf_counter()
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        wall, cpu = time.perf_counter() - started, _child_cpu() - cpu
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr}")
        best = min(best, (wall, cpu, done.stdout.count("\n") - 1))
    return best


FALLBACKS = {  # for a generated corpus, which has none of the seed's example entities and documents
    "entity": "SELECT ?x WHERE { ?s kg:speaker ?x } GROUP BY ?x ORDER BY DESC(COUNT(?s)) ?x LIMIT 1",
    "document": "SELECT ?x WHERE { ?x a kg:SourceDocument } ORDER BY ?x LIMIT 1",
}


def required_params(query, out: Path) -> dict[str, str]:
    """The header's example value of each required parameter, or one the build has (the busiest speaker...)."""
    from graph.errors import QueryError
    from graph.sparql import bind, example_value, run_sparql

    values = {p.name: example_value(query, p.name) for p in query.params if not p.optional}
    try:
        bind(query, values, out)
    except QueryError:
        for param in query.params:
            if param.name in values and param.type in FALLBACKS:
                iri = run_sparql(FALLBACKS[param.type], out).rows[0][0][1]
                values[param.name] = re.sub(r"^.*/", "", iri)
    return values


def memory_store(out: Path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(out / "kg.trig"), format=ox.RdfFormat.TRIG)
    store.bulk_load(path=str(out / "kg.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return store


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (a query run in a forked child)."""
    return time.process_time() + _child_cpu()


def timed(run, repeat: int) -> float:
    """Best CPU seconds of ``repeat`` runs: on a shared machine, wall-clock time measures the neighbours."""
    best = float("inf")
    for _ in range(repeat):
        started = cpu_seconds()
        run()
        best = min(best, cpu_seconds() - started)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's engine (slow above 200k triples)")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="runs of each query on rdflib's engine")
    parser.add_argument("--rdflib-limit", type=float, default=120, help="stop an rdflib query after this long")
    parser.add_argument("--no-memory", action="store_true", help="skip the in-memory Oxigraph store")
    parser.add_argument("--only", nargs="*", help="only these queries")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    from graph.errors import QueryError
    from graph.sparql import NAMESPACES, _execute, bind, load_library, run_sparql

    out = args.out.resolve()
    library = {n: q for n, q in load_library().items() if not args.only or n in args.only}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graph", "query", "ASK { ?s ?p ?o }", "--out", str(out)], cwd=ROOT,
                   check=True, capture_output=True)
    figures: dict = {"first_query_seconds": round(time.perf_counter() - started, 3), "queries": {}}
    print(f"first kg query (builds the store if the build did not): {figures['first_query_seconds']} s", flush=True)
    params = {name: required_params(query, out) for name, query in library.items()}
    texts = {name: bind(query, params[name], out) for name, query in library.items()}
    store = None
    if not args.no_memory:
        started = time.perf_counter()
        store = memory_store(out)
        figures["memory_load_seconds"] = round(time.perf_counter() - started, 3)
        print(f"in-memory store loaded in {figures['memory_load_seconds']} s", flush=True)
    if args.rdflib:
        started = time.perf_counter()
        _execute("rdflib", out / "kg.trig", "ASK { ?s ?p ?o }")
        figures["rdflib_load_seconds"] = round(time.perf_counter() - started, 3)
        print(f"rdflib dataset loaded in {figures['rdflib_load_seconds']} s", flush=True)
    prefixes = {k: str(v) for k, v in NAMESPACES.items()}
    header = f"{'query':28} {'kg query s':>10} {'CPU s':>7} {'rows':>7} {'in-mem CPU':>11} {'rdflib CPU':>10} {'ratio':>6}"
    print(header + "\n" + "-" * len(header), flush=True)
    for name, query in library.items():
        wall, cpu, rows = cli_seconds(out, name, params[name], args.repeat)
        entry = {"params": params[name], "kg_query_seconds": round(wall, 3), "kg_query_cpu_seconds": round(cpu, 3), "rows": rows}
        if store is not None:
            entry["memory_seconds"] = round(timed(lambda: list(store.query(texts[name], prefixes=prefixes)),
                                                  args.repeat), 3)
        if args.rdflib:
            try:  # in a forked child, which inherits the loaded dataset, stopped after --rdflib-limit seconds
                seconds = timed(lambda: run_sparql(texts[name], out, "rdflib", timeout=args.rdflib_limit),
                                args.rdflib_repeat)
                entry["rdflib_seconds"] = round(seconds, 3)
                entry["rdflib_ratio"] = round(seconds / cpu, 2)
            except QueryError:
                entry["rdflib_seconds"] = f"> {args.rdflib_limit:g}"
                entry["rdflib_ratio"] = f"> {args.rdflib_limit / cpu:.0f}"
        figures["queries"][name] = entry
        print(f"{name:28} {wall:10.3f} {cpu:7.3f} {rows:7} {entry.get('memory_seconds', ''):>11} "
              f"{entry.get('rdflib_seconds', ''):>10} {entry.get('rdflib_ratio', ''):>6}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
