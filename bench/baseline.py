"""A checkout of an earlier commit, so the benchmark can time it beside the current tree in one run.

    python bench/run.py --before 7805966        # the default: main before the speed work (issue 16)

The checkout is a detached git worktree in ``bench/corpora/baseline-<rev>``,
marked as made by the benchmark; it is made once and kept for later runs.
Its own ``bench/run.py --one`` times its own build, so both trees are
measured by the code that knows their stages.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

__all__ = ["BASELINE", "baseline_tree"]

BASELINE = "7805966"  # main on 2026-12-01, before the speed work of issue 16
MARKER = ".faction-kg-baseline"


def baseline_tree(root: Path, revision: str = BASELINE) -> Path:
    """The worktree of ``revision`` under ``root/bench/corpora``, made if missing.

    A folder of that name that the benchmark did not make is refused, never replaced.
    """
    full = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", f"{revision}^{{commit}}"],
                          check=True, capture_output=True, text=True).stdout.strip()
    tree = root / "bench" / "corpora" / f"baseline-{full[:12]}"
    if (tree / MARKER).is_file():
        return tree
    if tree.exists():
        raise SystemExit(f"{tree} exists and was not made by bench/baseline.py; move it away or choose another "
                         "revision")
    tree.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(tree), full], check=True,
                   capture_output=True)
    (tree / MARKER).write_text(full + "\n", encoding="utf-8")
    return tree
