"""Curriculum's part in calendar changes: the lessons on the days a year or a holiday takes away.

Connected to the hooks of `schools.signals` in CurriculumConfig.ready(), because schools, below curriculum,
cannot import lessons; a refusal is a ValidationFailed raised into the schools service's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import ProtectedError, Q

from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.schools.models import AcademicYear

from .models import Lesson


def refuse_lessons_outside_year(*, year: AcademicYear, start: dt.date, end: dt.date, where: str, **_: Any) -> None:
    """A year cannot shrink past one of its lessons (written or not: the timetable made it for a reason)."""
    lesson = (
        Lesson.objects.filter(school_id=year.school_id, class_group__year=year)
        .exclude(date__range=(start, end))
        .select_related("class_group")
        .first()
    )
    if lesson:
        raise ValidationFailed(f"{where}: урок {ru_date(lesson.date)} в {lesson.class_group.name} окажется вне года.")


def remove_empty_lessons(
    *, year: AcademicYear, start: dt.date, end: dt.date, grade_from: int, grade_to: int, where: str, **_: Any
) -> None:
    """Days that become holidays lose their empty lessons; a written lesson refuses the holiday."""
    lessons = Lesson.objects.filter(
        school_id=year.school_id,
        date__range=(start, end),
        class_group__grade__gte=grade_from,
        class_group__grade__lte=grade_to,
    )
    first = (
        lessons.filter(Q(marks__isnull=False) | Q(attendance__isnull=False) | Q(homework__isnull=False) | ~Q(topic=""))
        .select_related("class_group", "subject")
        .first()
    )
    if first:
        raise ValidationFailed(
            f"{where}: на {ru_date(first.date)} в {first.class_group.name} уже записан урок "
            f"«{first.subject.name}» (отметки, посещаемость, тема или задание). Перенесите его сначала."
        )
    try:
        lessons.delete()
    except ProtectedError as e:
        # An emptied lesson can still carry the history of what was once written in it.
        raise ValidationFailed(
            f"{where}: на эти дни есть уроки с историей изменений в журнале. Перенесите их сначала."
        ) from e
