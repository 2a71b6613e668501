"""What the diary's pages and API read from a request: the week, ids, and the student's "today"."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.core.time import school_today


def parse_week(raw: str) -> dt.date | None:
    """Any day of the wanted week (YYYY-MM-DD); None when missing or malformed."""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    # Far-off years would overflow the previous/next week links; nobody's diary lives there.
    return day if dt.date(1900, 1, 1) <= day <= dt.date(2999, 12, 31) else None


def parse_int(raw: str | None) -> int | None:
    """A non-negative id or offset; None for anything else."""
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


def student_today(student: User) -> dt.date:
    """The school's local date of the student (a diary opened at 23:30 in Perm shows Perm's day)."""
    return school_today(student.school.timezone) if student.school else timezone.localdate()
