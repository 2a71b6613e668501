"""The school summary per period (by class, parallel, subject, teacher, with the change against the previous
period) and the teacher's report (their journals: class × subject)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ejournal.access import reports as access
from ejournal.accounts.models import User
from ejournal.core.charts import Chart
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import Period, School

from .formulas import Counts
from .pages import (
    CHANGE_COLUMNS,
    MARK_COLUMNS,
    RESULT_COLUMNS,
    STUDENT_COLUMNS,
    Choice,
    Filter,
    Page,
    as_float,
    change_cells,
    mark_cells,
    notes_for,
    period_filter,
    result_figures,
    school_period,
    student_cells,
    url,
)
from .selectors import JournalInfo, PeriodData, full_name, period_data, period_label, previous_period
from .tables import CellValue, Column, Report, Row

GROUPINGS = {
    "class": "по классам",
    "parallel": "по параллелям",
    "subject": "по предметам",
    "teacher": "по учителям",
}


def _school(user: User) -> School:
    school = user.school
    assert school is not None  # access checked in_school
    return school


def parse_grouping(value: str | None) -> str:
    if not value:
        return "class"
    if value not in GROUPINGS:
        raise ValidationFailed("Разрез отчёта: по классам, параллелям, предметам или учителям.", field="by")
    return value


# --- figures of one period by grouping ------------------------------------------------------------------


def figures_by(data: PeriodData, by: str) -> list[tuple[str, str, Counts]]:
    """(key, title, counts) per row of the grouping; classes and parallels count students by their worst
    mark, subjects and teachers count marks (one per student and journal)."""
    if by == "class":
        return [(str(c.id), c.name, data.group_counts(data.students_of(c.id))) for c in data.classes.values()]
    if by == "parallel":
        grades = sorted({c.grade for c in data.classes.values()})
        return [
            (
                str(grade),
                f"{grade} классы",
                data.group_counts([s for s in data.students.values() if data.classes[s.class_id].grade == grade]),
            )
            for grade in grades
        ]
    per: dict[int, Counts] = defaultdict(Counts)
    for journal in data.journals:
        if data.graded(journal.subject_id):
            owner = journal.subject_id if by == "subject" else journal.teacher_id
            per[owner] = per[owner] + data.journal_counts(journal)
    names = {pk: name for pk, (name, _) in data.subjects.items()} if by == "subject" else data.teachers
    return sorted(((str(pk), names[pk], c) for pk, c in per.items()), key=lambda r: (r[1], r[0]))


def school_totals(data: PeriodData, by: str, rows: list[tuple[str, str, Counts]]) -> Counts:
    if by in ("class", "parallel"):
        return data.group_counts(list(data.students.values()))
    return sum((c for _, _, c in rows), Counts())


def school_summary(*, user: User, period_id: int | None, by: str) -> Page:
    """The school's figures for a period by class, parallel, subject or teacher, beside the previous period.
    Management only (404 for anyone else). Sixteen queries whatever the size of the school."""
    if not access.reads_school_reports(user):
        raise NotFound()
    school = _school(user)
    period, periods = school_period(school, period_id)
    before = previous_period(period)
    report = summary_report(
        period_data(school=school, period=period),
        period_data(school=school, period=before) if before else None,
        by,
    )
    return Page(
        report=report,
        filters=[
            period_filter(periods, period),
            Filter("by", "Разрез", [Choice(k, v.capitalize(), k == by) for k, v in GROUPINGS.items()]),
        ],
    )


def summary_report(data: PeriodData, before_data: PeriodData | None, by: str) -> Report:
    """The school summary of one grouping from the data of the period and of the one before it (the worker
    builds every grouping from one read)."""
    school, period = data.school, data.period
    rows = figures_by(data, by)
    totals = school_totals(data, by, rows)
    previous: dict[str, Counts] = {}
    previous_totals = None
    if before_data is not None:
        before_rows = figures_by(before_data, by)
        previous = {key: c for key, _, c in before_rows}
        previous_totals = school_totals(before_data, by, before_rows)

    def link(key: str) -> str:
        if by == "class":
            return url("class", int(key), period=period.pk)
        if by == "teacher":
            return url("teacher", period=period.pk, teacher=key)
        return ""

    per_student = by in ("class", "parallel")
    cells: Callable[[Counts], tuple[CellValue, ...]] = student_cells if per_student else mark_cells
    return Report(
        title=f"Сводный отчёт школы {GROUPINGS[by]}",
        subtitle=f"{school.short_name} · {period_label(period)} · {ru_date(period.start)}–{ru_date(period.end)}"
        + (f" · на {ru_date(data.day)}" if data.day < period.end else ""),
        columns=[
            Column({"class": "Класс", "parallel": "Параллель", "subject": "Предмет", "teacher": "Учитель"}[by]),
            *(STUDENT_COLUMNS if per_student else MARK_COLUMNS),
            *RESULT_COLUMNS,
            *CHANGE_COLUMNS,
        ],
        rows=[
            Row(
                (title, *cells(c), *change_cells(c, previous.get(key))),
                url=link(key),
                flagged=_fell(c, previous.get(key)),
            )
            for key, title, c in rows
        ],
        totals=Row(("Школа", *cells(totals), *change_cells(totals, previous_totals))),
        notes=notes_for(totals, data.suggested)
        + ([] if before_data else ["Это первый период схемы: сравнивать не с чем."]),
        charts=_charts(rows, previous, period, before_data.period if before_data else None),
        file_name=f"Сводный отчёт {GROUPINGS[by]}, {period.name}",
        figures=result_figures(totals),
    )


def _fell(now: Counts, before: Counts | None) -> bool:
    """A fall of the quality against the previous period is drawn in red."""
    return bool(before and now.quality is not None and before.quality is not None and now.quality < before.quality)


def _charts(
    rows: list[tuple[str, str, Counts]], previous: dict[str, Counts], period: Period, before: Period | None
) -> list[Chart]:
    if not rows:
        return []
    labels = tuple(title for _, title, _ in rows)

    def series(attr: str) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
        def value(c: Counts | None) -> float | None:
            return as_float(getattr(c, attr)) if c is not None else None

        now = (period.name, tuple(value(c) for _, _, c in rows))
        if before is None:
            return (now,)
        return (now, (before.name, tuple(value(previous.get(key)) for key, _, _ in rows)))

    return [Chart("Качество знаний, %", labels, series("quality")), Chart("Успеваемость, %", labels, series("success"))]


def journal_title(data: PeriodData, journal: JournalInfo) -> str:
    title = f"{data.classes[journal.class_id].name} · {data.subjects[journal.subject_id][0]}"
    return f"{title} ({journal.subgroup_name})" if journal.subgroup_name else title


# --- the teacher's report -------------------------------------------------------------------------------


def teacher_report(*, user: User, period_id: int | None, teacher_id: int | None) -> Page:
    """A teacher's journals in a period: mark distribution, quality, success, СОУ and average per class and
    subject. A teacher sees their own only (another teacher's is 404); management chooses the teacher."""
    teachers = access.report_teachers(user)
    if teacher_id is None and not teachers.filter(pk=user.pk).exists():
        first = teachers.order_by("last_name", "first_name", "pk").values_list("pk", flat=True).first()
        if first is None:
            raise NotFound()
        teacher_id = first
    teacher = teachers.filter(pk=teacher_id if teacher_id is not None else user.pk).first()
    if teacher is None:
        raise NotFound()
    school = _school(user)
    taught = dict(
        TeachingAssignment.objects.filter(school_id=school.pk, teacher=teacher).values_list(
            "class_group_id", "class_group__grade"
        )
    )
    # Without a period asked for, today's period of the grade band the teacher teaches in.
    period, periods = school_period(school, period_id, grade=min(taught.values(), default=None))
    class_ids = list(taught)
    data = period_data(school=school, period=period, class_ids=class_ids)
    journals = [j for j in data.journals if j.teacher_id == teacher.pk and data.graded(j.subject_id)]
    figures = [(journal_title(data, j), data.journal_counts(j), j) for j in journals]
    total = sum((c for _, c, _ in figures), Counts())
    rows = [
        Row((title, *mark_cells(c)), url=url("journal", j.assignment_id, period=period.pk)) for title, c, j in figures
    ]
    suggested = sum(1 for j in journals for s in data.journal_students(j) if data.cell(s.id, j.subject_id).suggested)
    notes = notes_for(total, suggested)
    if not journals:
        notes.insert(0, "В этом периоде у учителя нет журналов в классах этой схемы периодов.")
    labels = tuple(title for title, _, _ in figures)
    quality = tuple(as_float(c.quality) for _, c, _ in figures)
    success = tuple(as_float(c.success) for _, c, _ in figures)
    report = Report(
        title="Отчёт учителя по классам и предметам",
        subtitle=f"{teacher.short_name} · {school.short_name} · {period_label(period)}",
        columns=[Column("Класс, предмет"), *MARK_COLUMNS, *RESULT_COLUMNS],
        rows=rows,
        totals=Row(("Всего", *mark_cells(total))) if rows else None,
        notes=notes,
        charts=[Chart("Качество и успеваемость, %", labels, (("Качество", quality), ("Успеваемость", success)))]
        if rows
        else [],
        file_name=f"Отчёт учителя, {period.name}",
        figures=result_figures(total),
    )
    filters = [period_filter(periods, period)]
    if access.reads_school_reports(user):
        options = teachers.order_by("last_name", "first_name", "pk").values_list(
            "pk", "last_name", "first_name", "middle_name"
        )
        filters.append(
            Filter(
                "teacher",
                "Учитель",
                [
                    Choice(str(pk), full_name(last, first, middle), pk == teacher.pk)
                    for pk, last, first, middle in options
                ],
            )
        )
    return Page(report=report, filters=filters)
