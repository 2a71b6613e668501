"""Text for spreadsheets: what people typed is never evaluated as a formula when the file is opened."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text as text: a leading apostrophe keeps Excel and LibreOffice from evaluating it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
