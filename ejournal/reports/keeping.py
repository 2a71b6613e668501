"""«Анализ работы с классным журналом ЭЖ»: how each teacher keeps the journal over a month or a period.

Figures, per teacher and per journal (class × subject × subgroup) within the teacher:
- lessons held (not cancelled, dated before today: today's are still being filled in), the share with a
  topic and with homework, and those with no record at all (no topic, no attendance, no mark);
- marks entered, and of them entered after the school's deadline for their kind of work (oral on the
  lesson day, written within 7 days, essays of grades 10–11 within 10: School settings), judged by the
  school-local date the mark was first entered;
- накопляемость: each student of the journal (enrolled on the last day counted) against the norm of the
  subject's hours a week (3 for 1 h, 5 for 2 h and more: School settings), pro-rated to the part of the
  period(s) the span covers, so a month of a 2-month quarter asks for half the norm (rounded up);
- period marks missing at the deadline: for each period whose deadline (end + School.period_mark_deadline_days)
  is over and falls in the span (for a period report: that period), the students of each journal active
  on the period's last day without a period mark set by the deadline.

Lesson figures belong to whoever gave the lesson (the substitute for a замена); накопляемость and period
marks belong to the journal's assigned teacher. A row is flagged when students are below the norm, when
lessons have no record or when period marks are missing at the deadline.

Twelve queries whatever the number of teachers, students and lessons.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from ejournal.access.journal_keeping import keeping_teacher
from ejournal.accounts.models import Role, User
from ejournal.core.charts import Chart
from ejournal.core.errors import NotFound
from ejournal.core.time import ru_date
from ejournal.curriculum.models import CurriculumHours, Lesson, LessonStatus, TeachingAssignment
from ejournal.journal.models import Attendance, DeadlineKind, Homework, Mark, PeriodMark, PeriodMarkKind
from ejournal.journal.scope import marks_norm
from ejournal.schools.models import Enrolment, Period, School, SubgroupMember

from .keeping_spans import Calendar, Span, overlap, period_label
from .tables import CellValue, Column, Report, Row

JournalKey = tuple[int, int, int | None]  # class, subject, subgroup


def percent(part: int, whole: int) -> Decimal | None:
    """part of whole in %, one decimal; None (shown «—») when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass
