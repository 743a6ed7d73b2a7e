"""The measurements of bench/run.py, each for one checkout ("tree") of the project.

Every command runs in a fresh process with the tree as its working folder,
so each tree imports its own ``graph`` package, and with its own cache folder
(``KG_CACHE_DIR``), so a clean build really starts cold.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

__all__ = ["IMPORTS", "BUILD_IMPORTS", "run_json", "sampled_build", "timed", "edit_one_document",
           "query_latencies", "page_latency", "seed_times", "fresh_folder"]

IMPORTS = "import rdflib, networkx, pyvis, pyshacl"
BUILD_IMPORTS = "import graph.cli, graph.pipeline"  # what `python build.py` imports before it starts working
RDFLIB_QUERY_LIMIT_TRIPLES = 20_000  # rdflib's engine is timed only up to this size (several queries need over 60 s at 100k)
QUERY_LIMIT_SECONDS = 60


def environment(cache: Path) -> dict:
    return {**os.environ, "KG_CACHE_DIR": str(cache), "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "random")}


MARKER = ".faction-kg-bench"


def fresh_folder(path: Path, *, create: bool = True) -> Path:
    """``path`` made anew: removed first only if the benchmark or a build made it (its marker says so).

    With ``create=False`` the path is left missing (a build's output folder, which the build makes).
    """
    if path.exists():
        if not any((path / marker).is_file() for marker in (MARKER, ".faction-kg-build", ".faction-kg-corpus")):
            raise SystemExit(f"{path} was not made by the benchmark; move it away and run again")
        shutil.rmtree(path)
    if create:
        path.mkdir(parents=True)
        (path / MARKER).write_text("made by bench/measure.py\n", encoding="utf-8")
    return path


def run_json(tree: Path, args: list[str], cache: Path, timeout: float = 3600) -> dict:
    done = subprocess.run([sys.executable, *args], cwd=tree, capture_output=True, text=True, timeout=timeout,
                          env=environment(cache))
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} in {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed(tree: Path, args: list[str], cache: Path, timeout: float = 3600) -> float:
    """Wall seconds of ``python ARGS`` in ``tree``, interpreter start included."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=tree, capture_output=True, text=True, timeout=timeout,
                          env=environment(cache))
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} in {tree} failed:\n{done.stderr[-3000:]}")
    return round(seconds, 3)


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


def sampled_build(tree: Path, sources: Path, out: Path, cache: Path, duty: float = 0.05,
                  timeout: float = 7200) -> dict:
    """``bench/run.py --one`` of ``tree`` (its own stage clock), with the process tree's memory (PSS) sampled.

    Reading ``smaps_rollup`` walks the target's page tables and holds its memory
    lock, about 0.1 s a read on a 1 GB process, so the sampler waits between
    reads for 1/``duty`` times as long as the last read took (at least 0.2 s):
    it then costs the build at most ``duty`` of its time. Short peaks between
    samples are missed, so the result also has the exact resident peaks (``ru_maxrss``).
    """
    process = subprocess.Popen([sys.executable, "bench/run.py", "--one", str(sources), str(out)], cwd=tree,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(cache))
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            started = time.perf_counter()
            peak[0] = max(peak[0], _tree_pss_mb(process.pid))
            time.sleep(max(0.2, (time.perf_counter() - started) / duty))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()  # its SHACL child dies with it (PR_SET_PDEATHSIG)
        process.communicate()
        sampler.join()
        return {"seconds": None, "stopped_after_seconds": timeout, "tree_peak_pss_mb": round(peak[0], 1)}
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"build of {sources} in {tree} failed:\n{stderr[-3000:]}")
    return {**json.loads(stdout.strip().splitlines()[-1]), "tree_peak_pss_mb": round(peak[0], 1)}


