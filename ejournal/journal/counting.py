"""THE rule of which marks count (DOMAIN: a transferred student keeps every mark of the period).

The weighted average of a period, the suggested period mark, накопляемость and every report count the
marks of the student in the subject over the dates, whichever class of the school (and whichever
teacher's assignment of the subject) the student sat in: a student moved from 7А to 7Б mid-quarter
keeps her 7А marks in 7Б's journal, in her diary and in the school's reports.

A mark counts when its lesson is held (a cancelled lesson's marks do not) and the student was enrolled
in the lesson's class on the lesson's date (the grid shows no cell outside the enrolment, so a mark left
there by a transfer entered late does not count either).

Every reader — the grid (`selectors.journal_grid`), period marks (`period_marks`), the class overview,
the diary's marks page, the quality reports (`reports.selectors.period_data`) and the notifications'
averages — takes its marks from `marks_that_count` and picks its own columns: one query for the whole
class or school, never one per student.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet

from ejournal.curriculum.models import LessonStatus

from .models import Mark

# Columns naming where a mark came from (the class it was given in): the grid and the diary show them
# beside marks from another class.
SOURCE_COLUMNS = ("lesson__class_group_id", "lesson__class_group__grade", "lesson__class_group__letter")


def marks_that_count(
    *,
    school_id: int,
    start: dt.date,
    end: dt.date,
    students: Iterable[int] | QuerySet[Any],
    subjects: Iterable[int] | None = None,
) -> QuerySet[Mark]:
    """Marks of the students (ids, or a values("pk")-like subquery) in the subjects (all when None) on
    lessons from `start` to `end`, regardless of class. Callers add .values_list(...) of what they need;
    `lesson__class_group_id` (SOURCE_COLUMNS) tells the class each mark came from."""
    # A join rather than a correlated EXISTS: enrolments of a student never overlap (schools.classes
    # refuses it), so at most one enrolment row matches a mark, and the planners of both databases read
    # 140,000 marks of a school report faster this way. One filter() call: the conditions bind one row.
    qs = Mark.objects.filter(
        school_id=school_id,
        student_id__in=students,
        lesson__date__range=(start, end),
        lesson__status=LessonStatus.PLANNED,
    ).filter(
        Q(lesson__class_group__enrolments__end__isnull=True)
        | Q(lesson__class_group__enrolments__end__gte=F("lesson__date")),
        lesson__class_group__enrolments__student_id=F("student_id"),
        lesson__class_group__enrolments__start__lte=F("lesson__date"),
    )
    if subjects is not None:
        qs = qs.filter(lesson__subject_id__in=list(subjects))
    # No default ordering (it would join the students' names): callers that show marks order them.
    return qs.order_by()


def class_label(grade: int, letter: str) -> str:
    """«7А», as ClassGroup.name spells it, from the SOURCE_COLUMNS."""
    return f"{grade}{letter}"
