"""No child outlives its parent: the SHACL child and the Oxigraph server die even after SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


from .conftest import ROOT

GUARD = 60  # seconds: generous, only so that a broken test cannot hang the run
needs_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def running(pid: int) -> bool:
    """Whether a process exists and has not ended (a zombie waiting for its new parent has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_for(condition, seconds: float = GUARD):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def start(script: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def kill_and_check(parent: subprocess.Popen, kids: list[int]) -> None:
    assert kids and all(running(pid) for pid in kids)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=GUARD)
    wait_for(lambda: not any(running(pid) for pid in kids))


@needs_linux
def test_the_oxigraph_server_dies_with_a_killed_kg_serve(out_dir, tmp_path):
    from graph.serve import free_port

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "graph", "serve", "--port", str(port), "--out", str(out_dir)]
    serve = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "SPARQL endpoint" in serve.stdout.readline()
        servers = children(serve.pid)
        kill_and_check(serve, servers)
        left = [p.name for p in temporary.iterdir()]
        assert len(left) == 1 and left[0].startswith("kg-oxigraph-")  # a killed process cannot clean up ...
        again = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert "SPARQL endpoint" in again.stdout.readline()
            assert left[0] not in [p.name for p in temporary.iterdir()]  # ... the next start does
        finally:
            again.send_signal(signal.SIGTERM)
            code = again.wait(timeout=GUARD)
            assert code == 0, again.stdout.read()
        assert list(temporary.iterdir()) == []
    finally:
        serve.kill()
