"""The ``kg`` command line: a thin layer over the library.

User errors print one clear message and exit with 1 (SHACL violations) or
2 (bad input); they never show a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import KGError

__all__ = ["main"]


def _fail(error: KGError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="faction-kg")
def main() -> None:
    """faction-kg: an evidence-backed knowledge graph of armed groups, people and claimed events."""


@main.command()
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The sources folder (default: sources/ in the project).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the outputs (default: out/ in the project).")
@click.option("--warnings/--no-warnings", "show_warnings", default=False,
              help="List every curation warning (unused aliases, entities without facts).")
def build(sources: Path | None, out: Path | None, show_warnings: bool) -> None:
    """Check the sources and write the RDF exports to out/.

    Loads the registry and every document file, verifies hashes and quotes,
    validates with SHACL and writes kg.ttl, kg.nt, kg.jsonld, kg.trig and
    void.ttl. Exit codes: 0 ok, 1 SHACL violations, 2 bad input.
    """
    from .pipeline import build as run_build

    try:
        result = run_build(sources, out)
    except KGError as error:
        _fail(error)
    click.echo(result.summary())
    if show_warnings:
        for warning in result.corpus.warnings:
            click.echo(f"warning: {warning}", err=True)
    elif result.corpus.warnings:
        click.echo(f"({len(result.corpus.warnings)} curation warnings; see them with --warnings)", err=True)
