"""Посещаемость: lessons and days missed by reason, per class (the school) or per student (one class).

Counted as the class teacher's period report counts them (journal/absences.py): cancelled lessons are
left out; an absence counts while the student is in the class; a day is missed when every lesson of the
day that was the student's (the class's and their own subgroups') was missed, and its reason is the
least excused of the day's absences. «оп» (late) is no absence: it is counted beside them.

Six queries whatever the number of classes, students and lessons (two more for a teacher's scope).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from ejournal.access.journal_keeping import AttendanceScope, attendance_scope
from ejournal.accounts.models import User
from ejournal.core.charts import Chart
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.curriculum.models import Lesson, LessonStatus
from ejournal.journal.absences import DAY_REASON_ORDER
from ejournal.journal.models import Attendance
from ejournal.journal.values import ABSENCE_CODES
from ejournal.schools.models import ClassGroup, Enrolment, SubgroupMember

from .keeping_spans import Calendar, Span
from .tables import CellValue, Column, Report, Row

LATE = "оп"
# The reasons in the order of the class teacher's report.
REASONS = (("б", "по болезни"), ("у", "уважительная"), ("п", "без уважительной"), ("н", "не указана"))


@dataclass
class Missed:
    lessons: int = 0
    lessons_by_code: Counter[str] = field(default_factory=Counter)
    # None where the user does not see every lesson of the class (a subject teacher).
    days: int | None = 0
    days_by_code: Counter[str] = field(default_factory=Counter)
    late: int = 0

    def add(self, other: Missed) -> None:
        self.lessons += other.lessons
        self.lessons_by_code.update(other.lessons_by_code)
        self.late += other.late
        if self.days is None or other.days is None:
            self.days = None
        else:
            self.days += other.days
            self.days_by_code.update(other.days_by_code)


@dataclass
class AttendanceLine:
    """A class (with its number of students) or a student (students = None)."""

    id: int
    name: str
    students: int | None
    missed: Missed

    @property
    def lessons_per_student(self) -> Decimal | None:
        if not self.students:
            return None
        return (Decimal(self.missed.lessons) / self.students).quantize(Decimal("0.01"))


@dataclass
class AttendanceFigures:
    span: Span
    start: dt.date
    end: dt.date
    class_id: int | None
    class_name: str
    lines: list[AttendanceLine]
    total: AttendanceLine
    notes: list[str]
    # Days missed are shown when the user sees every lesson of at least one of the classes.
    shows_days: bool
    # The classes the user may choose in the filter: (id, name).
    classes: list[tuple[int, str]]


def _class_name(grade: int, letter: str) -> str:
    return f"{grade}{letter}"


def attendance_figures(*, user: User, calendar: Calendar, span: Span, class_id: int | None = None) -> AttendanceFigures:
    """The school's classes the user reads (or, with `class_id`, the students of that class) over the span.

    NotFound for a class outside the user's scope; ValidationFailed for a class outside the period's grades.
    """
    scope = attendance_scope(user)
    school_id = calendar.school.pk
    classes = [
        (pk, grade, _class_name(grade, letter))
        for pk, grade, letter in scope.class_filter(ClassGroup.objects.filter(school_id=school_id, year=calendar.year))
        .order_by("grade", "letter")
        .values_list("pk", "grade", "letter")
    ]
    choices = [(pk, name) for pk, _, name in classes]
    notes: list[str] = []
    class_name = ""
    if class_id is not None:
        chosen = next((c for c in classes if c[0] == class_id), None)
        if chosen is None:
            raise NotFound()
        if not span.covers_grade(chosen[1]):
            raise ValidationFailed(f"Период «{span.label}» не относится к {chosen[2]} классу.", field="period")
        classes, class_name = [chosen], chosen[2]
    else:
        classes = [c for c in classes if span.covers_grade(c[1])]
    start, end = span.start, min(span.end, calendar.today)
    shows_days = any(scope.reads_days(pk) for pk, _, _ in classes)
    total = AttendanceLine(0, "Итого", 0, Missed(days=0 if all(scope.reads_days(pk) for pk, _, _ in classes) else None))
    figures = AttendanceFigures(span, start, end, class_id, class_name, [], total, notes, shows_days, choices)
    if not classes:
        notes.append("Нет классов, посещаемость которых вам доступна за выбранные даты.")
        return figures
    if start > end:
        notes.append("Выбранные даты ещё не наступили: пропусков нет.")
        return figures
    _count(scope, figures, school_id, classes)
    return figures


def _count(
    scope: AttendanceScope, figures: AttendanceFigures, school_id: int, classes: list[tuple[int, int, str]]
) -> None:
    start, end = figures.start, figures.end
    class_ids = [pk for pk, _, _ in classes]
    per_student = figures.class_id is not None
    names: dict[int, str] = {}
    spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for class_pk, student_id, since, until, last, first, middle in (
        Enrolment.objects.filter(school_id=school_id, class_group_id__in=class_ids, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id", "start")
        .values_list(
            "class_group_id",
            "student_id",
            "start",
            "end",
            "student__last_name",
            "student__first_name",
            "student__middle_name",
        )
    ):
        spans[(class_pk, student_id)].append((since, until))
        names.setdefault(student_id, " ".join(p for p in (last, first, middle) if p))
    groups: dict[int, set[int]] = defaultdict(set)
    for student_id, subgroup_id in SubgroupMember.objects.filter(
        school_id=school_id, subgroup__class_group_id__in=class_ids
    ).values_list("student_id", "subgroup_id"):
        groups[student_id].add(subgroup_id)
    # Lessons of each class by day, each with whether the user reads it.
    lessons: dict[int, tuple[int, dt.date, int | None, bool]] = {}
    by_day: dict[tuple[int, dt.date], list[tuple[int, int | None]]] = defaultdict(list)
    for lesson_id, class_pk, subject_id, subgroup_id, day in Lesson.objects.filter(
        school_id=school_id, class_group_id__in=class_ids, date__range=(start, end), status=LessonStatus.PLANNED
    ).values_list("id", "class_group_id", "subject_id", "subgroup_id", "date"):
        lessons[lesson_id] = (class_pk, day, subgroup_id, scope.reads_lesson(class_pk, subject_id, subgroup_id))
        by_day[(class_pk, day)].append((lesson_id, subgroup_id))
    if not lessons:
        figures.notes.append("В выбранные даты нет уроков.")
    codes: dict[tuple[int, int], dict[dt.date, list[str]]] = defaultdict(lambda: defaultdict(list))
    for student_id, lesson_id, code in Attendance.objects.filter(
        school_id=school_id,
        lesson__class_group_id__in=class_ids,
        lesson__date__range=(start, end),
        lesson__status=LessonStatus.PLANNED,
        code__in=(*ABSENCE_CODES, LATE),
    ).values_list("student_id", "lesson_id", "code"):
        lesson_class, day, lesson_group, readable = lessons[lesson_id]
        enrolled = spans.get((lesson_class, student_id), [])
        if readable and (lesson_group is None or lesson_group in groups[student_id]) and _in(day, enrolled):
            codes[(lesson_class, student_id)][day].append(code)

    missed: dict[tuple[int, int], Missed] = {}
    for key in spans:
        class_pk, student_id = key
        own = Missed(days=0 if scope.reads_days(class_pk) else None)
        for day, day_codes in codes.get(key, {}).items():
            absences = [c for c in day_codes if c != LATE]
            own.late += len(day_codes) - len(absences)
            own.lessons += len(absences)
            own.lessons_by_code.update(absences)
            if own.days is None or not absences:
                continue
            theirs = [lid for lid, group in by_day[(class_pk, day)] if group is None or group in groups[student_id]]
            if len(absences) == len(theirs):
                own.days += 1
                own.days_by_code[next(c for c in DAY_REASON_ORDER if c in absences)] += 1
        missed[key] = own

    total = figures.total
    if per_student:
        for (_, student_id), own in missed.items():
            figures.lines.append(AttendanceLine(student_id, names[student_id], None, own))
            total.missed.add(own)
        total.students = len(missed)
        if not missed:
            figures.notes.append(f"В классе {figures.class_name} нет учеников в выбранные даты.")
        return
    lines = {
        pk: AttendanceLine(pk, name, 0, Missed(days=0 if scope.reads_days(pk) else None)) for pk, _, name in classes
    }
    for (class_pk, _), own in missed.items():
        line = lines[class_pk]
        line.students = (line.students or 0) + 1
        line.missed.add(own)
    for line in lines.values():
        if not line.students:
            figures.notes.append(f"В классе {line.name} нет учеников в выбранные даты.")
        figures.lines.append(line)
        total.missed.add(line.missed)
    # A student who changed class during the span is one student of the school.
    total.students = len({student_id for _, student_id in missed})


def _in(day: dt.date, spans: list[tuple[dt.date, dt.date | None]]) -> bool:
    return any(since <= day and (until is None or day <= until) for since, until in spans)


def _missed_cells(missed: Missed, shows_days: bool) -> tuple[int | None, ...]:
    cells: list[int | None] = [missed.lessons, *(missed.lessons_by_code.get(code, 0) for code, _ in REASONS)]
    if shows_days and missed.days is None:
        cells += [None] * (1 + len(REASONS))
    elif shows_days:
        cells += [missed.days, *(missed.days_by_code.get(code, 0) for code, _ in REASONS)]
    return (*cells, missed.late)


def attendance_report(figures: AttendanceFigures, *, school_name: str) -> Report:
    """The figures as the page and the files show them; a class row links to its students."""
    per_student = figures.class_id is not None
    columns = [Column("Ученик" if per_student else "Класс")]
    if not per_student:
        columns.append(Column("Учеников", "int"))
    columns += [Column("Всего", "int", "Пропущено уроков")]
    columns += [Column(title, "int", "Пропущено уроков") for _, title in REASONS]
    if figures.shows_days:
        columns += [Column("Всего", "int", "Пропущено дней")]
        columns += [Column(title, "int", "Пропущено дней") for _, title in REASONS]
    columns.append(Column("Опозданий", "int"))
    if not per_student:
        columns.append(Column("Уроков на ученика", "number"))

    def cells(line: AttendanceLine) -> tuple[CellValue, ...]:
        head: tuple[CellValue, ...] = (line.name,) if per_student else (line.name, line.students)
        tail: tuple[CellValue, ...] = () if per_student else (line.lessons_per_student,)
        return (*head, *_missed_cells(line.missed, figures.shows_days), *tail)

    base = reverse("reports:attendance")
    query = figures.span.query()
    rows = [
        Row(
            cells(line),
            url="" if per_student else f"{base}?{urlencode({**query, 'class': str(line.id)})}",
        )
        for line in figures.lines
    ]
    notes = list(figures.notes)
    if figures.total.missed.days is None and figures.lines:
        notes.append("Пропущенные дни считаются по всем урокам дня: их видят классный руководитель и администрация.")
    where = f"класс {figures.class_name}" if per_student else "все классы"
    report = Report(
        title="Посещаемость",
        subtitle=f"{school_name} · {where} · {figures.span.label}",
        columns=columns,
        rows=rows,
        totals=Row(cells(figures.total)) if figures.lines else None,
        notes=notes,
        file_name=f"Посещаемость {figures.class_name}".strip(),
    )
    if figures.lines:
        if per_student:
            report.charts.append(
                Chart(
                    "Пропущено уроков",
                    tuple(line.name for line in figures.lines),
                    (("уроков", tuple(float(line.missed.lessons) for line in figures.lines)),),
                    unit="",
                    maximum=None,
                )
            )
        else:
            report.charts.append(
                Chart(
                    "Пропущено уроков на ученика",
                    tuple(line.name for line in figures.lines),
                    (
                        (
                            "уроков на ученика",
                            tuple(
                                None if line.lessons_per_student is None else float(line.lessons_per_student)
                                for line in figures.lines
                            ),
                        ),
                    ),
                    unit="",
                    maximum=None,
                )
            )
        by_code = figures.total.missed.lessons_by_code
        report.charts.append(
            Chart(
                "Пропущено уроков по причинам",
                tuple(title for _, title in REASONS),
                (("уроков", tuple(float(by_code.get(code, 0)) for code, _ in REASONS)),),
                unit="",
                maximum=None,
            )
        )
    return report
