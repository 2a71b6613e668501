"""The class teacher's period report (students, and the subjects of the class), a journal's report (subject
in a class, per student) and a student's report (every subject): the drill-down below the school summary."""

from __future__ import annotations

from collections import Counter

from ejournal.access import reports as access
from ejournal.accounts.models import User
from ejournal.core.charts import Chart
from ejournal.core.errors import NotFound
from ejournal.core.time import ru_date
from ejournal.journal import periods as journal_periods
from ejournal.journal.absences import Missed, missed_in_class
from ejournal.schools.models import ClassGroup, Enrolment, Period

from . import formulas
from .formulas import Counts
from .pages import (
    MARK_COLUMNS,
    RESULT_COLUMNS,
    Page,
    as_float,
    class_period,
    mark_cells,
    notes_for,
    period_filter,
    result_figures,
    url,
)
from .selectors import JournalInfo, PeriodData, Student, period_data
from .tables import Column, KeyFigure, Report, Row

STANDING_TITLES = {
    "5": "отличник",
    "4": "хорошист",
    "3": "с «3»",
    "2": "с «2»",
    formulas.NA: "н/а",
    formulas.EXEMPT: "освобождён",
    "": formulas.NO_MARKS_TEXT,
}


def standing_title(place: formulas.Standing) -> str:
    if place.one_four:
        return "с одной «4»"
    if place.one_three:
        return "с одной «3»"
    return STANDING_TITLES[place.worst]


REASONS = (("б", "по болезни"), ("у", "по уважительной причине"), ("п", "без уважительной причины"))


def _class(user: User, class_id: int) -> ClassGroup:
    group = access.report_classes(user).filter(pk=class_id).select_related("year", "school").first()
    if group is None:
        raise NotFound()
    return group


def _load(group: ClassGroup, period_id: int | None) -> tuple[Period, list[Period], PeriodData]:
    periods = journal_periods.periods_of_class(group)
    period = class_period(periods, period_id, group.school)
    return period, periods, period_data(school=group.school, period=period, class_ids=[group.pk])


def _tabs(group: ClassGroup, period: Period, view: str) -> list[tuple[str, str, bool]]:
    return [
        ("Ученики", url("class", group.pk, period=period.pk), view == "students"),
        ("Предметы", url("class", group.pk, period=period.pk, view="subjects"), view == "subjects"),
    ]


def _crumbs(user: User, period: Period) -> list[tuple[str, str]]:
    if access.reads_school_reports(user):
        return [("Сводный отчёт школы", url("school", period=period.pk))]
    return []


def class_report(*, user: User, class_id: int, period_id: int | None, view: str = "students") -> Page:
    """The class teacher's period report: students at the start and end of the period, отличники, хорошисты,
    with one «4», with one «3», неуспевающие by subject, lessons and days missed by reason, per student.
    `view="subjects"` gives the class's journals instead, each leading to its students."""
    group = _class(user, class_id)
    period, periods, data = _load(group, period_id)
    info = data.classes[group.pk]
    students = data.students_of(group.pk)
    counts = data.group_counts(students)
    subtitle = f"{group.name} · {period.name} · {ru_date(period.start)}–{ru_date(period.end)}"
    if view == "subjects":
        report = _subjects_report(data, group, period, subtitle)
    else:
        missed = missed_in_class(
            group, period.start, data.day, spans=data.spans.get(group.pk, {}), subgroups=data.subgroups_of
        )
        report = _students_report(data, group, period, subtitle, students, counts, missed)
        report.figures = [
            KeyFigure("Учеников на начало периода", info.at_start),
            KeyFigure(
                "Учеников на конец периода" if data.day >= period.end else f"Учеников на {ru_date(data.day)}",
                info.at_end,
            ),
            KeyFigure("Отличники", counts.n5),
            KeyFigure("Хорошисты", counts.n4),
            KeyFigure("С одной «4»", counts.one_four),
            KeyFigure("С одной «3»", counts.one_three),
            KeyFigure("Неуспевающие", counts.failing),
            KeyFigure("Из них н/а", counts.n_na),
            KeyFigure("Освобождены", counts.exempt),
            KeyFigure("Без отметок", counts.no_marks),
            *result_figures(counts),
        ]
    report.notes = notes_for(counts, data.suggested) + report.notes
    return Page(
        report=report,
        filters=[period_filter(periods, period, labelled=False)],
        tabs=_tabs(group, period, view),
        crumbs=_crumbs(user, period),
    )


