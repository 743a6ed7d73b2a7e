"""Shared fixtures: one real build of the project's sources per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


@pytest.fixture(scope="session", autouse=True)
def query_cache(tmp_path_factory):
    """Keep the tests' cached query stores out of the user's cache."""
    import os

    previous = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))
    yield
    if previous is None:
        os.environ.pop("KG_CACHE_DIR", None)
    else:
        os.environ["KG_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The result of building the real sources into a temporary out/."""
    out = tmp_path_factory.mktemp("build") / "out"
    return build(SOURCES, out)


@pytest.fixture(scope="session")
def out_dir(built) -> Path:
    return built.out


@pytest.fixture(scope="session")
def corpus(built):
    return built.corpus


@pytest.fixture()
def sources_copy(tmp_path) -> Path:
    """A writable copy of the real sources, for tests that break them."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target


def document_text(doc_id: str) -> str:
    return (SOURCES / "documents" / f"{doc_id}.txt").read_text(encoding="utf-8")
