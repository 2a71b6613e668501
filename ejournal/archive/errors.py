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
    UNKNOWN_FILE = "archive.unknown_file"
    NO_LABEL = "archive.no_label"
    NO_FOLDER = "archive.no_folder"
    NO_BACKUP_KEY = "archive.no_backup_key"
    SEVERAL_SCHOOLS = "archive.several_schools"
    BUSY = "archive.busy"
    FILE_GONE = "archive.file_gone"
