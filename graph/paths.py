"""Where the project's folders are: one place, so that no module guesses on its own."""

from __future__ import annotations

from pathlib import Path

__all__ = ["project_root", "ontology_dir", "queries_dir", "sources_dir"]


def project_root() -> Path:
    """The checkout: the folder holding graph/, ontology/, queries/ and sources/.

    Examples
    --------
    >>> (project_root() / "graph" / "paths.py").is_file()
    True
    """
    return Path(__file__).resolve().parent.parent


def ontology_dir() -> Path:
    return project_root() / "ontology"


def queries_dir() -> Path:
    return project_root() / "queries"


def sources_dir() -> Path:
    return project_root() / "sources"
