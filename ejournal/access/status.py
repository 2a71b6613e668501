"""Who reads «Состояние системы» (ejournal/status) and who is alerted by it.

The school's administrator keeps the system working and the director answers for it, so both read the page
(its installation-wide part — database, worker, backups — says nothing about another school's people); the
administrators are the ones told when something is wrong. Everyone else: 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import Role, User

from .roles import in_school


def reads_status(user: User) -> bool:
    return in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def status_alert_recipients(school_id: int) -> QuerySet[User]:
    """The school's active administrators."""
    return (
        User.objects.filter(school_id=school_id, is_active=True, role_grants__role=Role.ADMIN).distinct().order_by("pk")
    )
