"""Errors of the journal that the rest of the product has no use for, and the journal's error codes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ejournal.core.errors import Conflict, DomainError


class JournalCode(StrEnum):
    """Stable codes of the journal's refusals (docs/api-errors.md): a client branches on these, not on text."""

    PERIOD_CLOSED = "journal.period_closed"
    STALE_EDIT = "journal.stale_edit"
    NOT_ENROLLED = "journal.not_enrolled"
    GRADE_ONE_NO_MARKS = "journal.grade_one_no_marks"
    PASS_FAIL_SUBJECT = "journal.pass_fail_subject"
    BAD_MARK_VALUE = "journal.bad_mark_value"
    LESSON_CANCELLED = "journal.lesson_cancelled"
    LESSON_NOT_YET_HELD = "journal.lesson_not_yet_held"
    ABSENT_NO_MARK = "journal.absent_no_mark"
    EXAM_GRADES_ONLY = "journal.exam_grades_only"
    FILE_TOO_LARGE = "journal.file_too_large"
    BAD_FILE_TYPE = "journal.bad_file_type"
    TOO_MANY_FILES = "journal.too_many_files"
    MOMENT_OUT_OF_RANGE = "journal.moment_out_of_range"


class JournalLocked(DomainError):
    """The period is closed: its records are read-only; the page shows them greyed out."""

    status = 423
    code: StrEnum = JournalCode.PERIOD_CLOSED


class StaleEdit(Conflict):
    """A conflict that carries what the cell holds now, so the page can show both values ("current")."""

    code: StrEnum = JournalCode.STALE_EDIT

    def __init__(self, message: str, *, current: dict[str, Any], code: StrEnum | None = None) -> None:
        super().__init__(message, code=code)
        self.current = current
        self.extra = {"current": current}
