"""Checks by role within the user's own school."""

from __future__ import annotations

from ejournal.accounts.models import MANAGEMENT_ROLES, Role, User
from ejournal.core.errors import NotFound


def in_school(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.school_id)


def reads_whole_school(user: User) -> bool:
    """Administrator, director and deputy read every journal and report of their school."""
    return in_school(user) and user.has_role(*MANAGEMENT_ROLES)


def manages_structure(user: User) -> bool:
    """Years, periods, holidays, classes, subgroups, curriculum, assignments, timetable, КТП of others."""
    return in_school(user) and user.has_role(Role.ADMIN, Role.DEPUTY)


def manages_people(user: User) -> bool:
    """Users, roles, enrolment: the responsible administrator (docs/domain.md), not the deputy."""
    return in_school(user) and user.has_role(Role.ADMIN)


def is_teacher(user: User) -> bool:
    return in_school(user) and user.has_role(Role.TEACHER)


def operates_installation(user: User) -> bool:
    """The Django admin: the installation's operators, who belong to no school. A person of a school never
    enters it, even with is_staff or is_superuser set by hand."""
    return bool(
        user.is_authenticated and user.is_active and user.school_id is None and (user.is_staff or user.is_superuser)
    )


def require(allowed: bool) -> None:
    """Outside one's role is reported like a missing page: existence is not revealed."""
    if not allowed:
        raise NotFound()
