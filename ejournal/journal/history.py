"""The one writer of the journal's history (`ChangeRecord`): every module that changes the journal calls here.

Rows are only ever added. The model refuses updates and deletes (save of a stored row, delete, and the
queryset's update/delete), and on PostgreSQL a trigger refuses them too (migration 0004), so a
correction is a new row that says what changed, never an edited old one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.curriculum.models import Lesson

from .models import ChangeKind, ChangeRecord

MAX_REASON = 500


def change(
    *,
    school_id: int,
    actor: User,
    kind: ChangeKind,
    at: dt.datetime | None = None,
    lesson: Lesson | None = None,
    student_id: int | None = None,
    target: str = "",
    old: str = "",
    new: str = "",
    reason: str = "",
) -> ChangeRecord:
    """One history row, not yet written: give several to `record_many` to write them in one INSERT."""
    return ChangeRecord(
        school_id=school_id,
        at=at or clock.now(),
        actor=actor,
        kind=kind,
        lesson=lesson,
        student_id=student_id,
        target=target,
        old_value=old,
        new_value=new,
        reason=reason[:MAX_REASON],
    )


def record_many(changes: Sequence[ChangeRecord]) -> None:
    """Write rows built by `change` (one INSERT; nothing when there are none)."""
    if changes:
        ChangeRecord.objects.bulk_create(changes)


def record(
    *,
    school_id: int,
    actor: User,
    kind: ChangeKind,
    at: dt.datetime | None = None,
    lesson: Lesson | None = None,
    student_id: int | None = None,
    target: str = "",
    old: str = "",
    new: str = "",
    reason: str = "",
) -> ChangeRecord:
    """Write one history row."""
    row = change(
        school_id=school_id,
        actor=actor,
        kind=kind,
        at=at,
        lesson=lesson,
        student_id=student_id,
        target=target,
        old=old,
        new=new,
        reason=reason,
    )
    row.save()
    return row
