"""Small checks shared by the school-structure services."""

from __future__ import annotations

import datetime as dt

from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date


def span(start: dt.date, end: dt.date | None) -> str:
    return f"{ru_date(start)}–{ru_date(end)}" if end else f"с {ru_date(start)}"


def required_text(value: str, *, what: str, max_length: int) -> str:
    """A required short text: the database column has a limit that PostgreSQL enforces with a 500."""
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"Укажите {what}.")
    if len(value) > max_length:
        raise ValidationFailed(f"{what.capitalize()} «{value}» длиннее {max_length} знаков.")
    return value
