"""The diary week of one student, read in four queries whatever the week holds: enrolments, lessons (with
the bell times and the student's attendance beside each), the student's marks, homework with its files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from ejournal.access.diary import student_lessons
from ejournal.accounts.models import User
from ejournal.curriculum.models import Bell, LessonStatus
from ejournal.journal.models import Attendance, Homework, Mark
from ejournal.schools.models import Enrolment

SCHOOL_DAYS = 6  # Monday to Saturday: Russian schools may teach on Saturdays


@dataclass(frozen=True)
class HomeworkFile:
    id: int
    name: str
    size: int


@dataclass
class DiaryHomework:
    id: int
    lesson_id: int
    text: str
    due_date: dt.date | None
    files: list[HomeworkFile] = field(default_factory=list)


def homework_rows(rows: Iterable[tuple]) -> dict[int, DiaryHomework]:
    """Homework from rows (id, lesson id, text, due date, file id, file name, file size) of a LEFT JOIN
    of homework and its files: one query for both, instead of a prefetch."""
    found: dict[int, DiaryHomework] = {}
    for pk, lesson_id, text, due, file_id, name, size in rows:
        item = found.get(pk)
        if item is None:
            item = found[pk] = DiaryHomework(id=pk, lesson_id=lesson_id, text=text, due_date=due)
        if file_id is not None:
            item.files.append(HomeworkFile(file_id, name, size))
    return found


LESSON_COLUMNS = (
    "pk",
    "date",
    "number",
    "subject__name",
    "subgroup__name",
    "room",
    "topic",
    "change_note",
    "status",
    "bell_starts",
    "bell_ends",
    "own_attendance",
    "teacher__last_name",
    "teacher__first_name",
    "teacher__middle_name",
    "substitute__last_name",
    "substitute__first_name",
    "substitute__middle_name",
)
HOMEWORK_COLUMNS = (
    "pk",
    "lesson_id",
    "text",
    "due_date",
    "attachments__pk",
    "attachments__original_name",
    "attachments__size",
)


@dataclass(frozen=True)
class DiaryMark:
    value: str
    kind: str
    weight: Decimal
    comment: str


@dataclass
class DiaryLesson:
    id: int
    number: int
    subject: str
    subgroup: str
    teacher: str  # who gives it: the substitute when there is one
    room: str
    topic: str
    change_note: str
    starts_at: dt.time | None
    ends_at: dt.time | None
    cancelled: bool
    substituted: bool
    attendance: str = ""
    marks: list[DiaryMark] = field(default_factory=list)
    homework: list[DiaryHomework] = field(default_factory=list)


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
    with the student's own marks and attendance, the homework given and the bell times. Four queries."""
    monday = week_start(monday)
    saturday = monday + dt.timedelta(days=SCHOOL_DAYS - 1)
    enrolments = list(
        Enrolment.objects.filter(school_id=student.school_id, student=student, start__lte=saturday)
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

    bell = Bell.objects.filter(school_id=student.school_id, number=OuterRef("number"))
    own_attendance = Attendance.objects.filter(
        school_id=student.school_id, lesson_id=OuterRef("pk"), student_id=student.pk
    ).values("code")[:1]
    # Rows, not model instances: a full week is ~35 lessons with four related rows each.
    lessons = list(
        # A transfer mid-week shows the old class before it and the new one after.
        student_lessons(student)
        .filter(date__range=(monday, saturday))
        .annotate(
            bell_starts=Subquery(bell.values("starts_at")[:1]),
            bell_ends=Subquery(bell.values("ends_at")[:1]),
            own_attendance=Subquery(own_attendance),
        )
        .order_by("date", "number", "pk")
        .values_list(*LESSON_COLUMNS)
    )
    lesson_ids = [row[0] for row in lessons]
    marks: dict[int, list[DiaryMark]] = defaultdict(list)
    homework: dict[int, list[DiaryHomework]] = defaultdict(list)
    if lesson_ids:
        for lesson_id, value, kind, weight, comment in (
            Mark.objects.filter(school_id=student.school_id, student=student, lesson_id__in=lesson_ids)
            .order_by("lesson_id", "position")
            .values_list("lesson_id", "value", "kind__name", "kind__weight", "comment")
        ):
            marks[lesson_id].append(DiaryMark(value, kind, weight, comment))
        rows = Homework.objects.filter(school_id=student.school_id, lesson_id__in=lesson_ids).order_by(
            "pk", "attachments__pk"
        )
        for item in homework_rows(rows.values_list(*HOMEWORK_COLUMNS)).values():
            homework[item.lesson_id].append(item)

    day_of = {day.date: day for day in days}
    for row in lessons:
        (pk, day, number, subject, subgroup, room, topic, note, status, starts, ends, attendance) = row[:12]
        substituted = row[15] is not None
        # The short name («Иванова А. П.») as User spells it, of the teacher who gives the lesson.
        giver = (
            User(last_name=row[15], first_name=row[16], middle_name=row[17])
            if substituted
            else User(last_name=row[12], first_name=row[13], middle_name=row[14])
        )
        day_of[day].lessons.append(
            DiaryLesson(
                id=pk,
                number=number,
                subject=subject,
                subgroup=subgroup or "",
                teacher=giver.short_name,
                room=room,
                topic=topic,
                change_note=note,
                starts_at=starts,
                ends_at=ends,
                cancelled=status == LessonStatus.CANCELLED,
                substituted=substituted,
                attendance=attendance or "",
                marks=marks.get(pk, []),
                homework=homework.get(pk, []),
            )
        )
    return DiaryWeek(student=student, monday=monday, days=days)
