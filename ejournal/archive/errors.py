"""Stable codes of the backups' and archives' refusals (docs/api-errors.md)."""

from __future__ import annotations

from enum import StrEnum


class ArchiveCode(StrEnum):
    WRITE_FAILED = "archive.write_failed"
    BAD_KEY = "archive.bad_key"
    KEY_NEEDED = "archive.key_needed"
    WRONG_KEY = "archive.wrong_key"
    FOREIGN_FILE = "archive.foreign_file"
    DAMAGED_FILE = "archive.damaged_file"
    NOT_EMPTY = "archive.not_empty"
    OTHER_DATABASE = "archive.other_database"
