"""Who reads the retention register (реестр хранения) and who deletes what has outlived its term.

The register is the administrator's and the director's (docs/domain.md, «Retention»): it lists what the school
keeps and where each copy lies. Nothing is deleted automatically; an expired stored item is deleted only by the
school's administrator, who confirms it, and the deletion is logged.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import Role, User

from .roles import in_school


def reads_register(user: User) -> bool:
    return in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def deletes_expired(user: User) -> bool:
    return in_school(user) and user.has_role(Role.ADMIN)


def warned_about_expiry(school_id: int) -> QuerySet[User]:
    """Who is told that something nears the end of its term: the school's active administrators."""
    return (
        User.objects.filter(school_id=school_id, is_active=True, role_grants__role=Role.ADMIN).distinct().order_by("pk")
    )
