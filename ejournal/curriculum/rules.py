"""Checks shared by the curriculum's writes: the same school, a class in one place at a time, untouched lessons."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.access import roles
from ejournal.accounts.models import User
from ejournal.core.time import WEEKDAYS_SHORT_RU

from .models import Lesson, TeachingAssignment


def require_same_school(actor: User, *objects: object) -> None:
    """An object of another school is reported like a missing one."""
    for obj in objects:
        if obj is not None and getattr(obj, "school_id", actor.school_id) != actor.school_id:
            roles.require(False)


def slot_label(weekday: int, number: int) -> str:
    return f"{WEEKDAYS_SHORT_RU[weekday - 1]}, {number}-й урок"


def groups_clash(a: TeachingAssignment, b: TeachingAssignment) -> bool:
    """Two lessons of one class at once are fine only for two different subgroups."""
    if a.class_group_id != b.class_group_id:
        return False
    return not (a.subgroup_id and b.subgroup_id and a.subgroup_id != b.subgroup_id)


def empty_lessons(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Lessons nothing was written into yet: they can be removed or re-generated freely."""
    return lessons.filter(topic="", marks__isnull=True, attendance__isnull=True, homework__isnull=True)
