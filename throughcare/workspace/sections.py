"""The case page's sections and overview panels that belong to the workspace itself."""

from __future__ import annotations


def contribute() -> None:
    """Filled with the case page (the timeline section)."""
