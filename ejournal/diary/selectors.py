"""The diary week of one student, read with one query per kind of row whatever the week holds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from ejournal.accounts.models import User
from ejournal.curriculum.models import Bell, Lesson, LessonStatus
from ejournal.journal.models import Attendance, Homework, HomeworkAttachment, Mark
from ejournal.schools.models import Enrolment, SubgroupMember

SCHOOL_DAYS = 6  # Monday to Saturday: Russian schools may teach on Saturdays


@dataclass
class DiaryLesson:
    lesson: Lesson
    starts_at: dt.time | None
    ends_at: dt.time | None
    teacher: str
    cancelled: bool
    substituted: bool
    marks: list[Mark] = field(default_factory=list)
    attendance: str = ""
    homework: list[Homework] = field(default_factory=list)


@dataclass
class DiaryDay:
    date: dt.date
    class_name: str
    lessons: list[DiaryLesson] = field(default_factory=list)


@dataclass
class DiaryWeek:
    student: User
    monday: dt.date
    days: list[DiaryDay]

    @property
    def saturday(self) -> dt.date:
        return self.monday + dt.timedelta(days=SCHOOL_DAYS - 1)

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _enrolment_on(enrolments: list[Enrolment], day: dt.date) -> Enrolment | None:
    for enrolment in enrolments:
        if enrolment.active_on(day):
            return enrolment
    return None


def diary_week(student: User, monday: dt.date) -> DiaryWeek:
    """Lessons of the class the student was in on each day (subgroup lessons only for its members),
    with the student's own marks and attendance, the homework given and the bell times."""
    monday = week_start(monday)
    saturday = monday + dt.timedelta(days=SCHOOL_DAYS - 1)
    enrolments = list(
        Enrolment.objects.filter(student=student, start__lte=saturday)
        .filter(Q(end__isnull=True) | Q(end__gte=monday))
        .select_related("class_group")
        .order_by("start")
    )
    by_day = {
        monday + dt.timedelta(days=i): _enrolment_on(enrolments, monday + dt.timedelta(days=i))
        for i in range(SCHOOL_DAYS)
    }
    days = [DiaryDay(date=day, class_name=e.class_group.name if e else "") for day, e in by_day.items()]
    if not enrolments:
        return DiaryWeek(student=student, monday=monday, days=days)

    # One condition per enrolment: a transfer mid-week shows the old class before it and the new after.
    in_class = Q(pk__in=[])
    for enrolment in enrolments:
        last = min(saturday, enrolment.end) if enrolment.end else saturday
        in_class |= Q(class_group_id=enrolment.class_group_id, date__gte=max(monday, enrolment.start), date__lte=last)
    member_of = SubgroupMember.objects.filter(student=student).values("subgroup_id")
    lessons = list(
        Lesson.objects.filter(in_class, school_id=student.school_id)
        .filter(Q(subgroup__isnull=True) | Q(subgroup_id__in=member_of))
        .select_related("subject", "subgroup", "teacher", "substitute")
        .order_by("date", "number", "pk")
    )
    lesson_ids = [lesson.pk for lesson in lessons]
    marks: dict[int, list[Mark]] = defaultdict(list)
    attendance: dict[int, str] = {}
    homework: dict[int, list[Homework]] = defaultdict(list)
    if lesson_ids:
        for mark in Mark.objects.filter(student=student, lesson_id__in=lesson_ids).select_related("kind"):
            marks[mark.lesson_id].append(mark)
        for row in Attendance.objects.filter(student=student, lesson_id__in=lesson_ids).only("lesson_id", "code"):
            attendance[row.lesson_id] = row.code
        files = Prefetch(
            "attachments", queryset=HomeworkAttachment.objects.only("pk", "homework_id", "original_name", "size")
        )
        for item in Homework.objects.filter(lesson_id__in=lesson_ids).prefetch_related(files):
            homework[item.lesson_id].append(item)
    bells = {bell.number: bell for bell in Bell.objects.filter(school_id=student.school_id)}

    day_of = {day.date: day for day in days}
    for lesson in lessons:
        bell = bells.get(lesson.number)
        day_of[lesson.date].lessons.append(
            DiaryLesson(
                lesson=lesson,
                starts_at=bell.starts_at if bell else None,
                ends_at=bell.ends_at if bell else None,
                teacher=(lesson.substitute or lesson.teacher).short_name,
                cancelled=lesson.status == LessonStatus.CANCELLED,
                substituted=lesson.substitute_id is not None,
                marks=marks.get(lesson.pk, []),
                attendance=attendance.get(lesson.pk, ""),
                homework=homework.get(lesson.pk, []),
            )
        )
    return DiaryWeek(student=student, monday=monday, days=days)
