"""faction-kg: a hand-curated, evidence-backed knowledge graph.

The package is a library first; ``graph.cli`` is a thin command line over it.
Nothing is built at import time.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
