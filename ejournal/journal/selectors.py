"""Reads of the journal, each written for the page that shows it, in a fixed number of queries.

journal_grid reads one kind of data per query with values_list (no model instances for the ~3,000 cells
of a quarter) and builds the Grid in plain Python; the query count does not grow with the class.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from ejournal.access import journal as access
from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.core.time import school_today
from ejournal.curriculum.models import CurriculumHours, Lesson, TeachingAssignment
from ejournal.schools.models import ClassGroup, Enrolment, Period, SubgroupMember

from . import counting, scope
from . import periods as journal_periods
from .models import (
    Attendance,
    ChangeKind,
    ChangeRecord,
    Homework,
    LessonWork,
    MarkKind,
    PeriodClosure,
    PeriodMark,
    PeriodMarkKind,
)
from .period_marks import period_mark_version, target_of
from .values import GRADES, cell_text, cell_version, suggest_mark, weighted_average


@dataclass(frozen=True)
class GridKind:
    id: int
    code: str
    name: str
    weight: Decimal
    is_default: bool


@dataclass(frozen=True)
class GridLesson:
    id: int
    date: dt.date
    number: int
    topic: str
    kind_id: int | None
    homework: str
    homework_due: dt.date | None
    editable: bool


@dataclass(frozen=True, slots=True)
class GridCell:
    """Marks (value, kind id, comment, entered late) and the attendance code of a student in a lesson."""

    marks: tuple[tuple[str, int, str, bool], ...] = ()
    attendance: str = ""

    @property
    def text(self) -> str:
        return cell_text((m[0] for m in self.marks), self.attendance)

    @property
    def version(self) -> str:
        return cell_version([(m[0], m[1], m[2]) for m in self.marks], self.attendance)

    @property
    def is_late(self) -> bool:
        return any(m[3] for m in self.marks)


EMPTY_CELL = GridCell()


@dataclass(frozen=True, slots=True)
class ForeignMark:
    """A mark of the period in the journal's subject given elsewhere — in the class the student was in
    before a transfer, or another subgroup of the subject: it counts, and it is read-only here."""

    date: dt.date
    value: str
    kind_id: int
    comment: str
    source: str  # «7А», or «7А, 1 группа» for a subgroup's lesson


@dataclass
class GridRow:
    student_id: int
    name: str
    # Set when the student joined or left during the period.
    enrolled_from: dt.date | None
    enrolled_to: dt.date | None
    # None where the student was not in the class (or subgroup) on the lesson's date.
    cells: list[GridCell | None]
    average: Decimal | None
    marks_count: int
    norm: int
    period_mark: str
    suggestion: str
    # Marks that count in the average but were given in another class or subgroup (read-only).
    foreign: tuple[ForeignMark, ...] = ()

    @property
    def below_norm(self) -> bool:
        return self.marks_count < self.norm

    @property
    def period_mark_version(self) -> str:
        return period_mark_version(self.period_mark)

    @property
    def is_deviation(self) -> bool:
        return bool(self.period_mark in GRADES and self.suggestion and self.period_mark != self.suggestion)


@dataclass
class Grid:
    assignment_id: int
    class_name: str
    subgroup_name: str
    subject_name: str
    teacher_name: str
    grade: int
    pass_fail: bool
    period: Period
    periods: list[Period]
    lessons: list[GridLesson]
    rows: list[GridRow]
    kinds: list[GridKind]
    norm: int
    locked: bool
    mode: str
    thresholds: tuple[Decimal, Decimal, Decimal]
    # The journal's own teacher (or the administrator correcting) sets period marks; a substitute does not.
    period_marks_editable: bool = False
    lessons_without_topic: int = field(default=0)

    @property
    def title(self) -> str:
        group = f"{self.class_name} ({self.subgroup_name})" if self.subgroup_name else self.class_name
        return f"{group} · {self.subject_name}"

    @property
    def marks_allowed(self) -> bool:
        return self.grade != 1

    @property
    def has_foreign(self) -> bool:
        return any(row.foreign for row in self.rows)


def read_journal(user: User, assignment_id: int, period_id: int | None = None) -> TeachingAssignment:
    """The assignment with what the grid needs beside it (class teacher?, curriculum hours, period closed?),
    read in one query; NotFound outside the scope."""
    lead = ClassGroup.class_teachers.through.objects.filter(classgroup_id=OuterRef("class_group_id"), user_id=user.pk)
    hours = CurriculumHours.objects.filter(
        school_id=user.school_id,
        year_id=OuterRef("class_group__year_id"),
        grade=OuterRef("class_group__grade"),
        subject_id=OuterRef("subject_id"),
    ).values("hours_per_week")[:1]
    qs: Any = (
        access.visible_journals(user)
        .filter(pk=assignment_id)
        .select_related("class_group__year", "subject", "subgroup", "teacher", "school")
        .annotate(leads=Exists(lead), hours=Subquery(hours))
    )
    if period_id is not None:
        closure = PeriodClosure.objects.filter(
            Q(class_group__isnull=True) | Q(class_group_id=OuterRef("class_group_id")),
            school_id=user.school_id,
            period_id=period_id,
        )
        qs = qs.annotate(closed=Exists(closure))
    found: TeachingAssignment | None = qs.first()
    if found is None:
        raise NotFound()
    return found


def _full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def enrolled_students(
    assignment: TeachingAssignment, start: dt.date, end: dt.date
) -> dict[int, tuple[str, list[tuple[dt.date, dt.date | None]]]]:
    """Students in the class (and subgroup) at some day of the span: name and enrolment spans."""
    qs = (
        Enrolment.objects.filter(
            school_id=assignment.school_id, class_group_id=assignment.class_group_id, start__lte=end
        )
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id", "start")
    )
    if assignment.subgroup_id:
        members = SubgroupMember.objects.filter(
            school_id=assignment.school_id, subgroup_id=assignment.subgroup_id
        ).values("student_id")
        qs = qs.filter(student_id__in=members)
    students: dict[int, tuple[str, list[tuple[dt.date, dt.date | None]]]] = {}
    for student_id, last, first, middle, since, until in qs.values_list(
        "student_id", "student__last_name", "student__first_name", "student__middle_name", "start", "end"
    ):
        if student_id not in students:
            students[student_id] = (_full_name(last, first, middle), [])
        students[student_id][1].append((since, until))
    return students


# A mark that counts, as marks_that_count reads it for the grid: lesson, student, value, kind, comment, late,
# the lesson's date, and the class (grade, letter) and subgroup it was given in.
MarkRow = tuple[int, int, str, int, str, bool, dt.date, int, str, str | None]
StudentSpans = dict[int, tuple[str, list[tuple[dt.date, dt.date | None]]]]


@dataclass(frozen=True)
class GridSource:
    """What journal_grid reads, as plain rows: build_grid makes the Grid from it alone, without queries."""

    assignment_id: int
    class_name: str
    subgroup_name: str
    subject_name: str
    teacher_name: str
    grade: int
    pass_fail: bool
    period: Period
    periods: list[Period]
    locked: bool
    mode: str  # access.journal_mode, decided by the read; the build only lets a substitute write
    thresholds: tuple[Decimal, Decimal, Decimal]
    norm: int
    students: StudentSpans  # in the order of the grid's rows
    lessons: list[GridLesson]  # in date order, `editable` decided by the read
    kinds: list[GridKind]
    marks: list[MarkRow]
    attendance: list[tuple[int, int, str]]  # lesson, student, code
    period_marks: dict[int, str]  # student -> the period mark


def journal_grid(*, user: User, assignment: TeachingAssignment | int, period: Period | None = None) -> Grid:
    """The journal of one class (subgroup) × subject × period: students × dated lessons, with cells,
    weighted averages, marks against the norm, period marks and their suggestions.

    `period` None takes the period of today (of the school). Raises NotFound outside the user's scope or
    for a period that is not the class's. Nine queries whatever the size of the class.
    """
    return build_grid(read_grid(user=user, assignment=assignment, period=period))


def read_grid(*, user: User, assignment: TeachingAssignment | int, period: Period | None = None) -> GridSource:
    """The queries of journal_grid (nine) and the access decisions; the rows come back as they were read."""
    journal = read_journal(
        user, assignment if isinstance(assignment, int) else assignment.pk, period.pk if period else None
    )
    group = journal.class_group
    school = journal.school
    class_periods = journal_periods.periods_of_class(group)
    if period is None:
        period = journal_periods.current_period(class_periods, school_today(school.timezone))
    if period is None or period.pk not in {p.pk for p in class_periods}:
        raise NotFound()
    period = next(p for p in class_periods if p.pk == period.pk)

    closed = getattr(journal, "closed", None)
    if closed is None:  # the period was not known when the journal was read
        closed = PeriodClosure.objects.filter(
            Q(class_group__isnull=True) | Q(class_group_id=group.pk), school_id=group.school_id, period_id=period.pk
        ).exists()
    students = enrolled_students(journal, period.start, period.end)

    first_homework = Homework.objects.filter(school_id=group.school_id, lesson_id=OuterRef("pk")).order_by("id")
    lesson_rows = list(
        scope.journal_lessons(journal, period.start, period.end)
        .annotate(
            work_kind=Subquery(
                LessonWork.objects.filter(school_id=group.school_id, lesson_id=OuterRef("pk")).values("kind_id")[:1]
            ),
            hw_text=Subquery(first_homework.values("text")[:1]),
            hw_due=Subquery(first_homework.values("due_date")[:1]),
        )
        .order_by("date", "number")
        .values_list("id", "date", "number", "topic", "work_kind", "hw_text", "hw_due", "teacher_id", "substitute_id")
    )
    lessons = [
        GridLesson(
            id=lid,
            date=day,
            number=number,
            topic=topic,
            kind_id=work_kind,
            homework=hw_text or "",
            homework_due=hw_due,
            editable=access.gives_lesson(user, school_id=journal.school_id, teacher_id=tid, substitute_id=sid),
        )
        for lid, day, number, topic, work_kind, hw_text, hw_due, tid, sid in lesson_rows
    ]
    kinds = [
        GridKind(pk, code, name, weight, is_default)
        for pk, code, name, weight, is_default in MarkKind.objects.filter(school_id=journal.school_id)
        .order_by("weight", "name")
        .values_list("pk", "code", "name", "weight", "is_default")
    ]
    student_ids = list(students)
    # The marks that count (counting.marks_that_count): the lessons of this journal fill the cells, the
    # others (the former class after a transfer, another subgroup) are shown apart (build_grid).
    marks: list[MarkRow] = list(
        counting.marks_that_count(
            school_id=journal.school_id,
            start=period.start,
            end=period.end,
            students=student_ids,
            subjects=[journal.subject_id],
        )
        .order_by("lesson__date", "lesson__number", "lesson_id", "student_id", "position")
        .values_list(
            "lesson_id",
            "student_id",
            "value",
            "kind_id",
            "comment",
            "is_late",
            "lesson__date",
            "lesson__class_group__grade",
            "lesson__class_group__letter",
            "lesson__subgroup__name",
        )
    )
    attendance = list(
        Attendance.objects.filter(
            school_id=journal.school_id,
            lesson_id__in=[lesson.id for lesson in lessons],
            student_id__in=student_ids,
        ).values_list("lesson_id", "student_id", "code")
    )
    period_marks = dict(
        PeriodMark.objects.filter(
            school_id=journal.school_id,
            kind=PeriodMarkKind.PERIOD,
            period_id=period.pk,
            subject_id=journal.subject_id,
            student_id__in=student_ids,
        ).values_list("student_id", "value")
    )
    hours = getattr(journal, "hours", None)
    return GridSource(
        assignment_id=journal.pk,
        class_name=group.name,
        subgroup_name=journal.subgroup.name if journal.subgroup else "",
        subject_name=journal.subject.name,
        teacher_name=journal.teacher.short_name,
        grade=group.grade,
        pass_fail=journal.subject.pass_fail,
        period=period,
        periods=class_periods,
        locked=closed,
        mode=access.journal_mode(user, journal, leads=bool(getattr(journal, "leads", False))),
        thresholds=(school.threshold_5, school.threshold_4, school.threshold_3),
        norm=scope.marks_norm(school, hours, lessons=len(lessons), start=period.start, end=period.end),
        students=students,
        lessons=lessons,
        kinds=kinds,
        marks=marks,
        attendance=attendance,
        period_marks=period_marks,
    )


def _enrolled_on(spans: list[tuple[dt.date, dt.date | None]], day: dt.date) -> bool:
    return any(since <= day and (until is None or day <= until) for since, until in spans)


def build_grid(source: GridSource) -> Grid:
    """The Grid from what read_grid read: cells, averages, norms, suggestions. No queries (unit-tested on
    hand-made rows)."""
    period, lessons = source.period, source.lessons
    mode = source.mode
    period_marks_editable = mode in ("edit", "correct")
    if mode == "read" and any(lesson.editable for lesson in lessons):
        mode = "edit"  # a substitute writes into the lessons they gave
    weight_of = {k.id: k.weight for k in source.kinds}

    # Cells are filled from the rows that exist (~1,500 of ~3,000), not looked up cell by cell. Marks of
    # other lessons (the former class after a transfer, another subgroup) are shown apart, read-only.
    column = {lesson.id: i for i, lesson in enumerate(lessons)}
    marks_by: dict[int, dict[int, list[tuple[str, int, str, bool]]]] = defaultdict(lambda: defaultdict(list))
    foreign_by: dict[int, list[ForeignMark]] = defaultdict(list)
    for lesson_id, student_id, value, kind_id, comment, late, day, grade, letter, subgroup in source.marks:
        if lesson_id in column:
            marks_by[student_id][lesson_id].append((value, kind_id, comment, late))
        else:
            label = counting.class_label(grade, letter) + (f", {subgroup}" if subgroup else "")
            foreign_by[student_id].append(ForeignMark(day, value, kind_id, comment, label))
    attendance_by: dict[int, dict[int, str]] = defaultdict(dict)
    for lesson_id, student_id, code in source.attendance:
        attendance_by[student_id][lesson_id] = code

    rows = []
    one = Decimal(1)
    for student_id, (name, spans) in source.students.items():
        cells: list[GridCell | None] = [EMPTY_CELL] * len(lessons)
        own_marks = marks_by.get(student_id, {})
        own_attendance = attendance_by.get(student_id, {})
        for lesson_id in own_marks.keys() | own_attendance.keys():
            i = column.get(lesson_id)
            if i is not None:
                cells[i] = GridCell(tuple(own_marks.get(lesson_id, ())), own_attendance.get(lesson_id, ""))
        whole = any(since <= period.start and (until is None or until >= period.end) for since, until in spans)
        if not whole:
            for i, lesson in enumerate(lessons):
                if not _enrolled_on(spans, lesson.date):
                    cells[i] = None
        foreign = tuple(foreign_by.get(student_id, ()))
        weighted = [
            (value, weight_of.get(kind_id, one))
            for cell in cells
            if cell is not None and cell.marks
            for value, kind_id, _comment, _late in cell.marks
        ] + [(m.value, weight_of.get(m.kind_id, one)) for m in foreign]
        average = weighted_average(weighted)
        first_start = min(since for since, _ in spans)
        last_end = None if any(until is None for _, until in spans) else max(u for _, u in spans if u)
        rows.append(
            GridRow(
                student_id=student_id,
                name=name,
                enrolled_from=first_start if first_start > period.start else None,
                enrolled_to=last_end if last_end is not None and last_end < period.end else None,
                cells=cells,
                average=average,
                marks_count=len(weighted),
                norm=source.norm,
                period_mark=source.period_marks.get(student_id, ""),
                suggestion=suggest_mark(average, source.thresholds),
                foreign=foreign,
            )
        )
    return Grid(
        assignment_id=source.assignment_id,
        class_name=source.class_name,
        subgroup_name=source.subgroup_name,
        subject_name=source.subject_name,
        teacher_name=source.teacher_name,
        grade=source.grade,
        pass_fail=source.pass_fail,
        period=period,
        periods=source.periods,
        lessons=lessons,
        rows=rows,
        kinds=source.kinds,
        norm=source.norm,
        locked=source.locked,
        mode=mode,
        thresholds=source.thresholds,
        period_marks_editable=period_marks_editable,
        lessons_without_topic=sum(1 for lesson in lessons if not lesson.topic),
    )


# --- history -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    what: str
    old: str
    new: str
    reason: str


def _entries(records: object) -> list[HistoryEntry]:
    return [
        HistoryEntry(at, _full_name(last, first, middle), ChangeKind(kind).label, old, new, reason)
        for at, last, first, middle, kind, old, new, reason in records.values_list(  # type: ignore[attr-defined]
            "at",
            "actor__last_name",
            "actor__first_name",
            "actor__middle_name",
            "kind",
            "old_value",
            "new_value",
            "reason",
        )
    ]


def cell_history(*, user: User, lesson: Lesson, student: User) -> list[HistoryEntry]:
    """Every change of the marks and attendance of a student in a lesson, newest first."""
    access.require_can_read_lesson(user, lesson)
    records = ChangeRecord.objects.filter(
        school_id=lesson.school_id,
        lesson=lesson,
        student=student,
        kind__in=[ChangeKind.MARK, ChangeKind.ATTENDANCE],
    ).order_by("-at", "-id")
    return _entries(records)


def lesson_history(*, user: User, lesson: Lesson) -> list[HistoryEntry]:
    """Changes of the lesson's topic, homework (its files too) and kind of work, newest first."""
    access.require_can_read_lesson(user, lesson)
    records = ChangeRecord.objects.filter(
        school_id=lesson.school_id,
        lesson=lesson,
        student__isnull=True,
        kind__in=[ChangeKind.TOPIC, ChangeKind.HOMEWORK, ChangeKind.ATTACHMENT, ChangeKind.LESSON_WORK],
    ).order_by("-at", "-id")
    return _entries(records)


def period_mark_history(
    *, user: User, assignment: TeachingAssignment, student: User, kind: str, period: Period | None
) -> list[HistoryEntry]:
    """Changes of a student's period (year, exam, final) mark in the journal's subject, newest first."""
    journal = read_journal(user, assignment.pk)
    target = target_of(
        kind,
        period_id=period.pk if period else None,
        year_id=journal.class_group.year_id,
        subject_id=journal.subject_id,
    )
    records = ChangeRecord.objects.filter(school_id=journal.school_id, target=target, student=student).order_by(
        "-at", "-id"
    )
    return _entries(records)
