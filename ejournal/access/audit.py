"""Who reads the security log and the usage monitoring: the school's administrator and director (docs/domain.md)."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import Role, User
from ejournal.audit.models import SecurityEvent

from . import roles


def reads_security_log(user: User) -> bool:
    return roles.in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def reads_usage(user: User) -> bool:
    """Usage monitoring shows who used the product: management of the school."""
    return roles.reads_whole_school(user)


def visible_events(user: User) -> QuerySet[SecurityEvent]:
    roles.require(reads_security_log(user))
    return SecurityEvent.objects.filter(school_id=user.school_id)
