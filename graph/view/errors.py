"""The view's one error type (a :class:`~graph.errors.KGError`, so the CLI shows it cleanly)."""

from __future__ import annotations

from ..errors import KGError

__all__ = ["ViewError"]


class ViewError(KGError):
    """The page cannot be made: an unknown focus entity, bad metrics, evidence off its text."""
