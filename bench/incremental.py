"""One edited document: the whole ``kg build`` with the build cache, per stage, against a cold build.

``python bench/incremental.py --sources DIR --work DIR`` copies the corpus into
``WORK/<name of DIR>``, builds it with an empty cache, shortens one quote of one
document (the edit a curator makes), builds again with the cache, then once
more with nothing changed. Each run prints one JSON line: wall and CPU seconds
(this process and its SHACL child), the stages' and steps' seconds, and the
cache's hits and misses.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.cache import BuildCache  # noqa: E402
from graph.pipeline import build  # noqa: E402


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def shorten_first_quote(yaml_file: Path) -> None:
    """Drop the last word of the document's first fact's quote: still verbatim in its text."""
    lines = yaml_file.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  quote: ") and i > lines.index("facts:"))
    lines[at] = lines[at].rsplit(" ", 1)[0]
    yaml_file.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="a new folder for the copy, the outputs and the cache")
    args = parser.parse_args()
    args.work.mkdir(parents=True)
    sources, cache = args.work / args.sources.name, args.work / "cache" / "build"
    shutil.copytree(args.sources, sources)

    def run(label: str, out: Path) -> None:
        cpu, wall = cpu_seconds(), time.perf_counter()
        result = build(sources, out, cache=BuildCache(cache))
        row = {"run": label, "wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(cpu_seconds() - cpu, 2)}
        if result is None:
            row["up_to_date"] = True
        else:
            row.update(stages=result.stage_seconds, steps=result.step_seconds, cache=result.cache_stats)
        print(json.dumps(row), flush=True)

    run("cold cache", args.work / "first" / "out")
    shorten_first_quote(sorted((sources / "documents").glob("*.yaml"))[len(list((sources / "documents").glob("*.yaml"))) // 2])
    run("one document edited", args.work / "second" / "out")
    run("nothing changed", args.work / "second" / "out")


if __name__ == "__main__":
    main()
