"""The analysis parameters, with their documented defaults."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AnalysisSettings", "SAMPLE_ABOVE_NODES", "SAMPLE_ABOVE_EDGES", "SAMPLE_SIZE", "SEED", "WINDOW_DAYS"]

#: Above this many nodes in a view, betweenness and closeness are estimated from a sample.
SAMPLE_ABOVE_NODES = 3000
#: ... or above this many edges.
SAMPLE_ABOVE_EDGES = 30000
#: How many seeded source nodes (pivots) the estimates use.
SAMPLE_SIZE = 256
#: The seed of every randomized algorithm (community detection, sampling, chart layouts).
SEED = 42
#: Days after a threat within which an attack by the same actor counts as follow-through.
WINDOW_DAYS = 30


@dataclass(frozen=True)
class AnalysisSettings:
    """Parameters of one analysis run.

    Examples
    --------
    >>> AnalysisSettings().window_days, AnalysisSettings(window_days=7).window_days
    (30, 7)
    """

    window_days: int = WINDOW_DAYS
    seed: int = SEED
    sample_above_nodes: int = SAMPLE_ABOVE_NODES
    sample_above_edges: int = SAMPLE_ABOVE_EDGES
    sample_size: int = SAMPLE_SIZE
    top_k: int = 10
    main_actors: int = 8
    max_rows: int = 100  # rows of a long table in the report; metrics.json has them all

    def samples(self, nodes: int, edges: int) -> int | None:
        """How many pivots to sample for a view of this size, or ``None`` to compute exactly.

        Examples
        --------
        >>> AnalysisSettings().samples(100, 300) is None
        True
        >>> AnalysisSettings(sample_above_nodes=50, sample_size=20).samples(100, 300)
        20
        """
        if nodes > self.sample_above_nodes or edges > self.sample_above_edges:
            return min(self.sample_size, nodes)
        return None
