"""What the diary's pages and API read from a request, on top of ejournal/core/inputs.py: the week, and the
student's "today"."""

from __future__ import annotations

import datetime as dt

from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.time import school_today


def parse_week(raw: str | None) -> dt.date | None:
    """Any day of the wanted week (YYYY-MM-DD, 1900–2200, so the previous/next week links stay computable);
    None when missing or malformed: the page then shows the current week, the API refuses."""
    return inputs.date_or_none(raw)


def student_today(student: User) -> dt.date:
    """The school's local date of the student (a diary opened at 23:30 in Perm shows Perm's day)."""
    return school_today(student.school)