def edit_one_document(sources: Path) -> Path:
    """Add a curator's note to the first document of ``sources`` (a copy the benchmark made); return its file.

    A note changes that document's graph and nothing else's; each call adds another.
    """
    path = sorted((sources / "documents").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    note = f'    - "Edited by the benchmark ({text.count("Edited by the benchmark") + 1})."'
    if re.search(r"(?m)^  notes:\s*$", text):
        edited = re.sub(r"(?m)^(  notes:\s*)$", lambda m: m.group(1) + "\n" + note, text, count=1)
    else:
        edited = re.sub(r"(?m)^(  kind:.*)$", lambda m: m.group(1) + "\n  notes:\n" + note, text, count=1)
    if edited == text:
        raise ValueError(f"{path} has no document kind line to put a note after")
    path.write_text(edited, encoding="utf-8")
    return path


def query_latencies(tree: Path, out: Path, cache: Path, triples: int, plain_reads: bool = False) -> dict:
    """Each named query end to end, as a user runs it: ``python -m graph query --file Q --out OUT -f json``.

    The first query after the build is timed apart (the store may be made then).
    rdflib's engine loads the TriG in every process, which is how ``--engine rdflib`` runs.
    With ``plain_reads``, each Oxigraph answer's size and a plain read of as many cells (:func:`_plain_read`) too.
    """
    queries = sorted((tree / "queries").glob("*.rq"))
    timings: dict = {}

    def base_of(engine: str) -> list[str]:
        return ["-m", "graph", "query", "--out", str(out), "--engine", engine, "-f", "json",
                "--timeout", str(QUERY_LIMIT_SECONDS)]

    for engine in ("oxigraph", "rdflib"):
        if engine == "rdflib" and triples > RDFLIB_QUERY_LIMIT_TRIPLES:
            continue
        base = base_of(engine)
        timings[f"{engine}_first_query_seconds"] = timed(tree, [*base, "ASK { ?s ?p ?o }"], cache)
        for query in queries:
            name = re.sub(r"^\d+-", "", query.stem)
            try:
                repeats = 2 if engine == "oxigraph" else 1
                seconds = min(timed(tree, [*base, "--file", str(query)], cache) for _ in range(repeats))
                entry = {"seconds": seconds}
            except RuntimeError as failure:
                entry = {"seconds": None, "failed": str(failure)[-300:]}
            timings.setdefault(name, {})[engine] = entry
    if plain_reads:
        for query in queries:
            entry = timings[re.sub(r"^\d+-", "", query.stem)]["oxigraph"]
            if entry["seconds"] is not None:
                entry.update(_plain_read(tree, base_of("oxigraph"), query, cache))
    return timings


def _plain_read(tree: Path, base: list[str], query: Path, cache: Path) -> dict:
    """The answer's size, and the time to read and write as many cells with no join: ``?s ?p ?o`` with a LIMIT.

    About what an answer of that size costs on this store and in this format, however the query is written
    (a reference, not a bound: its cells are all distinct IRIs and literals). A failure is recorded, not raised.
    """
    try:
        done = subprocess.run([sys.executable, *base, "--file", str(query)], cwd=tree, capture_output=True,
                              text=True, timeout=QUERY_LIMIT_SECONDS * 2, env=environment(cache), check=True)
        answer = json.loads(done.stdout)
        rows = len(answer.get("results", {}).get("bindings", []))
        columns = len(answer.get("head", {}).get("vars", []))
        if rows * columns == 0:
            return {"rows": rows, "columns": columns}
        plain = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {-(-rows * columns // 3)}"  # cells / 3, rounded up
        seconds = min(timed(tree, [*base, plain], cache) for _ in range(2))
    except (subprocess.SubprocessError, RuntimeError, ValueError) as failure:
        return {"plain_read_failed": str(failure)[-300:]}
    return {"rows": rows, "columns": columns, "plain_read_seconds": seconds}


def page_latency(tree: Path, out: Path, cache: Path) -> dict:
    return run_json(tree, ["bench/run.py", "--page", str(out)], cache, timeout=600)


def seed_times(after: Path, before: Path | None, scratch: Path, repeats: int = 5) -> dict:
    """Alternating runs, medians: the import floor; the current tree's clean, unchanged and one-edit builds of
    the seed sources; the baseline tree's build."""
    runs: dict[str, list[float]] = {}
    sources = scratch / "seed-sources"
    for repeat in range(repeats):
        cache = fresh_folder(scratch / "seed-cache")
        out = fresh_folder(scratch / "seed-out", create=False)
        fresh_folder(sources, create=False)
        shutil.copytree(after / "sources", sources)
        (sources / MARKER).write_text("made by bench/measure.py\n", encoding="utf-8")
        runs.setdefault("import_floor", []).append(timed(after, ["-c", IMPORTS], cache))
        runs.setdefault("imports_of_the_build", []).append(timed(after, ["-c", BUILD_IMPORTS], cache))
        build = ["build.py", "--sources", str(sources), "--out", str(out)]
        runs.setdefault("clean_build", []).append(timed(after, build, cache))
        runs.setdefault("unchanged_rebuild", []).append(timed(after, build, cache))
        edit_one_document(sources)
        runs.setdefault("one_edited_document", []).append(timed(after, build, cache))
        if before is not None:
            out_before = fresh_folder(scratch / "seed-out-before", create=False)
            runs.setdefault("baseline_build", []).append(
                timed(before, ["build.py", "--sources", str(before / "sources"), "--out", str(out_before)],
                      fresh_folder(scratch / "seed-cache-before")))
    medians = {name: round(statistics.median(values), 3) for name, values in runs.items()}
    floor = medians["import_floor"]
    return {"median_seconds": medians, "ratio_to_import_floor": {n: round(v / floor, 2) for n, v in medians.items()},
            "runs": runs, "repeats": repeats, "target_ratio": 1.5}