def _students_report(
    data: PeriodData,
    group: ClassGroup,
    period: Period,
    subtitle: str,
    students: list[Student],
    counts: Counts,
    missed: dict[int, Missed],
) -> Report:
    rows = []
    totals: Counter[str] = Counter()
    for student in students:
        marks = data.marks_of(student)
        place = formulas.standing(marks)
        tally = Counter(formulas.bucket(mark) for _, mark in marks)
        absent = missed.get(student.id, Missed())
        lessons = (absent.lessons, *(absent.lessons_by_code.get(code, 0) for code, _ in REASONS))
        days = (absent.days, *(absent.days_by_code.get(code, 0) for code, _ in REASONS))
        for i, n in enumerate((*lessons, *days)):
            totals[str(i)] += n
        failing = ", ".join(f"{name} ({mark})" for name, mark in marks if formulas.bucket(mark) in ("2", formulas.NA))
        rows.append(
            Row(
                (
                    student.name,
                    standing_title(place),
                    *(tally[b] for b in ("5", "4", "3", "2", formulas.NA, formulas.EXEMPT)),
                    failing,
                    *lessons,
                    *days,
                ),
                url=url("student", student.id, period=period.pk),
                flagged=bool(place.failing),
            )
        )
    absence_columns = [
        Column("Уроков пропущено", "int", group="Пропуски уроков"),
        *(Column(label, "int", group="Пропуски уроков") for _, label in REASONS),
        Column("Дней пропущено", "int", group="Пропуски дней"),
        *(Column(label, "int", group="Пропуски дней") for _, label in REASONS),
    ]
    chart_labels = ("Отличники", "Хорошисты", "С «3»", "Неуспевающие")
    return Report(
        title="Отчёт классного руководителя за период",
        subtitle=subtitle,
        columns=[
            Column("Ученик"),
            Column("Итог"),
            *(
                Column(f"«{m}»" if m in "5432" else m, "int", group="Предметов с отметкой")
                for m in ("5", "4", "3", "2", "н/а", "осв.")
            ),
            Column("Неуспевающий по предметам"),
            *absence_columns,
        ],
        rows=rows,
        totals=Row(
            (
                "Итого",
                f"учтено {counts.counted}",
                *(counts_by_mark(data, students)),
                "",
                *(totals[str(i)] for i in range(8)),
            )
        )
        if rows
        else None,
        notes=[] if rows else ["В периоде в классе нет учеников."],
        charts=[
            Chart(
                "Ученики по итогам периода",
                chart_labels,
                (("Учеников", (counts.n5, counts.n4, counts.n3, counts.failing)),),
                unit="",
                maximum=None,
            )
        ]
        if counts.counted
        else [],
        file_name=f"Отчёт классного руководителя {group.name}, {period.name}",
    )


def counts_by_mark(data: PeriodData, students: list[Student]) -> tuple[int, ...]:
    tally = Counter(formulas.bucket(mark) for s in students for _, mark in data.marks_of(s))
    return tuple(tally[b] for b in ("5", "4", "3", "2", formulas.NA, formulas.EXEMPT))


def _subjects_report(data: PeriodData, group: ClassGroup, period: Period, subtitle: str) -> Report:
    journals = [j for j in data.journals_of(group.pk) if data.graded(j.subject_id)]
    figures = [(j, data.journal_counts(j)) for j in journals]
    return Report(
        title="Предметы класса за период",
        subtitle=subtitle,
        columns=[Column("Предмет"), Column("Учитель"), *MARK_COLUMNS, *RESULT_COLUMNS],
        rows=[
            Row(
                (_journal_name(data, j), data.teachers.get(j.teacher_id, ""), *mark_cells(c)),
                url=url("journal", j.assignment_id, period=period.pk),
            )
            for j, c in figures
        ],
        notes=[] if journals else ["В периоде у класса нет предметов с отметками."],
        charts=[
            Chart(
                "Качество знаний по предметам, %",
                tuple(_journal_name(data, j) for j, _ in figures),
                (("Качество", tuple(as_float(c.quality) for _, c in figures)),),
            )
        ]
        if figures
        else [],
        file_name=f"Предметы {group.name}, {period.name}",
    )


def _journal_name(data: PeriodData, journal: JournalInfo) -> str:
    name = data.subjects[journal.subject_id][0]
    return f"{name} ({journal.subgroup_name})" if journal.subgroup_name else name


# --- a journal: subject in a class --------------------------------------------------------------------------

CELL_COLUMNS = [
    Column("Средний взвешенный", "number"),
    Column("Отметок", "int"),
    Column("Выставлено за период"),
    Column("Предложено по среднему"),
    Column("Учтено в отчёте"),
]