class KeepingFigures:
    lessons: int = 0
    with_topic: int = 0
    with_homework: int = 0
    no_record: int = 0
    marks: int = 0
    late_marks: int = 0
    # Students × journals judged against the накопляемость norm, their marks, and those below the norm.
    judged: int = 0
    judged_marks: int = 0
    below_norm: int = 0
    period_marks_due: int = 0
    period_marks_missing: int = 0

    def add(self, other: KeepingFigures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def topic_percent(self) -> Decimal | None:
        return percent(self.with_topic, self.lessons)

    @property
    def homework_percent(self) -> Decimal | None:
        return percent(self.with_homework, self.lessons)

    @property
    def late_percent(self) -> Decimal | None:
        return percent(self.late_marks, self.marks)

    @property
    def norm_percent(self) -> Decimal | None:
        """Share of the judged students with at least the norm of marks."""
        return percent(self.judged - self.below_norm, self.judged)

    @property
    def marks_per_student(self) -> Decimal | None:
        if not self.judged:
            return None
        return (Decimal(self.judged_marks) / self.judged).quantize(Decimal("0.01"))

    @property
    def flagged(self) -> bool:
        return bool(self.below_norm or self.no_record or self.period_marks_missing)


@dataclass
class KeepingLine:
    """A teacher (id = the teacher's) or one of their journals (id = the class's; key says the journal)."""

    id: int
    name: str
    figures: KeepingFigures = field(default_factory=KeepingFigures)
    key: JournalKey | None = None
    norm: int | None = None


@dataclass
class KeepingAnalysis:
    span: Span
    # The days whose lessons are counted: the span up to yesterday; None when none has passed yet.
    counted: tuple[dt.date, dt.date] | None
    teacher_id: int | None
    teacher_name: str
    lines: list[KeepingLine]
    total: KeepingFigures
    notes: list[str]


def full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def deadline_days(school: School, deadline_kind: str, grade: int) -> int:
    """The school's deadline for a kind of work, as journal.services.deadline_days sets Mark.is_late."""
    if deadline_kind == DeadlineKind.ORAL:
        return school.oral_deadline_days
    if deadline_kind == DeadlineKind.ESSAY and grade >= 10:
        return school.essay_deadline_days
    return school.written_deadline_days


def span_norm(norm: int, periods: list[Period], start: dt.date, end: dt.date) -> int:
    """The period norm pro-rated to the days of the span inside the grade's periods, rounded up."""
    if not periods:
        return norm
    share = sum(
        (Fraction(overlap(p.start, p.end, start, end), (p.end - p.start).days + 1) for p in periods), Fraction(0)
    )
    return math.ceil(norm * min(share, Fraction(len(periods))))


def _journal_name(grade: int, letter: str, subject: str, subgroup: str | None) -> str:
    return f"{grade}{letter} · {subject}" + (f" ({subgroup})" if subgroup else "")


def due_periods(calendar: Calendar, span: Span) -> tuple[list[tuple[Period, dt.date]], list[str]]:
    """Periods whose period marks are judged in this span, with their deadline; and notes on those not due."""
    days = dt.timedelta(days=calendar.school.period_mark_deadline_days)
    if span.period is not None:
        candidates = [span.period]
    else:
        candidates = [p for p in calendar.periods if span.start <= p.end + days <= span.end]
    due, notes = [], []
    for period in candidates:
        deadline = period.end + days
        if deadline < calendar.today:
            due.append((period, deadline))
        else:
            notes.append(
                f"Отметки за период «{period_label(period)}» выставляют до {ru_date(deadline)}: "
                "срок ещё не наступил, пропуски не считаются."
            )
    return due, notes


def keeping_analysis(*, user: User, calendar: Calendar, span: Span, teacher_id: int | None = None) -> KeepingAnalysis:
    """Per teacher (management, no teacher asked for) or per journal of one teacher (a teacher: always
    themselves). NotFound for another teacher's analysis asked by a teacher, or a teacher of another school."""
    teacher = keeping_teacher(user, teacher_id)
    teacher_name = ""
    if teacher is not None:
        names = list(
            User.objects.filter(pk=teacher, school_id=calendar.school.pk).values_list(
                "last_name", "first_name", "middle_name"
            )
        )
        if not names:
            raise NotFound()
        teacher_name = full_name(*names[0])
    return analyse(calendar=calendar, span=span, teacher=teacher, teacher_name=teacher_name)


def analyse(*, calendar: Calendar, span: Span, teacher: int | None = None, teacher_name: str = "") -> KeepingAnalysis:
    """The figures for the whole school (teacher None) or one teacher's journals, without an access check:
    keeping_analysis checks the user; the worker (reports.delivery) builds the monthly report for the school."""
    counted = span.clipped(calendar.today - dt.timedelta(days=1))
    due, notes = due_periods(calendar, span)
    analysis = KeepingAnalysis(span, counted, teacher, teacher_name, [], KeepingFigures(), notes)
    tally = _Tally(calendar, teacher)
    if counted is not None:
        tally.read_lessons(span, counted)
    if due:
        tally.read_period_marks(due)
    if counted is None:
        notes.insert(0, "Выбранные даты ещё не прошли: проведённых уроков нет.")
    elif not any(f.lessons for f in tally.per.values()):
        notes.insert(0, "За выбранные даты нет проведённых уроков.")

    if teacher is None:
        teacher_names = {
            pk: full_name(last, first, middle)
            for pk, last, first, middle in User.objects.filter(
                school_id=calendar.school.pk, pk__in={owner for owner, _ in tally.per}
            ).values_list("pk", "last_name", "first_name", "middle_name")
        }
        by_teacher: dict[int, KeepingLine] = {}
        for (owner, _), figures in tally.per.items():
            line = by_teacher.setdefault(owner, KeepingLine(owner, teacher_names.get(owner, "")))
            line.figures.add(figures)
        analysis.lines = sorted(by_teacher.values(), key=lambda line: (line.name, line.id))
    else:
        analysis.lines = sorted(
            (
                KeepingLine(key[0], tally.names[key], figures, key, tally.norms.get(key))
                for (_, key), figures in tally.per.items()
            ),
            key=lambda line: (tally.grades.get(line.id, 0), line.name),
        )
    for line in analysis.lines:
        analysis.total.add(line.figures)
    return analysis


@dataclass
class _Journal:
    """A journal's lessons in the span, as накопляемость needs them."""

    year_id: int
    lessons: int = 0
    # The assigned teacher of its latest lesson (a journal outlives a change of teacher).
    owner: tuple[dt.date, int] | None = None
    marks: Counter[int] = field(default_factory=Counter)


Enrolled = dict[int, list[tuple[int, dt.date, dt.date | None]]]


@dataclass
class _Tally:
    """Figures per (teacher, journal) as the lessons, marks and period marks are read; with each journal's
    name and norm, and each class's grade. With `teacher` set only that teacher's are kept."""

    calendar: Calendar
    teacher: int | None
    per: defaultdict[tuple[int, JournalKey], KeepingFigures] = field(
        default_factory=lambda: defaultdict(KeepingFigures)
    )
    names: dict[JournalKey, str] = field(default_factory=dict)
    norms: dict[JournalKey, int] = field(default_factory=dict)
    grades: dict[int, int] = field(default_factory=dict)

    def keeps(self, teacher_id: int) -> bool:
        return self.teacher is None or teacher_id == self.teacher

    def read_lessons(self, span: Span, counted: tuple[dt.date, dt.date]) -> None:
        """Lessons, topics, homework, records and marks (four queries), then накопляемость."""
        school = self.calendar.school
        lessons = Lesson.objects.filter(school_id=school.pk, date__range=counted, status=LessonStatus.PLANNED)
        if span.period is not None:
            scheme = span.period.scheme
            lessons = lessons.filter(class_group__grade__range=(scheme.grade_from, scheme.grade_to))
        if self.teacher is not None:
            lessons = lessons.filter(Q(teacher_id=self.teacher) | Q(substitute_id=self.teacher))
        ids = lessons.values("pk")
        with_homework = _lesson_ids(Homework, school.pk, ids)
        recorded = _lesson_ids(Attendance, school.pk, ids)
        marks_of: dict[int, list[tuple[int, str, dt.datetime]]] = defaultdict(list)
        for lesson_id, student_id, deadline_kind, created_at in Mark.objects.filter(
            school_id=school.pk, lesson__in=ids
        ).values_list("lesson_id", "student_id", "kind__deadline_kind", "created_at"):
            marks_of[lesson_id].append((student_id, deadline_kind, created_at))
        tz = ZoneInfo(school.timezone)
        journals: dict[JournalKey, _Journal] = {}
        for row in lessons.values_list(
            "id", "teacher_id", "substitute_id", "class_group_id", "class_group__grade", "class_group__letter",
            "class_group__year_id", "subject_id", "subject__name", "subgroup_id", "subgroup__name", "date", "topic",
        ):  # fmt: skip
            (lesson_id, assigned, substitute, class_id, grade, letter, year_id, subject_id, subject, subgroup_id,
             subgroup, day, topic) = row  # fmt: skip
            key: JournalKey = (class_id, subject_id, subgroup_id)
            self.names.setdefault(key, _journal_name(grade, letter, subject, subgroup))
            self.grades[class_id] = grade
            marks = marks_of.get(lesson_id, [])
            giver = substitute or assigned
            if self.keeps(giver):
                figures = self.per[(giver, key)]
                figures.lessons += 1
                figures.with_topic += bool(topic.strip())
                figures.with_homework += lesson_id in with_homework
                figures.no_record += not (topic.strip() or lesson_id in recorded or marks)
                figures.marks += len(marks)
                for _, deadline_kind, created_at in marks:
                    deadline = day + dt.timedelta(days=deadline_days(school, deadline_kind, grade))
                    figures.late_marks += created_at.astimezone(tz).date() > deadline
            if self.keeps(assigned):
                journal = journals.setdefault(key, _Journal(year_id))
                journal.lessons += 1
                if journal.owner is None or journal.owner[0] <= day:
                    journal.owner = (day, assigned)
                journal.marks.update(student_id for student_id, _, _ in marks)
        self._accumulation(counted, journals)

    def _students_on(self, class_ids: set[int], days: list[dt.date]) -> tuple[Enrolled, dict[int, set[int]]]:
        """Enrolments of the classes touching the days (class → (student, start, end)), and each student's
        subgroups. Two queries."""
        school_id = self.calendar.school.pk
        enrolled: Enrolled = defaultdict(list)
        for class_id, student_id, since, until in (
            Enrolment.objects.filter(school_id=school_id, class_group_id__in=class_ids, start__lte=max(days))
            .filter(Q(end__isnull=True) | Q(end__gte=min(days)))
            .values_list("class_group_id", "student_id", "start", "end")
        ):
            enrolled[class_id].append((student_id, since, until))
        groups: dict[int, set[int]] = defaultdict(set)
        for student_id, subgroup_id in SubgroupMember.objects.filter(
            school_id=school_id, subgroup__class_group_id__in=class_ids
        ).values_list("student_id", "subgroup_id"):
            groups[student_id].add(subgroup_id)
        return enrolled, groups

    def _accumulation(self, counted: tuple[dt.date, dt.date], journals: dict[JournalKey, _Journal]) -> None:
        """Накопляемость of each journal: its students on the last counted day against the pro-rated norm.
        Grade 1 gets no marks, so it is not judged. Three queries."""
        school = self.calendar.school
        start, last = counted
        judged = {key: journal for key, journal in journals.items() if self.grades[key[0]] >= 2}
        if not judged:
            return
        hours = {
            (year_id, grade, subject_id): value
            for year_id, grade, subject_id, value in CurriculumHours.objects.filter(
                school_id=school.pk, year_id__in={j.year_id for j in judged.values()}
            ).values_list("year_id", "grade", "subject_id", "hours_per_week")
        }
        enrolled, groups = self._students_on({key[0] for key in judged}, [last])
        for key, journal in judged.items():
            grade = self.grades[key[0]]
            per_week = hours.get((journal.year_id, grade, key[1]))
            full = marks_norm(school, per_week, lessons=journal.lessons, start=start, end=last)
            norm = self.norms[key] = span_norm(full, self.calendar.periods_of_grade(grade), start, last)
            assert journal.owner is not None  # a journal is made by its first lesson
            figures = self.per[(journal.owner[1], key)]
            for student_id in _journal_students(key, last, enrolled, groups):
                count = journal.marks[student_id]
                figures.judged += 1
                figures.judged_marks += count
                figures.below_norm += count < norm

    def read_period_marks(self, due: list[tuple[Period, dt.date]]) -> None:
        """Students of each journal active on a due period's last day without a period mark by the deadline.
        Four queries."""
        school = self.calendar.school
        active = Q(pk__in=[])
        for period, _ in due:
            scheme = period.scheme
            active |= Q(
                class_group__year_id=scheme.year_id,
                class_group__grade__range=(max(2, scheme.grade_from), scheme.grade_to),
                start__lte=period.end,
            ) & (Q(end__isnull=True) | Q(end__gte=period.end))
        assignments = TeachingAssignment.objects.filter(active, school_id=school.pk)
        if self.teacher is not None:
            assignments = assignments.filter(teacher_id=self.teacher)
        rows = list(
            assignments.values_list(
                "teacher_id",
                "class_group_id",
                "class_group__grade",
                "class_group__letter",
                "subject_id",
                "subject__name",
                "subgroup_id",
                "subgroup__name",
                "class_group__year_id",
                "start",
                "end",
            )
        )
        if not rows:
            return
        tz = ZoneInfo(school.timezone)
        deadlines = {period.pk: deadline for period, deadline in due}
        in_time = {
            (period_id, subject_id, student_id)
            for period_id, subject_id, student_id, set_at in PeriodMark.objects.filter(
                school_id=school.pk, kind=PeriodMarkKind.PERIOD, period_id__in=deadlines
            ).values_list("period_id", "subject_id", "student_id", "set_at")
            if set_at.astimezone(tz).date() <= deadlines[period_id]
        }
        enrolled, groups = self._students_on({r[1] for r in rows}, [p.end for p, _ in due])
        for owner, class_id, grade, letter, subject_id, subject, subgroup_id, subgroup, year_id, since, until in rows:
            key: JournalKey = (class_id, subject_id, subgroup_id)
            self.names.setdefault(key, _journal_name(grade, letter, subject, subgroup))
            self.grades[class_id] = grade
            for period, _ in due:
                scheme = period.scheme
                active_then = since <= period.end and (until is None or period.end <= until)
                if not (scheme.year_id == year_id and scheme.covers(grade) and active_then):
                    continue
                students = _journal_students(key, period.end, enrolled, groups)
                figures = self.per[(owner, key)]
                figures.period_marks_due += len(students)
                figures.period_marks_missing += sum((period.pk, subject_id, s) not in in_time for s in students)


def _lesson_ids(model: type[Homework | Attendance], school_id: int, lessons: QuerySet[Any, Any]) -> set[int]:
    """Which of the lessons hold a row of the model (homework, attendance): one query."""
    rows = model.objects.filter(school_id=school_id, lesson__in=lessons).values_list("lesson_id", flat=True)
    return set(rows.order_by().distinct())


def _journal_students(key: JournalKey, day: dt.date, enrolled: Enrolled, groups: dict[int, set[int]]) -> set[int]:
    class_id, _, subgroup_id = key
    return {
        student_id
        for student_id, since, until in enrolled.get(class_id, [])
        if since <= day
        and (until is None or day <= until)
        and (subgroup_id is None or subgroup_id in groups[student_id])
    }


def signatories(school_id: int) -> list[tuple[str, str]]:
    """The signature lines of the report: the journal's administrator (who prepares it) and the director
    (who takes it), by name when the school has them, else a blank line to write the name in."""
    lines = []
    for role, position in ((Role.ADMIN, "Ответственный администратор ЭЖ"), (Role.DIRECTOR, "Директор")):
        person = (
            User.objects.filter(school_id=school_id, is_active=True, role_grants__role=role)
            .order_by("pk")
            .values_list("last_name", "first_name", "middle_name")
            .first()
        )
        lines.append((position, _initials(*person) if person else "____________________"))
    return lines


def _initials(last: str, first: str, middle: str) -> str:
    """«Иванова И. И.», as a signature line names a person."""
    return " ".join([last, *(f"{part[0]}." for part in (first, middle) if part)])


def keeping_report(
    analysis: KeepingAnalysis, *, school_name: str, base_url: str, signatures: list[tuple[str, str]] | None = None
) -> Report:
    """Per teacher (each row links to the teacher's journals) or per journal of one teacher."""
    per_journal = analysis.teacher_id is not None
    columns = [
        Column("Класс, предмет" if per_journal else "Учитель"),
        Column("Проведено", "int", "Уроки"),
        Column("С темой", "percent", "Уроки"),
        Column("С д/з", "percent", "Уроки"),
        Column("Без записей", "int", "Уроки"),
        Column("Выставлено", "int", "Отметки"),
        Column("После срока", "int", "Отметки"),
        Column("После срока, %", "percent", "Отметки"),
        Column("На ученика", "number", "Накопляемость"),
        *([Column("Норма", "int", "Накопляемость")] if per_journal else []),
        Column("Ниже нормы, учеников", "int", "Накопляемость"),
        Column("Не ниже нормы", "percent", "Накопляемость"),
        Column("Ожидалось", "int", "Отметки за период"),
        Column("Не выставлено к сроку", "int", "Отметки за период"),
    ]

    def cells(name: str, f: KeepingFigures, norm: int | None) -> tuple[CellValue, ...]:
        head = (name, f.lessons, f.topic_percent, f.homework_percent, f.no_record, f.marks, f.late_marks)
        accumulation = (f.late_percent, f.marks_per_student, *((norm,) if per_journal else ()))
        return (*head, *accumulation, f.below_norm, f.norm_percent, f.period_marks_due, f.period_marks_missing)

    query = analysis.span.query()
    rows = [
        Row(
            cells(line.name, line.figures, line.norm),
            url="" if per_journal else f"{base_url}?{urlencode({**query, 'teacher': str(line.id)})}",
            flagged=line.figures.flagged,
        )
        for line in analysis.lines
    ]
    who = analysis.teacher_name if per_journal else "все учителя"
    report = Report(
        title="Анализ работы с классным журналом ЭЖ",
        subtitle=f"{school_name} · {who} · {analysis.span.label}",
        columns=columns,
        rows=rows,
        totals=Row(cells("Итого", analysis.total, None)) if rows else None,
        notes=list(analysis.notes),
        file_name="Анализ работы с ЭЖ",
        signatures=list(signatures or []),
    )
    if rows:
        labels = tuple(line.name for line in analysis.lines)

        def share(values: list[Decimal | None]) -> tuple[float | None, ...]:
            return tuple(None if v is None else float(v) for v in values)

        report.charts = [
            Chart(
                "Уроки с темой и домашним заданием, %",
                labels,
                (
                    ("с темой", share([line.figures.topic_percent for line in analysis.lines])),
                    ("с д/з", share([line.figures.homework_percent for line in analysis.lines])),
                ),
            ),
            Chart(
                "Накопляемость: учеников не ниже нормы, %",
                labels,
                (("не ниже нормы", share([line.figures.norm_percent for line in analysis.lines])),),
            ),
        ]
    return report
