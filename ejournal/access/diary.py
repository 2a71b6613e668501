"""Whose diary a user may open: their own as a student, their children's as a parent.

Teachers and management read marks through the journal, not through the diary, so for them the
diary pages do not exist (404), even for students they teach.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User

from .roles import in_school


def diary_students(user: User) -> QuerySet[User]:
    if not in_school(user):
        return User.objects.none()
    cond = Q(pk__in=[])
    if user.has_role(Role.STUDENT):
        cond |= Q(pk=user.pk)
    if user.has_role(Role.PARENT):
        cond |= Q(parent_links__parent=user)
    return (
        User.objects.filter(school_id=user.school_id, role_grants__role=Role.STUDENT)
        .filter(cond)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