def journal_report(*, user: User, assignment_id: int, period_id: int | None) -> Page:
    """One subject in a class (or subgroup): each student's weighted average, marks, period mark and the mark
    counted; the distribution, quality, success, СОУ and average of the journal."""
    assignment = (
        access.report_journals(user)
        .filter(pk=assignment_id)
        .select_related("class_group__year", "class_group__school", "subject", "subgroup", "teacher")
        .first()
    )
    if assignment is None:
        raise NotFound()
    group = assignment.class_group
    period, periods, data = _load(group, period_id)
    journal = JournalInfo(
        assignment.pk,
        group.pk,
        assignment.subject_id,
        assignment.subgroup_id,
        assignment.subgroup.name if assignment.subgroup else "",
        assignment.teacher_id,
    )
    students = data.journal_students(journal)
    counts = data.subject_counts(students, journal.subject_id)
    opens_students = access.report_classes(user).filter(pk=group.pk).exists()
    rows = []
    for student in students:
        cell = data.cell(student.id, journal.subject_id)
        rows.append(
            Row(
                (student.name, cell.average, cell.marks, cell.period_mark, cell.suggestion, cell.mark),
                url=url("student", student.id, period=period.pk) if opens_students else "",
                flagged=formulas.bucket(cell.mark) in ("2", formulas.NA),
            )
        )
    title = assignment.subject.name + (f" ({assignment.subgroup.name})" if assignment.subgroup else "")
    distribution = (counts.n5, counts.n4, counts.n3, counts.n2, counts.n_na)
    report = Report(
        title="Отчёт по предмету в классе",
        subtitle=f"{group.name} · {title} · {assignment.teacher.short_name} · {period.name}",
        columns=[Column("Ученик"), *CELL_COLUMNS],
        rows=rows,
        notes=notes_for(counts, sum(1 for s in students if data.cell(s.id, journal.subject_id).suggested)),
        charts=[
            Chart(
                "Распределение отметок",
                ("«5»", "«4»", "«3»", "«2»", "н/а"),
                (("Учеников", distribution),),
                unit="",
                maximum=None,
            )
        ]
        if counts.counted
        else [],
        file_name=f"{group.name} {assignment.subject.name}, {period.name}",
        figures=[
            KeyFigure("Учеников", counts.students),
            *(
                KeyFigure(title, value)
                for title, value in zip(("«5»", "«4»", "«3»", "«2»", "н/а"), distribution, strict=True)
            ),
            KeyFigure("Освобождены", counts.exempt),
            KeyFigure("Без отметок", counts.no_marks),
            *result_figures(counts),
        ],
    )
    crumbs = _crumbs(user, period)
    if opens_students:
        crumbs.append((f"Класс {group.name}", url("class", group.pk, period=period.pk, view="subjects")))
    return Page(report=report, filters=[period_filter(periods, period, labelled=False)], crumbs=crumbs)


# --- a student: every subject --------------------------------------------------------------------------------


def student_report(*, user: User, student_id: int, period_id: int | None) -> Page:
    """A student's subjects in a period with the mark counted in each: for management and the class teacher."""
    enrolment = (
        Enrolment.objects.filter(student_id=student_id, class_group__in=access.report_classes(user))
        .select_related("class_group__school", "class_group__year")
        .order_by("-start")
        .first()
    )
    if enrolment is None:
        raise NotFound()
    group = enrolment.class_group
    period, periods, data = _load(group, period_id)
    student = data.students.get(student_id)
    if student is None:
        raise NotFound("В этом периоде ученик не числится в классе.")
    journals = data.own_journals(student)
    marks = data.marks_of(student)
    place = formulas.standing(marks)
    rows = []
    for journal in sorted(journals, key=lambda j: _journal_name(data, j)):
        cell = data.cell(student.id, journal.subject_id)
        rows.append(
            Row(
                (
                    _journal_name(data, journal),
                    data.teachers.get(journal.teacher_id, ""),
                    cell.average,
                    cell.marks,
                    cell.period_mark,
                    cell.suggestion,
                    cell.mark,
                ),
                url=url("journal", journal.assignment_id, period=period.pk),
                flagged=formulas.bucket(cell.mark) in ("2", formulas.NA),
            )
        )
    report = Report(
        title="Итоги ученика за период",
        subtitle=f"{student.name} · {group.name} · {period.name}",
        columns=[Column("Предмет"), Column("Учитель"), *CELL_COLUMNS],
        rows=rows,
        notes=[] if rows else ["У ученика нет предметов в этом периоде."],
        file_name=f"Итоги ученика, {period.name}",
        figures=[
            KeyFigure("Итог", standing_title(place), "text"),
            KeyFigure("Неуспевающий по предметам", ", ".join(place.failing) or "—", "text"),
        ],
    )
    crumbs = [*_crumbs(user, period), (f"Класс {group.name}", url("class", group.pk, period=period.pk))]
    return Page(report=report, filters=[period_filter(periods, period, labelled=False)], crumbs=crumbs)
