"""Graph analysis: networks, metrics, findings and the report, all from the built RDF.

The one input is the typed multigraph of :mod:`graph.network`. From it come
the analytic views (:mod:`.projections`), centrality (:mod:`.centrality`),
structure (:mod:`.structure`), activity over time (:mod:`.activity`), claim
corroboration (:mod:`.corroboration`), threat follow-through
(:mod:`.threats`) and data quality (:mod:`.quality`); :mod:`.analysis` runs
them all and :mod:`.outputs` writes the report, the metric files and the
GraphML and GEXF exports.

Nothing is computed, and matplotlib is not imported, at import time.
"""

from .analysis import Analysis, analyse
from .outputs import ANALYSIS_FILES, AnalysisError, rebuild_report, write_analysis
from .settings import AnalysisSettings

__all__ = ["ANALYSIS_FILES", "Analysis", "AnalysisError", "AnalysisSettings", "analyse", "rebuild_report",
           "write_analysis"]
