"""The span a report covers — a period, a month or two dates — read from the query string of the page
and of the API (through ejournal/core/inputs.py), and the school's calendar around it (year, periods, study
days).

A period belongs to a band of grades (quarters for 1–9, half-years for 10–11), so a report for a period
covers only the classes of its grades; a month or two dates cover every class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ejournal.access.journal_keeping import require_keeping_reports
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.core.time import MONTHS_RU, ru_date, school_today
from ejournal.schools.models import AcademicYear, Period, School

# Longer spans would read a whole region's worth of rows for nothing: a school year is at most ~10 months.
MAX_SPAN_DAYS = 400


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date
    label: str
    kind: str  # "period", "month", "dates" or "year" (the default of program execution)
    period: Period | None = None

    def query(self) -> dict[str, str]:
        """The query string that gives this span back (for drill-down links)."""
        if self.period is not None:
            return {"period": str(self.period.pk)}
        if self.kind == "month":
            return {"month": f"{self.start:%Y-%m}"}
        if self.kind == "year":
            return {}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def covers_grade(self, grade: int) -> bool:
        return self.period is None or self.period.scheme.covers(grade)

    def clipped(self, last: dt.date) -> tuple[dt.date, dt.date] | None:
        """The span up to `last` (today or yesterday), or None when it has not begun by then."""
        end = min(self.end, last)
        return (self.start, end) if end >= self.start else None


@dataclass(frozen=True)
class Calendar:
    """The school, its today, the year of today (or the latest) and that year's periods of every band."""

    school: School
    today: dt.date
    year: AcademicYear | None
    periods: list[Period]

    def periods_of_grade(self, grade: int) -> list[Period]:
        return [p for p in self.periods if p.scheme.covers(grade)]

    def study_days(self, grade: int, start: dt.date, end: dt.date) -> int:
        """Days of the span that lie in the grade's periods (holidays between periods left out)."""
        return sum(overlap(p.start, p.end, start, end) for p in self.periods_of_grade(grade))

    def period_choices(self) -> list[tuple[int, str]]:
        return [(p.pk, period_label(p)) for p in self.periods]


def overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> int:
    return max(0, (min(a_end, b_end) - max(a_start, b_start)).days + 1)


def period_label(period: Period) -> str:
    scheme = period.scheme
    return f"{period.name} ({scheme.grade_from}–{scheme.grade_to} кл.)"


def school_calendar(user: User) -> Calendar:
    """Three queries: the school, the year, its periods."""
    school = School.objects.get(pk=user.school_id)
    return calendar_of(school, school_today(school.timezone))


def calendar_of(school: School, today: dt.date) -> Calendar:
    """The school's calendar around `today` (the worker's reports give the day they are made for)."""
    years = AcademicYear.objects.filter(school_id=school.pk)
    year = years.filter(start__lte=today, end__gte=today).first() or years.order_by("-start").first()
    periods = (
        list(Period.objects.filter(school_id=school.pk, scheme__year=year).select_related("scheme").order_by("start"))
        if year
        else []
    )
    return Calendar(school=school, today=today, year=year, periods=periods)


def _date(raw: str, field: str) -> dt.date:
    day = inputs.dotted_date_or_none(raw)
    if day is None:
        raise ValidationFailed(
            f"Дата «{raw}» указана неверно: нужна дата вида 01.09.2026 между {inputs.MIN_DATE.year} и "
            f"{inputs.MAX_DATE.year} годом.",
            field=field,
        )
    return day


def month_span(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def parse_span(calendar: Calendar, params: Mapping[str, str], *, default: str = "month") -> Span:
    """`period` (id), `month` (2026-11), or `start` and `end`; without any, the current month (default
    "month") or the year up to today (default "year"). Bad input is a ValidationFailed in Russian; a
    period of another school or year is a 404."""
    period_raw = (params.get("period") or "").strip()
    month_raw = (params.get("month") or "").strip()
    start_raw = (params.get("start") or "").strip()
    end_raw = (params.get("end") or "").strip()
    if period_raw:
        period_id = inputs.id_or_none(period_raw)
        if period_id is None:
            raise ValidationFailed("Период указан неверно.", field="period")
        period = next((p for p in calendar.periods if p.pk == period_id), None)
        if period is None:
            raise NotFound()
        label = f"{period_label(period)}, {ru_date(period.start)}–{ru_date(period.end)}"
        return Span(period.start, period.end, label, "period", period)
    if month_raw:
        first = inputs.month_or_none(month_raw)
        if first is None:
            raise ValidationFailed(
                f"Месяц «{month_raw}» указан неверно: нужен вид 2026-11, год от {inputs.MIN_DATE.year} до "
                f"{inputs.MAX_DATE.year}.",
                field="month",
            )
        start, end = month_span(first)
        return Span(start, end, f"{MONTHS_RU[first.month - 1]} {first.year}", "month")
    if start_raw or end_raw:
        if not (start_raw and end_raw):
            raise ValidationFailed("Укажите обе даты: с какого и по какое число.", field="start" if end_raw else "end")
        start, end = _date(start_raw, "start"), _date(end_raw, "end")
        if start > end:
            raise ValidationFailed("Дата начала позже даты окончания.", field="start")
        if (end - start).days > MAX_SPAN_DAYS:
            raise ValidationFailed(f"Слишком длинный промежуток: не больше {MAX_SPAN_DAYS} дней.", field="end")
        return Span(start, end, f"{ru_date(start)}–{ru_date(end)}", "dates")
    if default == "year" and calendar.year is not None:
        year = calendar.year
        return Span(year.start, year.end, f"{year.name} учебный год", "year")
    start, end = month_span(calendar.today)
    return Span(start, end, f"{MONTHS_RU[start.month - 1]} {start.year}", "month")


def calendar_and_span(user: User, params: Mapping[str, str], *, default: str = "month") -> tuple[Calendar, Span]:
    """What every keeping report starts with, for the page and the API alike: the access check (404 for
    those without these reports), then the school's calendar and the span asked for."""
    require_keeping_reports(user)
    calendar = school_calendar(user)
    return calendar, parse_span(calendar, params, default=default)


def id_param(params: Mapping[str, str], key: str, title: str) -> int | None:
    raw = (params.get(key) or "").strip()
    if not raw:
        return None
    value = inputs.id_or_none(raw)
    if value is None:
        raise ValidationFailed(f"Поле «{title}» заполнено неверно.", field=key)
    return value
