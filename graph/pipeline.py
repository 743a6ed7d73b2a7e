"""The build: sources -> checked corpus -> RDF -> SHACL -> files in ``out/``.

Outputs are written to a temporary folder beside ``out/`` and moved into
place only when every stage has succeeded and the graph conforms, so a
failed build leaves the previous ``out/`` untouched. The stages run one after
the other in one process: load -> RDF text -> SHACL -> exports -> analysis -> view.
A rebuild validates only what changed since the last graph that conformed
(:mod:`graph.shacl_scope`).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache, input_hashes, up_to_date, write_manifest
from .clock import Clock, peak_mb
from .collector import collector_paused
from .errors import ShaclViolations
from .export import distinct_triples, write_rdf
from .folders import (
    check_replaceable,
    mark,
    output_lock,
    remove_stale_staging,
    staging_prefix,
)
from .loader import load_sources
from .model import Corpus
from .network import lines_index, typed_multigraph
from .paths import project_root
from .query_store import start_store
from .rdf import corpus_nquads
from .schema import load_schema
from .shacl_scope import reach_of, validate_change, validation_context
from .shacl_sparql import CompiledShapes, default_shapes, validate_ntriples
from .validate import ShaclResult, locate_violations

__all__ = ["BuildResult", "STAGES", "build", "atomic_output"]


@dataclass
class BuildResult:
    corpus: Corpus
    out: Path
    triples: int
    graphs: int
    shacl_conforms: bool
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_peak_mb: dict[str, float] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)  # inside the stages: "export.kg.nt", ...
    step_peak_mb: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the rebuild replaced that other commands had written
    cache_stats: dict[str, int] = field(default_factory=dict)  # "document.hit": 9999, "document.miss": 1, ...

    def summary(self) -> str:
        from .counts import facts_in_words, is_fact_link

        corpus = self.corpus
        by_type = Counter(e.type for e in corpus.entities.values())
        by_status = Counter(f.status.lower() for f in corpus.facts)
        records = Counter(r.kind for r in corpus.records.values())
        lines = [
            f"documents: {len(corpus.documents)}",
            f"entities:  {len(corpus.entities)} ("
            + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())) + ")",
            f"records:   {records.get('event', 0)} events, {records.get('statement', 0)} statements",
            f"facts:     {facts_in_words(len(corpus.facts), sum(map(is_fact_link, corpus.facts)))}; "
            + ", ".join(f"{s} {n}" for s, n in sorted(by_status.items()))
            + f"; {sum(len(f.evidence) for f in corpus.facts)} verified quotes",
            f"triples:   {self.triples} in {self.graphs} named graphs",
            f"SHACL:     {'conforms' if self.shacl_conforms else 'VIOLATIONS'}",
            f"warnings:  {len(corpus.warnings)}",
            *([f"cache:     {self.cache_stats.get('document.hit', 0)} document files unchanged, "
               f"{self.cache_stats.get('document.miss', 0)} checked"] if self.cache_stats else []),
            f"output:    {self.out}",
            f"time:      {self.seconds:.2f} s",
        ]
        return "\n".join(lines)


@contextmanager
def atomic_output(out: Path, *, sources: Path | None = None):
    """Yield a marked staging folder; on success it replaces ``out``, on failure it vanishes.

    ``out`` must be one the project may replace (:func:`graph.folders.check_replaceable`):
    missing, empty, or made by an earlier build. The lock beside ``out`` is held
    throughout, so concurrent builds into one folder take turns, and staging
    folders that killed builds left behind are removed first.
    """
    out = check_replaceable(out, "build", sources=sources)
    with output_lock(out):
        out = check_replaceable(out, "build", sources=sources)  # again: another build may have run meanwhile
        remove_stale_staging(out)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=out.parent))
        try:
            staging.chmod(0o755)
            mark(staging, "build")
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # The old folder moves into a marked holder of its own, so that no name
        # beside ``out`` that a user may have chosen is ever touched.
        holder = Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=out.parent))
        mark(holder, "build")
        if out.exists():
            out.rename(holder / "previous")
        staging.rename(out)
        shutil.rmtree(holder, ignore_errors=True)


STAGES = ("load", "rdf", "shacl", "export", "analysis", "view")


def _validate(triples: list[str], out: Path, shapes: CompiledShapes, context: str, cache: BuildCache | None,
              clock: Clock) -> ShaclResult:
    """SHACL on the merged graph (``kg.nt``'s lines): on what changed since ``out``'s graph, if the cache
    recorded it as conforming under ``context`` (the ontology's hash, the shapes and the libraries)."""
    before = cache.conforming(out / "kg.nt", context) if cache is not None else None
    result = None
    if before is not None:
        with clock("shacl.scoped"):
            result = validate_change(before, triples, shapes, reach_of(shapes))
        del before
    if result is None:
        with clock("shacl.validate"):
            result = validate_ntriples("".join(triples), shapes)
    return result


def build(sources: Path | None = None, out: Path | None = None, *, progress=None,
          cache: BuildCache | None = None) -> BuildResult | None:
    """Run the whole build; raise a :class:`~graph.errors.KGError` on bad input.

    Returns None, having done nothing, when a ``cache`` is given and ``out`` is
    already the build of these inputs (:func:`graph.cache.up_to_date`).

    Parameters
    ----------
    sources : Path, optional
        The ``sources`` folder (default: the project's own).
    out : Path, optional
        Where to write (default: ``out/`` in the project).
    progress : callable, optional
        Called with each stage's name (see ``STAGES``) when it is done.
    cache : BuildCache, optional
        Where the checked records of unchanged document files are kept
        (default: none; every file is checked). The outputs are the same either way.
    """
    started = time.perf_counter()
    root = project_root()
    sources = Path(sources) if sources else root / "sources"
    out = Path(out) if out else root / "out"
    check_replaceable(out, "build", sources=sources)  # before any work: refuse a folder that is not ours
    notes = _replaced_by_rebuild(out)
    hashes = input_hashes(sources)  # before reading: an edit made during the build makes the next one rebuild
    if cache is not None and not notes and up_to_date(out, hashes):
        return None
    with collector_paused():
        result = _build(sources, out, progress, started, cache, hashes)
    result.notes = notes
    if cache is not None:
        result.cache_stats = dict(cache.stats)
        cache.trim()
    return result


def _replaced_by_rebuild(out: Path) -> list[str]:
    """What ``kg view --focus`` and ``kg report --window`` wrote into ``out``, which a rebuild replaces."""
    import json

    from .analysis.settings import WINDOW_DAYS

    notes = []
    pages = sorted(p.name for p in out.glob("graph-*.html")) if out.is_dir() else []
    if pages:
        notes.append(f"the rebuild replaced {len(pages)} page{'s' if len(pages) > 1 else ''} written by "
                     f"kg view --focus ({', '.join(pages)}); run kg view --focus again to write them from this build")
    try:
        window = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["settings"]["window_days"]
    except (OSError, ValueError, KeyError, TypeError):
        window = WINDOW_DAYS
    if window != WINDOW_DAYS:
        notes.append(f"the report uses the default --window {WINDOW_DAYS} again (the previous one used "
                     f"--window {window}); run kg report --window {window} to write it so")
    return notes


def _build(sources: Path, out: Path, progress, started: float,
           cache: BuildCache | None, hashes: dict[str, str]) -> BuildResult:
    stages: dict[str, float] = {}
    peaks: dict[str, float] = {}  # peak resident memory so far, at the end of each stage
    clock = Clock()  # the steps inside the stages

    def stage(name: str, since: float) -> float:
        now = time.perf_counter()
        stages[name] = round(now - since, 4)
        peaks[name] = peak_mb()
        if progress is not None:
            progress(name)
        return now

    mark = time.perf_counter()
    schema = load_schema()
    corpus = load_sources(sources, schema, clock, cache)
    mark = stage("load", mark)
    lines = corpus_nquads(corpus, schema)  # the distinct quads as sorted N-Quads lines
    merge = distinct_triples(lines)
    mark = stage("rdf", mark)
    shapes = default_shapes()
    validated_as = f"{hashes['ontology']}:{validation_context(shapes)}"  # what a conforming graph is recorded under
    shacl = _validate(merge.triples, out, shapes, validated_as, cache, clock)
    if not shacl.conforms:
        raise ShaclViolations(shacl.text, shacl.violations, locate_violations(shacl, corpus))
    mark = stage("shacl", mark)
    with atomic_output(out, sources=sources) as staging:
        written = write_rdf(lines, sorted(corpus.documents), staging, clock, merge)
        del merge
        if cache is not None:
            cache.put_conforming(written.merge_digest, validated_as)  # the next build's SHACL starts here
        # kg query's store, loaded on a thread beside the analysis and the view, from the lines in hand
        query_store = start_store(staging, out, lines=(lines, written.lines), derive=cache is not None)
        del lines
        mark = stage("export", mark)
        from .analysis import (
            write_analysis,  # here, not at the top: keeps matplotlib out of other commands
        )

        with clock("analysis.graph"):
            merged = lines_index(written.lines)  # the analysis and the view look things up in it
            triples, graphs = len(written.lines), written.graphs
            del written
            typed = typed_multigraph(merged)  # one NetworkX graph for the analysis and the view
        write_analysis(merged, staging, typed=typed, clock=clock)  # report, metrics, kg.graphml/.gexf
        mark = stage("analysis", mark)
        from .view import (
            write_view,  # here, not at the top: keeps pyvis out of every other command's start-up
        )

        write_view(staging, merged, corpus, typed=typed, clock=clock)
        write_manifest(staging, hashes)  # last: it records the size of every other file
        mark = stage("view", mark)
        with clock("export.query_store"):  # the wait for it, if any
            query_store.result()
    return BuildResult(corpus=corpus, out=out, triples=triples, graphs=graphs,
                       shacl_conforms=True, seconds=time.perf_counter() - started,
                       stage_seconds={name: stages[name] for name in STAGES if name in stages},
                       stage_peak_mb={name: peaks[name] for name in STAGES if name in peaks},
                       step_seconds=dict(clock.seconds), step_peak_mb=dict(clock.peak_mb))
