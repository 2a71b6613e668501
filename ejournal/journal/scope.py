"""What belongs to one journal: its lessons and the накопляемость norm of its subject."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet

from ejournal.curriculum.models import CurriculumHours, Lesson, LessonStatus, TeachingAssignment
from ejournal.schools.models import School


def journal_lessons(assignment: TeachingAssignment, start: dt.date, end: dt.date) -> QuerySet[Lesson]:
    """Lessons of the class (or subgroup) and subject between two dates, whoever gave them: a journal
    outlives a change of teacher. Cancelled lessons are not part of it."""
    return Lesson.objects.filter(
        school_id=assignment.school_id,
        class_group_id=assignment.class_group_id,
        subgroup_id=assignment.subgroup_id,
        subject_id=assignment.subject_id,
        date__range=(start, end),
        status=LessonStatus.PLANNED,
    )


def hours_per_week(assignment: TeachingAssignment, grade: int, year_id: int) -> Decimal | None:
    return (
        CurriculumHours.objects.filter(
            school_id=assignment.school_id, year_id=year_id, grade=grade, subject_id=assignment.subject_id
        )
        .values_list("hours_per_week", flat=True)
        .first()
    )


def marks_norm(
    school: School, hours: Decimal | None, *, lessons: int = 0, start: dt.date | None = None, end: dt.date | None = None
) -> int:
    """Накопляемость: the least number of marks a student needs for a period mark — the school's norm for
    a subject of 1 hour a week, or for 2 and more. Without a curriculum line the hours are judged from
    the lessons of the period (more than 1.5 a week counts as 2+)."""
    if hours is None:
        if not lessons or start is None or end is None:
            return school.min_marks_one_hour
        weeks = max(1.0, ((end - start).days + 1) / 7)
        return school.min_marks_more_hours if lessons / weeks > 1.5 else school.min_marks_one_hour
    return school.min_marks_one_hour if hours <= 1 else school.min_marks_more_hours
