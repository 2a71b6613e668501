"""Reads of the school structure for its pages and API: each a fixed number of queries whatever the size."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from ejournal.accounts.models import User

from .calendar_defaults import YearSpec, recommended_year
from .models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Holiday,
    HolidayKind,
    Period,
    PeriodScheme,
    Subgroup,
    SubgroupMember,
)

MONTHS_RU = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
]

# What a day of the visual calendar is, and the class of app.css that colours it.
DAY_CSS = {"study": "", "vacation": "day-holiday", "public": "day-public", "outside": "day-off", "sunday": "day-off"}


def clamp(day: dt.date, start: dt.date, end: dt.date) -> dt.date:
    return max(start, min(day, end))


def default_year(years: Sequence[AcademicYear], today: dt.date) -> AcademicYear | None:
    """The year containing today; in the summer the coming one; else the latest."""
    for year in years:
        if year.contains(today):
            return year
    coming = [y for y in years if y.start > today]
    if coming:
        return min(coming, key=lambda y: y.start)
    return max(years, key=lambda y: y.start, default=None)


def next_year_spec(years: Sequence[AcademicYear], today: dt.date) -> YearSpec:
    """What the "new year" form proposes: the recommended calendar of the year after the latest one."""
    if years:
        return recommended_year(max(y.end for y in years).year)
    # Without any year yet: the school year running now, or starting this autumn.
    return recommended_year(today.year if today.month >= 6 else today.year - 1)


@dataclass(frozen=True)
class DayCell:
    date: dt.date
    kind: str
    title: str

    @property
    def css(self) -> str:
        return DAY_CSS[self.kind]


@dataclass(frozen=True)
class MonthGrid:
    title: str
    weeks: list[list[DayCell | None]]


@dataclass(frozen=True)
class PeriodDays:
    """School days of a period for the chosen grade: for a five- and a six-day week."""

    period: Period
    five_day: int
    six_day: int


@dataclass
class CalendarPage:
    year: AcademicYear
    grade: int
    schemes: list[PeriodScheme]
    holidays: list[Holiday]
    months: list[MonthGrid] = field(default_factory=list)
    grade_periods: list[PeriodDays] = field(default_factory=list)


def classify_day(day: dt.date, grade: int, periods: Sequence[Period], holidays: Sequence[Holiday]) -> DayCell:
    """A public holiday wins over a vacation around it (it is the more specific fact about the day)."""
    for kind in (HolidayKind.PUBLIC, HolidayKind.VACATION):
        for holiday in holidays:
            if holiday.kind == kind and holiday.covers(day, grade):
                return DayCell(day, "public" if kind == HolidayKind.PUBLIC else "vacation", holiday.name)
    period = next((p for p in periods if p.start <= day <= p.end), None)
    if period is None:
        return DayCell(day, "outside", "вне учебных периодов")
    if day.isoweekday() == 7:
        return DayCell(day, "sunday", "воскресенье")
    return DayCell(day, "study", period.name)


def month_grids(
    start: dt.date, end: dt.date, grade: int, periods: Sequence[Period], holidays: Sequence[Holiday]
) -> list[MonthGrid]:
    """One Monday-to-Sunday grid per month from `start` to `end`; days of the month outside the year are
    shown as outside, days of the neighbouring months are blank."""
    grids: list[MonthGrid] = []
    weeks_of = pycalendar.Calendar(firstweekday=0).monthdatescalendar
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        weeks: list[list[DayCell | None]] = []
        for week in weeks_of(year, month):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                elif start <= day <= end:
                    row.append(classify_day(day, grade, periods, holidays))
                else:
                    row.append(DayCell(day, "outside", "вне учебного года"))
            weeks.append(row)
        grids.append(MonthGrid(title=f"{MONTHS_RU[month - 1]} {year}", weeks=weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return grids


def period_days(period: Period, grade: int, holidays: Sequence[Holiday]) -> PeriodDays:
    five = six = 0
    day = period.start
    while day <= period.end:
        weekday = day.isoweekday()
        if weekday <= 6 and not any(h.covers(day, grade) for h in holidays):
            six += 1
            five += weekday <= 5
        day += dt.timedelta(days=1)
    return PeriodDays(period=period, five_day=five, six_day=six)


def calendar_page(*, year: AcademicYear, grade: int) -> CalendarPage:
    """The calendar page of a year seen for one grade: two queries."""
    schemes = list(
        PeriodScheme.objects.filter(school_id=year.school_id, year=year)
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.filter(school_id=year.school_id).order_by("number"))
        )
        .order_by("grade_from")
    )
    holidays = list(Holiday.objects.filter(school_id=year.school_id, year=year).order_by("start", "grade_from"))
    periods = [p for s in schemes if s.covers(grade) for p in s.periods.all()]
    return CalendarPage(
        year=year,
        grade=grade,
        schemes=schemes,
        holidays=holidays,
        months=month_grids(year.start, year.end, grade, periods, holidays),
        grade_periods=[period_days(p, grade, holidays) for p in periods],
    )


def _active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def with_roster_size(classes: QuerySet[ClassGroup], *, on: dt.date) -> QuerySet[ClassGroup]:
    """Classes with `students_now` (enrolled on `on`) and their class teachers: two queries."""
    return (
        classes.annotate(students_now=Count("enrolments", filter=_active_on(on, "enrolments__"), distinct=True))
        .prefetch_related(
            Prefetch("class_teachers", queryset=User.objects.order_by("last_name", "first_name", "middle_name"))
        )
        .order_by("grade", "letter")
    )


def class_rows(classes: QuerySet[ClassGroup], *, on: dt.date) -> list[ClassGroup]:
    return list(with_roster_size(classes, on=on))


@dataclass(frozen=True)
class SubgroupBlock:
    subgroup: Subgroup
    member_ids: frozenset[int]


@dataclass
class ClassPage:
    class_group: ClassGroup
    on: dt.date
    current: list[Enrolment]
    left: list[Enrolment]
    coming: list[Enrolment]
    subgroups: list[SubgroupBlock]
    # Who may be ticked in a subgroup: the class on `on` and whoever is already a member.
    member_choices: list[User]


def class_page(*, class_group: ClassGroup, on: dt.date) -> ClassPage:
    """The roster of a class on a day (and who left or comes later), with its subgroups: three queries."""
    enrolments = list(
        Enrolment.objects.filter(school_id=class_group.school_id, class_group=class_group)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "start")
    )
    subgroups = list(
        Subgroup.objects.filter(school_id=class_group.school_id, class_group=class_group)
        .select_related("subject")
        .prefetch_related(Prefetch("members", SubgroupMember.objects.filter(school_id=class_group.school_id)))
        .order_by("subject__name", "name")
    )
    current = [e for e in enrolments if e.active_on(on)]
    blocks = [SubgroupBlock(s, frozenset(m.student_id for m in s.members.all())) for s in subgroups]
    members = set().union(*(b.member_ids for b in blocks))
    choices: dict[int, User] = {}
    for e in enrolments:
        if e.active_on(on) or e.student_id in members:
            choices.setdefault(e.student_id, e.student)
    return ClassPage(
        class_group=class_group,
        on=on,
        current=current,
        left=[e for e in enrolments if e.end is not None and e.end < on],
        coming=[e for e in enrolments if e.start > on],
        subgroups=blocks,
        member_choices=list(choices.values()),
    )


def open_in_class(class_group: ClassGroup, on: dt.date) -> QuerySet[Enrolment]:
    """Enrolments in the class that have not ended before `on`: whom one may transfer or withdraw."""
    return Enrolment.objects.filter(school_id=class_group.school_id, class_group=class_group).filter(
        Q(end__isnull=True) | Q(end__gte=on)
    )


def still_in_year(year: AcademicYear) -> QuerySet[Enrolment]:
    """Enrolments of the year with no end: those students are in a class and cannot be enrolled again."""
    return Enrolment.objects.filter(school_id=year.school_id, class_group__year=year, end__isnull=True)


def enrolments_on(class_group: ClassGroup, on: dt.date) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(_active_on(on), school_id=class_group.school_id, class_group=class_group)


def was_enrolled(student: User, class_group_id: int, start: dt.date, end: dt.date) -> bool:
    """Whether the student was in the class on some day from `start` to `end` (both included)."""
    return (
        Enrolment.objects.filter(
            school_id=student.school_id, student=student, class_group_id=class_group_id, start__lte=end
        )
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .exists()
    )


def in_subgroup(student: User, subgroup_id: int | None) -> bool:
    """A lesson of the whole class (`subgroup_id` None) is everyone's; a subgroup lesson is its members'."""
    return (
        subgroup_id is None
        or SubgroupMember.objects.filter(school_id=student.school_id, subgroup_id=subgroup_id, student=student).exists()
    )
