"""Selectors of the diary's marks: every mark by subject for a period with the weighted average and the
period and year marks, and the history of period marks over the years. Fixed query counts.

The weighted average is the journal's own (journal.values.weighted_average over journal.counting's marks
that count, with the weights of their kinds), so the parent sees the figure the teacher sees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ejournal.access.diary import student_lessons, student_periods
from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.journal import counting
from ejournal.journal.models import PeriodMark, PeriodMarkKind
from ejournal.journal.periods import current_period
from ejournal.journal.values import weighted_average
from ejournal.schools.models import AcademicYear, Period


@dataclass(frozen=True)
class SubjectMark:
    lesson_id: int
    date: dt.date
    value: str
    kind: str
    weight: Decimal
    comment: str
    source: str = ""  # the class the mark was given in («7А»): a transfer leaves marks of two classes


@dataclass
class SubjectLine:
    subject_id: int
    name: str
    marks: list[SubjectMark] = field(default_factory=list)
    period_mark: str = ""
    year_mark: str = ""

    @property
    def average(self) -> Decimal | None:
        return weighted_average((m.value, m.weight) for m in self.marks)

    @property
    def several_classes(self) -> bool:
        """The marks came from more than one class (a transfer in the period): the page names the class."""
        return len({m.source for m in self.marks}) > 1


@dataclass
class PeriodReport:
    student: User
    period: Period | None
    periods: list[Period]
    subjects: list[SubjectLine]


def choose_period(periods: list[Period], period_id: int | None, today: dt.date) -> Period | None:
    """The asked period, which must be one of the student's (else NotFound), or the period of today."""
    if period_id is not None:
        found = next((p for p in periods if p.pk == period_id), None)
        if found is None:
            raise NotFound()
        return found
    return current_period(periods, today)


def period_report(student: User, *, period_id: int | None, today: dt.date) -> PeriodReport:
    """The student's marks in each subject of the period (date, value, kind of work and its weight), the
    weighted average, the period mark and the year mark. Four queries."""
    periods = list(student_periods(student))
    period = choose_period(periods, period_id, today)
    if period is None:
        return PeriodReport(student=student, period=None, periods=periods, subjects=[])
    lines: dict[int, SubjectLine] = {}

    def line(subject_id: int, name: str) -> SubjectLine:
        if subject_id not in lines:
            lines[subject_id] = SubjectLine(subject_id, name)
        return lines[subject_id]

    # Subjects of the period's timetable come first, so that a subject without marks is shown too.
    for subject_id, name in (
        student_lessons(student)
        .filter(date__range=period.range)
        .order_by()
        .values_list("subject_id", "subject__name")
        .distinct()
    ):
        line(subject_id, name)
    # The marks that count, as the journal counts them (journal.counting): the held lessons of the period,
    # on days of enrolment, in whichever class the student sat — the teacher sees the same average.
    marks = (
        counting.marks_that_count(
            school_id=student.school_id or 0, start=period.start, end=period.end, students=[student.pk]
        )
        .order_by("lesson__date", "lesson__number", "position")
        .values_list(
            "lesson_id",
            "lesson__date",
            "lesson__subject_id",
            "lesson__subject__name",
            "value",
            "kind__name",
            "kind__weight",
            "comment",
            "lesson__class_group__grade",
            "lesson__class_group__letter",
        )
    )
    for lesson_id, day, subject_id, name, value, kind, weight, comment, grade, letter in marks:
        source = counting.class_label(grade, letter)
        line(subject_id, name).marks.append(SubjectMark(lesson_id, day, value, kind, weight, comment, source))
    for subject_id, name, kind, mark_period_id, value in PeriodMark.objects.filter(
        school_id=student.school_id,
        student_id=student.pk,
        year_id=period.scheme.year_id,
        kind__in=[PeriodMarkKind.PERIOD, PeriodMarkKind.YEAR],
    ).values_list("subject_id", "subject__name", "kind", "period_id", "value"):
        if kind == PeriodMarkKind.YEAR:
            line(subject_id, name).year_mark = value
        elif mark_period_id == period.pk:
            line(subject_id, name).period_mark = value
    subjects = sorted(lines.values(), key=lambda s: (s.name, s.subject_id))
    return PeriodReport(student=student, period=period, periods=periods, subjects=subjects)


# --- history of period marks -----------------------------------------------------------------------------

FINAL_KINDS = (PeriodMarkKind.YEAR, PeriodMarkKind.EXAM, PeriodMarkKind.FINAL)


@dataclass
class ResultsRow:
    subject_id: int
    name: str
    periods: list[str]  # by the year's periods, "" where there is no mark
    finals: list[str]  # by the year's final kinds (year, and exam and final where the year has them)


@dataclass
class YearResults:
    year: AcademicYear
    periods: list[Period]
    final_kinds: list[tuple[str, str]]  # (kind, label)
    rows: list[ResultsRow]


def results(student: User) -> list[YearResults]:
    """Period, year, exam and final marks of every year the student has, newest year first. Two queries."""
    periods = list(student_periods(student))
    years: dict[int, AcademicYear] = {}
    year_periods: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        years[period.scheme.year_id] = period.scheme.year
        year_periods[period.scheme.year_id].append(period)
    marks = PeriodMark.objects.filter(
        school_id=student.school_id, student_id=student.pk, year_id__in=list(years)
    ).values_list("year_id", "kind", "period_id", "subject_id", "subject__name", "value")
    values: dict[int, dict[int, dict[tuple[str, int | None], str]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[int, str] = {}
    for year_id, kind, period_id, subject_id, name, value in marks:
        values[year_id][subject_id][(kind, period_id)] = value
        names[subject_id] = name
    found = []
    for year_id, year in sorted(years.items(), key=lambda item: item[1].start, reverse=True):
        own = values.get(year_id, {})
        kinds_used = {kind for cells in own.values() for kind, _ in cells}
        # The year mark's column always stands; exam and final only in a year that has them (grades 9, 11).
        shown = [kind for kind in FINAL_KINDS if kind == PeriodMarkKind.YEAR or kind in kinds_used]
        final_kinds = [(str(kind), str(PeriodMarkKind(kind).label)) for kind in shown]
        rows = [
            ResultsRow(
                subject_id=subject_id,
                name=names[subject_id],
                periods=[cells.get((PeriodMarkKind.PERIOD, p.pk), "") for p in year_periods[year_id]],
                finals=[cells.get((kind, None), "") for kind, _ in final_kinds],
            )
            for subject_id, cells in own.items()
        ]
        rows.sort(key=lambda row: (row.name, row.subject_id))
        found.append(YearResults(year=year, periods=year_periods[year_id], final_kinds=final_kinds, rows=rows))
    return found
