"""Who reads which help (справка). Every signed-in person reads the help centre; a document written only for
the school's staff or its management is hidden from the others (a parent has no use for the backups help and
should not be sent to pages that answer them «не найдено»). The help of a page is shown on that page, which is
already guarded by its own check."""

from __future__ import annotations

from ejournal.accounts.models import MANAGEMENT_ROLES, STAFF_ROLES, User

from .roles import in_school

# Audiences of a help document, from the widest.
ALL = "all"
STAFF = "staff"  # teachers and the management
MANAGEMENT = "management"  # administrator, director, deputy
AUDIENCES = (ALL, STAFF, MANAGEMENT)


def reads_help(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def reads_audience(user: User, audience: str) -> bool:
    if not reads_help(user):
        return False
    if audience == ALL:
        return True
    roles = STAFF_ROLES if audience == STAFF else MANAGEMENT_ROLES
    return in_school(user) and user.has_role(*roles)
