"""Who reads the hours given (учёт проведённых часов, issue 17) and who confirms a month.

- Management (administrator, director, deputy) reads every teacher of the school, with the табель.
- A teacher reads their own hours only; another teacher's page is a 404, like any object out of scope.
- A teacher confirms their own month and nobody else's: confirming another's is refused with a message
  (403: the teacher is a colleague whose existence is no secret, but the confirmation is theirs alone);
  management confirms nobody's month (they read who confirmed).
- Students, parents and people of another school: these pages do not exist for them (404).
"""

from __future__ import annotations

from ejournal.accounts.models import User
from ejournal.core.errors import Forbidden, NotFound

from .roles import in_school, is_teacher, reads_whole_school
from .tenancy import in_school_of


def reads_hours(user: User) -> bool:
    return reads_whole_school(user) or is_teacher(user)


def require_reads_hours(user: User) -> None:
    if not reads_hours(user):
        raise NotFound()


def reads_every_teacher(user: User) -> bool:
    return reads_whole_school(user)


def hours_teacher(user: User, teacher_id: int | None) -> int | None:
    """Whose hours the user reads: None = every teacher (management without a teacher asked for); a teacher
    reads only themselves, another id is a 404. Whether the id is a person of the school is the caller's
    lookup (scoped to the school)."""
    require_reads_hours(user)
    if reads_whole_school(user):
        return teacher_id
    if teacher_id is not None and teacher_id != user.pk:
        raise NotFound()
    return user.pk


def require_confirms_month(user: User, teacher: User) -> None:
    """Only the teacher themselves confirms their month."""
    if not in_school(user):
        raise NotFound()
    in_school_of(user, teacher)
    if teacher.pk != user.pk or not is_teacher(user):
        raise Forbidden("Подтвердить проведённые часы может только сам учитель — за свой месяц.")
