"""Imports of classes, students, parents and staff: the responsible administrator's (docs/domain.md: «imports»).

The deputy creates classes by hand (roles.manages_structure), but importing lists of people and classes
is the administrator's job in docs/domain.md's table, so the deputy, director and everyone else get 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import User
from ejournal.interop.models import ImportBatch

from . import roles


def may_import(user: User) -> bool:
    return roles.manages_people(user)


def visible_batches(user: User) -> QuerySet[ImportBatch]:
    """The school's imports, to the administrator only."""
    if not may_import(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(school_id=user.school_id)


def require_may_import(user: User) -> None:
    roles.require(may_import(user))
