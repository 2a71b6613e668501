"""Lessons and days missed, as the class teacher's period report counts them.

A day counts as missed only when the student missed every lesson of that day that was theirs: the
class's lessons and those of their own subgroups, cancelled ones left out (docs/domain.md). The reason of a
missed day is the least excused of its absences: «п» over «н» (not yet explained) over «у» over «б».
Four queries for a whole class, whatever its size (two when the caller knows the enrolments).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ejournal.curriculum.models import Lesson, LessonStatus
from ejournal.schools.models import ClassGroup, Enrolment, SubgroupMember

from .models import Attendance
from .values import ABSENCE_CODES

# From the least to the most excused: a day takes the first of these among its absences.
DAY_REASON_ORDER = ("п", "н", "у", "б")


@dataclass
class Missed:
    """One student's absences in a span: lessons and whole days, each by code."""

    lessons: int = 0
    lessons_by_code: dict[str, int] = field(default_factory=dict)
    days: int = 0
    days_by_code: dict[str, int] = field(default_factory=dict)

    @property
    def days_ill(self) -> int:
        return self.days_by_code.get("б", 0)

    @property
    def days_excused(self) -> int:
        return self.days_by_code.get("у", 0)

    @property
    def days_unexcused(self) -> int:
        return self.days_by_code.get("п", 0)

    @property
    def days_unsettled(self) -> int:
        """Days whose reason the class teacher has not yet set («н»)."""
        return self.days_by_code.get("н", 0)


Spans = dict[int, list[tuple[dt.date, dt.date | None]]]


def enrolment_spans(class_group: ClassGroup, start: dt.date, end: dt.date) -> Spans:
    """Each student in the class at some day between two dates, with the spans of their enrolment."""
    spans: Spans = defaultdict(list)
    for student_id, since, until in (
        Enrolment.objects.filter(school_id=class_group.school_id, class_group=class_group, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("student_id", "start", "end")
    ):
        spans[student_id].append((since, until))
    return spans


def subgroups_of(class_group: ClassGroup, student_ids: list[int]) -> dict[int, set[int]]:
    """The subgroups of the class each student belongs to."""
    subgroups: dict[int, set[int]] = defaultdict(set)
    for student_id, subgroup_id in SubgroupMember.objects.filter(
        school_id=class_group.school_id, subgroup__class_group=class_group, student_id__in=student_ids
    ).values_list("student_id", "subgroup_id"):
        subgroups[student_id].add(subgroup_id)
    return subgroups


def missed_in_class(
    class_group: ClassGroup,
    start: dt.date,
    end: dt.date,
    *,
    spans: Spans | None = None,
    subgroups: dict[int, set[int]] | None = None,
) -> dict[int, Missed]:
    """Lessons and days missed by each student of the class between two dates (while in the class).

    A page that has already read the enrolments and subgroups of the class passes them in, which saves
    their two queries."""
    if spans is None:
        spans = enrolment_spans(class_group, start, end)
    if subgroups is None:
        subgroups = subgroups_of(class_group, list(spans))
    lessons_by_day: dict[dt.date, list[tuple[int, int | None]]] = defaultdict(list)
    for lesson_id, day, subgroup_id in Lesson.objects.filter(
        school_id=class_group.school_id, class_group=class_group, date__range=(start, end), status=LessonStatus.PLANNED
    ).values_list("id", "date", "subgroup_id"):
        lessons_by_day[day].append((lesson_id, subgroup_id))
    absent: dict[int, dict[int, str]] = defaultdict(dict)
    for student_id, lesson_id, code in Attendance.objects.filter(
        school_id=class_group.school_id,
        lesson__class_group=class_group,
        lesson__date__range=(start, end),
        lesson__status=LessonStatus.PLANNED,
        code__in=ABSENCE_CODES,
    ).values_list("student_id", "lesson_id", "code"):
        absent[student_id][lesson_id] = code

    result: dict[int, Missed] = {}
    for student_id, student_spans in spans.items():
        missed = Missed()
        own_absent = absent.get(student_id, {})
        own_groups = subgroups.get(student_id, set())
        for day, day_lessons in lessons_by_day.items():
            if not any(since <= day and (until is None or day <= until) for since, until in student_spans):
                continue
            theirs = [lid for lid, group in day_lessons if group is None or group in own_groups]
            codes = [own_absent[lid] for lid in theirs if lid in own_absent]
            for code in codes:
                missed.lessons += 1
                missed.lessons_by_code[code] = missed.lessons_by_code.get(code, 0) + 1
            if theirs and len(codes) == len(theirs):
                reason = next(c for c in DAY_REASON_ORDER if c in codes)
                missed.days += 1
                missed.days_by_code[reason] = missed.days_by_code.get(reason, 0) + 1
        result[student_id] = missed
    return result
