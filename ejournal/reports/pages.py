"""What every quality report page has besides its table: filters, tabs, the way back up, and the columns
of the figures, so the school summary, the teacher's report and the class report read alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode

from ejournal.core import inputs
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.core.time import school_today
from ejournal.journal import periods as journal_periods
from ejournal.schools.models import AcademicYear, Period, School
from ejournal.schools.selectors import default_year

from . import formulas
from .formulas import Counts
from .selectors import period_label, year_periods
from .tables import CellValue, Column, KeyFigure, Report


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    choices: list[Choice]


@dataclass
class Page:
    """A report with what its page shows around it; the API and the files use `report` alone."""

    report: Report
    filters: list[Filter] = field(default_factory=list)
    tabs: list[tuple[str, str, bool]] = field(default_factory=list)  # title, url, current
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # title, url


def url(name: str, *args: int, **query: str | int | None) -> str:
    given = {k: v for k, v in query.items() if v is not None and v != ""}
    base = reverse(f"reports:{name}", args=args)
    return f"{base}?{urlencode(given)}" if given else base


def parse_id(raw: str | None, name: str) -> int | None:
    """An id from a query string, read by core.inputs; empty is None. The reports refuse a bad one with 422
    (as their other filters), naming the parameter in Russian."""
    raw = (raw or "").strip()
    if not raw:
        return None
    value = inputs.id_or_none(raw)
    if value is None:
        raise ValidationFailed(f"Неверный параметр «{name}»: нужно число — номер записи (от 1).", field=name)
    return value


def parse_view(raw: str | None) -> str:
    view = raw or "students"
    if view not in ("students", "subjects"):
        raise ValidationFailed("Вид отчёта: students (ученики) или subjects (предметы).", field="view")
    return view


# --- periods -----------------------------------------------------------------------------------------------


def school_period(school: School, period_id: int | None, *, grade: int | None = None) -> tuple[Period, list[Period]]:
    """The period asked for (of this school, else 404) with the periods of its year for the filter; without
    one, today's period of the current year for `grade` (by default the youngest grade band)."""
    if period_id is not None:
        period = Period.objects.filter(school_id=school.pk, pk=period_id).select_related("scheme__year").first()
        if period is None:
            raise NotFound()
        return period, year_periods(school, period.scheme.year_id)
    today = school_today(school.timezone)
    year = default_year(list(AcademicYear.objects.filter(school_id=school.pk)), today)
    periods = year_periods(school, year.pk) if year else []
    if not periods:
        raise NotFound("В школе нет учебного года с периодами: отчёт строить не по чему.")
    scheme_id = next(
        (p.scheme_id for p in periods if grade is not None and p.scheme.grade_from <= grade <= p.scheme.grade_to),
        periods[0].scheme_id,
    )
    current = journal_periods.current_period([p for p in periods if p.scheme_id == scheme_id], today)
    assert current is not None  # the band has periods
    return current, periods


def class_period(group_periods: list[Period], period_id: int | None, school: School) -> Period:
    """A period of the class's own grade band (another band's or school's is 404); today's without one."""
    if not group_periods:
        raise NotFound("У класса нет учебных периодов.")
    if period_id is None:
        current = journal_periods.current_period(group_periods, school_today(school.timezone))
        assert current is not None
        return current
    found = next((p for p in group_periods if p.pk == period_id), None)
    if found is None:
        raise NotFound()
    return found


def period_filter(periods: list[Period], current: Period, *, labelled: bool = True) -> Filter:
    return Filter(
        "period",
        "Период",
        [Choice(str(p.pk), period_label(p) if labelled else p.name, p.pk == current.pk) for p in periods],
    )


# --- columns of figures ------------------------------------------------------------------------------------

RESULT = "Итоги"
STUDENT_COLUMNS = [
    Column("Учеников", "int"),
    Column("Отличники", "int", group="Учеников по итогам"),
    Column("Хорошисты", "int", group="Учеников по итогам"),
    Column("С одной «4»", "int", group="Учеников по итогам"),
    Column("С одной «3»", "int", group="Учеников по итогам"),
    Column("С «3»", "int", group="Учеников по итогам"),
    Column("С «2»", "int", group="Учеников по итогам"),
    Column("Н/а", "int", group="Учеников по итогам"),
    Column("Освобождены", "int", group="Учеников по итогам"),
    Column("Без отметок", "int", group="Учеников по итогам"),
]
MARK_COLUMNS = [
    Column("Учеников", "int"),
    Column("«5»", "int", group="Отметок"),
    Column("«4»", "int", group="Отметок"),
    Column("«3»", "int", group="Отметок"),
    Column("«2»", "int", group="Отметок"),
    Column("н/а", "int", group="Отметок"),
    Column("осв.", "int", group="Отметок"),
    Column("Без отметок", "int", group="Отметок"),
]
RESULT_COLUMNS = [
    Column("Качество знаний", "percent", group=RESULT),
    Column("Успеваемость", "percent", group=RESULT),
    Column("СОУ", "percent", group=RESULT),
    Column("Средний балл", "number", group=RESULT),
]
CHANGE_COLUMNS = [
    Column("Качество, изменение", "number", group="К прошлому периоду"),
    Column("Успеваемость, изменение", "number", group="К прошлому периоду"),
]


def as_float(value: Decimal | None) -> float | None:
    """A figure for a chart bar; None draws «нет данных»."""
    return float(value) if value is not None else None


def results(c: Counts) -> tuple[CellValue, ...]:
    return (c.quality, c.success, c.sou, c.average)


def student_cells(c: Counts) -> tuple[CellValue, ...]:
    """The STUDENT_COLUMNS and RESULT_COLUMNS of a group counted by each student's worst mark."""
    return (
        c.students,
        c.n5,
        c.n4,
        c.one_four,
        c.one_three,
        c.n3,
        c.n2,
        c.n_na,
        c.exempt,
        c.no_marks,
        *results(c),
    )


def mark_cells(c: Counts) -> tuple[CellValue, ...]:
    """The MARK_COLUMNS and RESULT_COLUMNS of a subject (one mark per student)."""
    return (c.students, c.n5, c.n4, c.n3, c.n2, c.n_na, c.exempt, c.no_marks, *results(c))


def change_cells(now: Counts, before: Counts | None) -> tuple[Decimal | None, Decimal | None]:
    if before is None:
        return (None, None)
    return (formulas.change(now.quality, before.quality), formulas.change(now.success, before.success))


def result_figures(c: Counts) -> list[KeyFigure]:
    return [
        KeyFigure("Учтено учеников (N)", c.counted),
        KeyFigure("Качество знаний", c.quality, "percent"),
        KeyFigure("Успеваемость", c.success, "percent"),
        KeyFigure("СОУ", c.sou, "percent"),
        KeyFigure("Средний балл", c.average, "number"),
    ]


def notes_for(c: Counts, suggested: int) -> list[str]:
    """What the reader must know before reading the figures: nothing to count, or suggestions counted."""
    notes = []
    if not c.counted:
        notes.append(
            f"{formulas.NO_MARKS_TEXT.capitalize()}: в периоде нет отметок, по которым считаются качество, "
            f"успеваемость и СОУ (все ученики без отметок или освобождены)."
        )
    if suggested:
        notes.append(
            f"Отметка за период ещё не выставлена в {suggested} случ.: учтена предлагаемая по среднему "
            f"взвешенному баллу (по порогам школы)."
        )
    return notes
