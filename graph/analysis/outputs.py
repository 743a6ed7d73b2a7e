"""Write the analysis outputs: the report, the metric files and the graph exports.

Every file is written in a fixed order with sorted content and no
timestamps, so the same graph gives the same bytes. :func:`write_analysis`
is the build's analysis stage; :func:`rebuild_report` is ``kg report``, which
reads an existing build and replaces only these files, atomically.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import networkx as nx
from rdflib import Graph

from ..clock import Clock
from ..collector import collector_paused
from ..errors import KGError, MissingBuild
from ..network import load_rdf, typed_multigraph
from ..triples import TripleIndex
from .analysis import Analysis, analyse
from .metrics import METRICS, TABLE_COLUMNS, VIEWS
from .settings import AnalysisSettings

__all__ = ["ANALYSIS_FILES", "AnalysisError", "analysis_files", "write_analysis", "rebuild_report", "metrics_json",
           "metrics_csv", "csv_cell"]

#: The files the analysis stage writes into the output folder.
ANALYSIS_FILES = ("report.html", "report.md", "metrics.json", "metrics.csv", "metrics.csv-metadata.json", "kg.graphml",
                  "kg.gexf")


class AnalysisError(KGError):
    """The analysis could not be written (for example, a chart contained active content)."""


def metrics_json(analysis: Analysis) -> str:
    """``metrics.json``: settings, views, metric definitions, one entry per node, and the findings."""
    settings = analysis.settings
    views = {}
    for name, description in VIEWS.items():
        entry: dict = {"description": description}
        if name in analysis.views:
            view = analysis.views[name]
            entry.update(nodes=view.graph.number_of_nodes(), edges=view.graph.number_of_edges(),
                         components=len(view.structure.components), communities=len(view.structure.communities),
                         modularity=view.structure.modularity, sampled=view.centrality.sampled,
                         samples=view.centrality.samples)
        else:
            graph = analysis.relation if name == "relation" else analysis.person_org
            entry.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
        views[name] = entry
    document = {
        "settings": {"window_days": settings.window_days, "seed": settings.seed,
                     "sample_above_nodes": settings.sample_above_nodes,
                     "sample_above_edges": settings.sample_above_edges, "sample_size": settings.sample_size},
        "views": views,
        "metrics": {m.name: {"view": m.view, "label": m.label, "description": m.explanation} for m in METRICS},
        "nodes": analysis.table,
        "threats": [{"threat": t.threat, "label": t.label, "edtf": t.edtf, "earliest": t.earliest,
                     "latest": t.latest, "window_days": t.window_days, "window_end": t.window_end,
                     "followed": t.followed, "outcome": t.outcome, "actors": t.actors,
                     "followed_by": [a["attack"] for a in t.followed_by],
                     "next_attack": t.next_attack["attack"] if t.next_attack else None,
                     "source_says": t.source_says, "source_facts": t.source_facts, "facts": t.facts,
                     "documents": t.documents} for t in analysis.threats],
        "claimed_attacks": [{"attack": a.attack, "label": a.label, "edtf": a.edtf, "documents": a.documents,
                             "channels": a.channels, "single_channel": a.single_channel, "facts": a.facts,
                             "claims": [{"claimant": c.claimant, "statements": c.statements, "documents": c.documents,
                                         "channels": c.channels, "single_channel": c.single_channel,
                                         "facts": c.facts} for c in a.claims]}
                            for a in analysis.claimed_attacks],
        "activity": [{"actor": r.actor, "period": r.period, "kind": r.kind, "count": r.count, "items": list(r.items),
                      "facts": list(r.facts), "documents": list(r.documents)} for r in analysis.activity_rows],
        "data_quality": {"entities_without_facts": analysis.quality.entities_without_facts,
                         "unsourced_facts": analysis.quality.unsourced_facts,
                         "facts_per_document": {d: {"total": f["total"], "quotes": f["quotes"],
                                                    **{s: len(k) for s, k in f["by_status"].items()}}
                                                for d, f in analysis.quality.facts_per_document.items()}},
    }
    return json_lines(document, depth=2) + "\n"


def json_lines(value, depth: int, level: int = 0) -> str:
    """JSON indented by two spaces down to ``depth`` levels, each value below that on one line.

    One line per node, threat or activity row keeps a large file easy to
    read, grep and diff, and lets json's C encoder write it (with ``indent``,
    json runs in Python: 1.7 s against 0.6 s for the metrics of 10,000 documents).

    Examples
    --------
    >>> print(json_lines({"nodes": {"id/a": {"degree": 2, "label": "A"}}, "empty": []}, depth=2))
    {
      "nodes": {
        "id/a": {"degree": 2, "label": "A"}
      },
      "empty": []
    }
    """
    encode = _ENCODER.encode
    if level >= depth or not isinstance(value, (dict, list)) or not value:
        return encode(value)
    pad = "  " * (level + 1)
    if isinstance(value, dict):
        items = [f"{pad}{encode(str(key))}: {json_lines(item, depth, level + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    items = [pad + json_lines(item, depth, level + 1) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"


_ENCODER = json.JSONEncoder(ensure_ascii=False)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """A cell safe to open in a spreadsheet: text starting with = + - @ tab or CR gets a leading quote (OWASP).

    Numbers are left alone (a negative number is not a formula).

    Examples
    --------
    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-x"), csv_cell(-0.5), csv_cell("Al-Nujaba")
    ("'=HYPERLINK(1)", "'-x", -0.5, 'Al-Nujaba')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def metrics_csv(analysis: Analysis) -> str:
    """``metrics.csv``: one row per node (id, label, kind, type, every metric); undefined is empty.

    Text cells that a spreadsheet would read as a formula are prefixed with ``'`` (see :func:`csv_cell`).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    for node, row in analysis.table.items():
        writer.writerow([csv_cell(node), *(csv_cell("" if row[c] is None else row[c]) for c in TABLE_COLUMNS[1:])])
    return buffer.getvalue()


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")


def analysis_files(analysis: Analysis, folder: Path, clock: Clock | None = None) -> None:
    """Write every analysis file of ``analysis`` into ``folder`` (``clock`` times the report and the graph files)."""
    from .charts import render_charts
    from .csv_metadata import METADATA_FILE, metrics_csv_metadata
    from .exports import export_graph, write_gexf, write_graphml
    from .report import build_report

    clock = clock or Clock()
    with clock("analysis.report"):
        charts = render_charts(analysis)
        for name, svg in charts.items():
            if "<script" in svg.lower() or "<foreignobject" in svg.lower():
                raise AnalysisError(f"chart '{name}' contains active content; refusing to inline it")
        report_html, report_md = build_report(analysis, charts)
        _write(folder / "report.html", report_html)
        _write(folder / "report.md", report_md)
    with clock("analysis.metrics-files"):
        _write(folder / "metrics.json", metrics_json(analysis))
        _write(folder / "metrics.csv", metrics_csv(analysis))
        _write(folder / METADATA_FILE, metrics_csv_metadata())
    exported = export_graph(analysis.relation, analysis.table)
    with clock("analysis.kg.graphml"):
        write_graphml(exported, folder / "kg.graphml")
    with clock("analysis.kg.gexf"):
        write_gexf(exported, folder / "kg.gexf")


def write_analysis(rdf: Graph | TripleIndex, folder: Path, settings: AnalysisSettings | None = None,
                   typed: nx.MultiDiGraph | None = None, clock: Clock | None = None) -> Analysis | None:
    """The build's analysis stage: analyse the built RDF and write every analysis file into ``folder``.

    ``typed`` is the RDF's typed multigraph, when the caller has already built it.
    The files of a typed graph analysed before under the same settings and code
    are found in the ``analyses`` cache (:mod:`.analysis_cache`), byte for byte;
    then nothing is analysed and None is returned, else the :class:`Analysis`.
    """
    from .analysis_cache import analysis_cache, analysis_key

    clock = clock or Clock()
    settings = settings or AnalysisSettings()
    folder = Path(folder)
    typed = typed if typed is not None else typed_multigraph(rdf)
    cache = analysis_cache()
    with clock("analysis.cached"):
        key = analysis_key(typed, settings)
        if key is not None and cache.restore_files(key, folder) is not None:
            return None
    with clock("analysis.metrics"):
        analysis = analyse(typed, settings)
    analysis_files(analysis, folder, clock)
    if key is not None:
        with clock("analysis.cached"):
            cache.keep_files(key, folder, ANALYSIS_FILES)
    return analysis


def rebuild_report(out: Path, settings: AnalysisSettings | None = None) -> list[Path]:
    """``kg report``: rebuild only the analysis files of an existing build in ``out``.

    The files are written to a temporary folder inside ``out`` and then moved
    over the old ones one by one (each move is atomic); nothing else in ``out``
    is touched. Raises :class:`~graph.errors.MissingBuild` if there is no build.
    The cycle collector is paused throughout, as in the build (:mod:`graph.collector`).
    """
    out = Path(out)
    if not (out / "kg.nt").is_file():
        raise MissingBuild(f"no built graph at {out / 'kg.nt'}; run the build first: python build.py (or kg build)")
    with collector_paused():
        return _replace_report(out, settings)


def _replace_report(out: Path, settings: AnalysisSettings | None) -> list[Path]:
    try:
        rdf = load_rdf(out)
    except Exception as error:  # the parser raises several kinds of error
        raise AnalysisError(f"cannot read {out / 'kg.nt'} ({type(error).__name__}: {error}); "
                            "run the build again: python build.py") from None
    try:
        with tempfile.TemporaryDirectory(prefix=".report-", dir=out) as staging:
            write_analysis(rdf, Path(staging), settings)
            written = []
            for name in ANALYSIS_FILES:
                target = out / name
                os.replace(Path(staging) / name, target)
                target.chmod(0o644)
                written.append(target)
    except OSError as error:
        raise AnalysisError(f"cannot write the report into {out}: {error.strerror or error}") from None
    return written
