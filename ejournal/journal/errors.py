"""Errors of the journal that the rest of the product has no use for."""

from __future__ import annotations

from typing import Any

from ejournal.core.errors import Conflict, DomainError


class JournalLocked(DomainError):
    """The period is closed: its records are read-only; the page shows them greyed out."""

    status = 423


class StaleEdit(Conflict):
    """A conflict that carries what the cell holds now, so the page can show both values."""

    def __init__(self, message: str, *, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current
