"""Objects a journal request names by id, fetched through the user's scope: outside it they are NotFound (404).

The pages and the API parse ids their own way and then both call these, so the scope rule is written once.
"""

from __future__ import annotations

from ejournal.access import journal as access
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.curriculum.models import Lesson, TeachingAssignment
from ejournal.schools.models import Period

from .models import MarkKind


def lesson_for(user: User, pk: int) -> Lesson:
    lesson = access.journal_lessons(user).filter(pk=pk).select_related("school").first()
    if lesson is None:
        raise NotFound()
    return lesson


def assignment_for(user: User, pk: int) -> TeachingAssignment:
    found = (
        access.visible_journals(user)
        .filter(pk=pk)
        .select_related("class_group__year", "subject", "subgroup", "school")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def student_for(user: User, pk: int) -> User:
    student = access_schools.visible_students(user).filter(pk=pk).first()
    if student is None:
        raise NotFound()
    return student


def period_for(user: User, pk: int | None) -> Period | None:
    if pk is None:
        return None
    period = Period.objects.filter(school_id=user.school_id, pk=pk).select_related("scheme").first()
    if period is None:
        raise NotFound()
    return period


def kind_for(user: User, pk: int | None) -> MarkKind | None:
    """A kind of work of the user's school; an unknown id is a mistake in the input, not a missing page."""
    if pk is None:
        return None
    kind = MarkKind.objects.filter(school_id=user.school_id, pk=pk).first()
    if kind is None:
        raise ValidationFailed("Такого вида работы в школе нет.", field="kind")
    return kind
