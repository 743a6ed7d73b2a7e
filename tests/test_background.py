"""A build step in a forked child: its result, its failures, and the same outputs as a serial build."""

from __future__ import annotations

import os
import threading
import time

import pytest

from graph.background import Task, can_fork
from graph.pipeline import build

from .conftest import SOURCES

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs Linux and two or more cores")


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False], ids=["child", "here"])
def test_a_task_returns_its_result_and_its_time(fork):
    lock = threading.Lock()  # cannot be pickled: a forked child inherits the objects instead
    result, seconds, _peak = Task(lambda: (lock.locked(), os.getpid()), fork=fork).wait()
    assert result[0] is False
    assert (result[1] != os.getpid()) is fork
    assert seconds >= 0


@needs_fork
def test_a_failure_in_the_child_is_raised_with_its_traceback():
    def work():
        return {}["missing key"]

    with pytest.raises(RuntimeError, match=r"(?s)failed:.*KeyError: 'missing key'"):
        Task(work, fork=True).wait()


@needs_fork
def test_a_child_that_dies_without_a_result_is_reported():
    with pytest.raises(RuntimeError, match="ended without a result"):
        Task(lambda: os._exit(3), fork=True).wait()


@needs_fork
def test_cancel_stops_a_running_child():
    started = time.perf_counter()
    task = Task(lambda: time.sleep(60), fork=True)
    task.cancel()
    assert time.perf_counter() - started < 10
    task.cancel()  # twice is harmless


@needs_fork
def test_a_serial_build_writes_the_same_files_as_the_parallel_one(built, tmp_path):
    assert built.parallel, "the session's build ran with SHACL in a child"
    serial = build(SOURCES, tmp_path / "out", parallel=False)
    assert not serial.parallel
    names = sorted(p.relative_to(built.out) for p in built.out.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(serial.out) for p in serial.out.rglob("*") if p.is_file())
    for name in names:
        assert (built.out / name).read_bytes() == (serial.out / name).read_bytes(), name
    assert set(serial.stage_seconds) >= {"load", "rdf", "shacl", "export", "analysis", "view"}


@needs_fork
def test_an_interrupted_wait_stops_the_child_at_once():
    import multiprocessing
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        task = Task(lambda: time.sleep(60) or "x" * 1_000_000, fork=True)
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        started = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            task.wait()
        assert time.perf_counter() - started < 10
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_failure_right_after_the_fork_leaves_no_child_and_no_output(tmp_path):
    import multiprocessing

    def fail_after_rdf(stage):
        if stage == "rdf":
            raise KeyboardInterrupt

    from graph.folders import mark

    out = tmp_path / "out"
    mark(out, "build")  # an earlier build's folder, which a build may replace
    (out / "kg.ttl").write_text("previous build\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build(SOURCES, out, progress=fail_after_rdf, parallel=True)
    assert multiprocessing.active_children() == []
    assert (out / "kg.ttl").read_text(encoding="utf-8") == "previous build\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
