"""Checks shared by the curriculum's writes: the same school, a class in one place at a time, untouched lessons."""

from __future__ import annotations

from django.db.models import ProtectedError, QuerySet

from ejournal.core.time import WEEKDAYS_SHORT_RU

from .models import Lesson, TeachingAssignment


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


def remove_empty_lessons(lessons: QuerySet[Lesson]) -> int:
    """Delete the empty ones of `lessons`, keeping any that something still points at: a lesson whose mark
    was set and removed again is empty but keeps its history (journal.ChangeRecord protects it, and the
    history is never deleted). Found from the refusal itself, so curriculum needs no knowledge of the
    journal; another round only when such lessons exist. Returns how many went."""
    pks = set(empty_lessons(lessons).values_list("pk", flat=True))
    while pks:
        try:
            # The refusal comes while Django collects what to delete, before any DELETE: no savepoint needed.
            # Within `lessons` (the caller's, filtered by the school): the DELETE's look-up names the school.
            lessons.filter(pk__in=pks).delete()
            return len(pks)
        except ProtectedError as refused:
            kept = {
                getattr(row, field.attname)
                for row in refused.protected_objects
                for field in type(row)._meta.concrete_fields
                if field.is_relation and field.related_model is Lesson
            }
            if not kept & pks:
                raise
            pks -= kept
    return 0
