"""Выполнение программы: planned hours against lessons given, per journal, teacher, class or subject.

For each journal (teaching assignment) over the span, up to today:
- by the curriculum (учебный план): hours a week × study days of the span (days inside the grade's
  periods) / 7, rounded; for the year the same over the whole year;
- by the КТП: its topics laid out in order on the journal's timetable lessons (as planned: a cancelled
  lesson keeps its place, a moved one counts once, an extra one is no planned place), so the КТП hours
  due in the span are those whose lesson falls in it; never more than the КТП holds;
- given: lessons held (not cancelled, extra ones included) in the span.
The lag is measured against the КТП where one is loaded, else against the curriculum, else against the
timetable lessons; a journal more than LAG_LIMIT lessons behind is flagged, and so is every teacher,
class or subject with such a journal.

Five queries whatever the number of journals and lessons (plus one per filter given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum

from ejournal.access.journal_keeping import execution_journals
from ejournal.accounts.models import User
from ejournal.core.charts import Chart
from ejournal.core.errors import ValidationFailed
from ejournal.curriculum.models import CurriculumHours, Lesson, LessonOrigin, LessonStatus, PlannedTopic

from .keeping import full_name, percent
from .keeping_spans import Calendar, Span
from .tables import CellValue, Column, Report, Row

# «More than 2 lessons behind the КТП to date» is a lag (a constant: the school has no setting for it yet).
LAG_LIMIT = 2
GROUPS = {"journal": "журналы", "teacher": "учителя", "class": "классы", "subject": "предметы"}
SCHEDULED = (LessonOrigin.TIMETABLE, LessonOrigin.MOVED)


@dataclass
class ExecutionFigures:
    year_plan: int = 0
    ktp_hours: int = 0
    curriculum_plan: int = 0
    ktp_plan: int = 0
    # What the lag is measured against (КТП, else curriculum, else timetable) and what was given.
    plan: int = 0
    given: int = 0
    journals: int = 0
    lagging: int = 0

    def add(self, other: ExecutionFigures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def lag(self) -> int:
        return self.plan - self.given

    @property
    def percent(self) -> Decimal | None:
        return percent(self.given, self.plan)


@dataclass
class ExecutionLine:
    id: int
    name: str
    teacher: str = ""
    hours_per_week: Decimal | None = None
    has_ktp: bool = False
    figures: ExecutionFigures = field(default_factory=ExecutionFigures)
    # A journal's teacher, class and subject as (id, name), by which rows are grouped.
    belongs_to: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass
class ExecutionAnalysis:
    span: Span
    counted: tuple[dt.date, dt.date] | None
    group: str
    filters: dict[str, int]
    lines: list[ExecutionLine]
    total: ExecutionFigures
    notes: list[str]


def _hours_for(hours: Decimal | None, days: int) -> int:
    if hours is None:
        return 0
    return int((hours * days / 7).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def program_execution(
    *,
    user: User,
    calendar: Calendar,
    span: Span,
    group: str = "journal",
    teacher_id: int | None = None,
    class_id: int | None = None,
    subject_id: int | None = None,
) -> ExecutionAnalysis:
    """Journals the user may open (access.journal_keeping.execution_journals), active in the span, grouped."""
    if group not in GROUPS:
        raise ValidationFailed("Группировка указана неверно: журналы, учителя, классы или предметы.", field="group")
    journals = execution_journals(user, teacher_id=teacher_id, class_id=class_id, subject_id=subject_id)
    filters = {k: v for k, v in (("teacher", teacher_id), ("class", class_id), ("subject", subject_id)) if v}
    counted = span.clipped(calendar.today)
    analysis = ExecutionAnalysis(span, counted, group, filters, [], ExecutionFigures(), [])
    if calendar.year is None:
        analysis.notes.append("В школе ещё нет учебного года: журналов нет.")
        return analysis
    if counted is None:
        analysis.notes.append("Выбранные даты ещё не наступили: план и проведённые уроки не считаются.")
        return analysis
    start, last = counted
    journals = journals.filter(school_id=calendar.school.pk, class_group__year=calendar.year, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if span.period is not None:
        scheme = span.period.scheme
        journals = journals.filter(class_group__grade__range=(scheme.grade_from, scheme.grade_to))
    rows = list(
        journals.order_by("class_group__grade", "class_group__letter", "subject__name", "subgroup__name").values_list(
            "pk",
            "teacher_id",
            "teacher__last_name",
            "teacher__first_name",
            "teacher__middle_name",
            "class_group_id",
            "class_group__grade",
            "class_group__letter",
            "subject_id",
            "subject__name",
            "subgroup__name",
        )
    )
    if not rows:
        analysis.notes.append("Нет журналов за выбранные даты.")
        return analysis
    ids = journals.values("pk")
    hours = dict(
        ((grade, subject), value)
        for grade, subject, value in CurriculumHours.objects.filter(
            school_id=calendar.school.pk, year=calendar.year
        ).values_list("grade", "subject_id", "hours_per_week")
    )
    ktp = dict(
        PlannedTopic.objects.filter(school_id=calendar.school.pk, assignment__in=ids)
        .values("assignment_id")
        .annotate(hours=Sum("hours"))
        .order_by()
        .values_list("assignment_id", "hours")
    )
    scheduled = Q(origin__in=SCHEDULED)
    counts = {
        row[0]: row[1:]
        for row in Lesson.objects.filter(school_id=calendar.school.pk, assignment__in=ids, date__lte=last)
        .values("assignment_id")
        .annotate(
            before=Count("id", filter=scheduled & Q(date__lt=start)),
            upto=Count("id", filter=scheduled),
            given=Count("id", filter=Q(status=LessonStatus.PLANNED, date__gte=start)),
        )
        .order_by()
        .values_list("assignment_id", "before", "upto", "given")
    }
    year = calendar.year
    journal_lines: list[ExecutionLine] = []
    for pk, t_id, last_name, first, middle, c_id, grade, letter, s_id, subject, subgroup in rows:
        per_week = hours.get((grade, s_id))
        before, upto, given = counts.get(pk, (0, 0, 0))
        ktp_hours = ktp.get(pk) or 0
        f = ExecutionFigures(
            year_plan=_hours_for(per_week, calendar.study_days(grade, year.start, year.end)),
            ktp_hours=ktp_hours,
            curriculum_plan=_hours_for(per_week, calendar.study_days(grade, start, last)),
            ktp_plan=min(ktp_hours, upto) - min(ktp_hours, before),
            given=given,
            journals=1,
        )
        f.plan = f.ktp_plan if ktp_hours else f.curriculum_plan if per_week else upto - before
        f.lagging = int(f.lag > LAG_LIMIT)
        name = f"{grade}{letter} · {subject}" + (f" ({subgroup})" if subgroup else "")
        teacher = full_name(last_name, first, middle)
        line = ExecutionLine(pk, name, teacher, per_week, bool(ktp_hours), f)
        line.belongs_to = {"teacher": (t_id, teacher), "class": (c_id, f"{grade}{letter}"), "subject": (s_id, subject)}
        journal_lines.append(line)
        analysis.total.add(f)
    analysis.lines = _grouped(group, journal_lines)
    if any(not line.has_ktp for line in journal_lines):
        analysis.notes.append("Где КТП не загружено, план на дату — по учебному плану (или по расписанию).")
    return analysis


def _grouped(group: str, journal_lines: list[ExecutionLine]) -> list[ExecutionLine]:
    """Journal rows as they are, or summed per teacher (by name), class (in class order) or subject (by name)."""
    if group == "journal":
        return journal_lines
    grouped: dict[int, ExecutionLine] = {}
    for line in journal_lines:
        pk, name = line.belongs_to[group]
        grouped.setdefault(pk, ExecutionLine(pk, name)).figures.add(line.figures)
    lines = list(grouped.values())
    return lines if group == "class" else sorted(lines, key=lambda line: line.name)


def execution_report(analysis: ExecutionAnalysis, *, school_name: str, base_url: str) -> Report:
    """A row per journal, or per teacher / class / subject linking to their journals."""
    per_journal = analysis.group == "journal"
    first = {"journal": "Класс, предмет", "teacher": "Учитель", "class": "Класс", "subject": "Предмет"}
    columns = [
        Column(first[analysis.group]),
        *([Column("Учитель"), Column("Часов в неделю", "number")] if per_journal else [Column("Журналов", "int")]),
        Column("По учебному плану", "int", "За год"),
        Column("По КТП", "int", "За год"),
        Column("По учебному плану", "int", "План на дату"),
        Column("По КТП", "int", "План на дату"),
        Column("Дано уроков", "int"),
        Column("Отставание", "int"),
        Column("Выполнение", "percent"),
        *([] if per_journal else [Column("Журналов с отставанием", "int")]),
    ]

    def cells(line: ExecutionLine | None, f: ExecutionFigures, name: str) -> tuple[CellValue, ...]:
        head: tuple[CellValue, ...]
        if per_journal:
            head = (name, line.teacher if line else "", line.hours_per_week if line else None)
        else:
            head = (name, f.journals)
        # «—» where a journal has no curriculum line or no КТП, rather than a plan of 0.
        no_curriculum = per_journal and line is not None and line.hours_per_week is None
        curriculum = (None, None) if no_curriculum else (f.year_plan, f.curriculum_plan)
        ktp = (f.ktp_hours, f.ktp_plan) if f.ktp_hours else (None, None)
        figures = (curriculum[0], ktp[0], curriculum[1], ktp[1], f.given, f.lag, f.percent)
        return (*head, *figures, *(() if per_journal else (f.lagging,)))

    query = {**analysis.span.query(), **{k: str(v) for k, v in analysis.filters.items()}}
    rows = [
        Row(
            cells(line, line.figures, line.name),
            url="" if per_journal else f"{base_url}?{urlencode({**query, analysis.group: str(line.id)})}",
            flagged=bool(line.figures.lagging),
        )
        for line in analysis.lines
    ]
    report = Report(
        title="Выполнение программы",
        subtitle=f"{school_name} · {GROUPS[analysis.group]} · {analysis.span.label}",
        columns=columns,
        rows=rows,
        totals=Row(cells(None, analysis.total, "Итого")) if rows else None,
        notes=[*analysis.notes, f"Отставание больше {LAG_LIMIT} уроков выделено."] if rows else analysis.notes,
        file_name="Выполнение программы",
    )
    if rows:
        report.charts = [
            Chart(
                "Выполнение программы на дату, %",
                tuple(line.name for line in analysis.lines),
                (
                    (
                        "дано от плана",
                        tuple(
                            None if line.figures.percent is None else float(line.figures.percent)
                            for line in analysis.lines
                        ),
                    ),
                ),
                maximum=None,
            )
        ]
    return report
