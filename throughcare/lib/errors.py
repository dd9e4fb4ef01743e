from __future__ import annotations


class ActionRefused(Exception):
    """An action that cannot be carried out, with a message fit to show the user. Nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EditConflict(ActionRefused):
    """Someone else changed the record since the user loaded it."""
