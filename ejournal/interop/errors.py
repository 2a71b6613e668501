"""Stable codes of the imports' refusals (docs/api-errors.md). A file that is no table or has the wrong
columns is not a refusal of the request: the import is kept as refused with the reason in its report."""

from __future__ import annotations

from enum import StrEnum


class ImportsCode(StrEnum):
    FILE_TOO_LARGE = "imports.file_too_large"
    UNKNOWN_KIND = "imports.unknown_kind"
    OUTSIDE_YEAR = "imports.outside_year"
    ALREADY_DONE = "imports.already_done"
    CHANGED = "imports.changed"
