"""Writes of school structure. Each checks the rules of docs/domain.md and saves nothing when one is broken.

The calendar (years, periods, holidays) is written here; classes, enrolment and subgroups live in `classes`
and are re-exported so that other apps have one module to call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet

from ejournal.access import roles, tenancy
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date

from . import signals
from .classes import (
    create_class,
    create_student,
    create_subgroup,
    current_enrolment,
    enrol,
    set_class_teachers,
    set_subgroup_members,
    transfer,
    withdraw,
)
from .models import (
    AcademicYear,
    Enrolment,
    Holiday,
    HolidayKind,
    Period,
    PeriodKind,
    PeriodScheme,
    School,
)
from .rules import required_text, span

__all__ = [
    "PERIOD_COUNTS",
    "PERIOD_KIND_PLURAL",
    "add_holiday",
    "create_class",
    "create_student",
    "create_subgroup",
    "create_year",
    "current_enrolment",
    "delete_holiday",
    "delete_period_scheme",
    "enrol",
    "periods_for_grade",
    "set_class_teachers",
    "set_period_scheme",
    "set_subgroup_members",
    "transfer",
    "update_holiday",
    "update_year",
    "withdraw",
]

PERIOD_COUNTS = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.TRIMESTER: 3}
PERIOD_KIND_PLURAL = {
    PeriodKind.QUARTER: "четверти",
    PeriodKind.HALF_YEAR: "полугодия",
    PeriodKind.TRIMESTER: "триместры",
}


def _check_grades(grade_from: int, grade_to: int) -> None:
    if not (1 <= grade_from <= grade_to <= 11):
        raise ValidationFailed(f"Параллели указаны неверно: с {grade_from} по {grade_to}. Допустимо с 1 по 11.")


def _check_yearspan(school_id: int, name: str, start: dt.date, end: dt.date, exclude_pk: int | None) -> None:
    if start >= end:
        raise ValidationFailed(f"Учебный год «{name}»: начало {ru_date(start)} не раньше окончания {ru_date(end)}.")
    others = AcademicYear.objects.filter(school_id=school_id).exclude(pk=exclude_pk)
    clash = others.filter(start__lte=end, end__gte=start).first()
    if clash:
        raise ValidationFailed(
            f"Учебный год «{name}» ({span(start, end)}) пересекается с годом «{clash.name}» "
            f"({span(clash.start, clash.end)})."
        )
    if others.filter(name=name).exists():
        raise ValidationFailed(f"Учебный год «{name}» уже есть.")


@transaction.atomic
def create_year(*, actor: User, school: School, name: str, start: dt.date, end: dt.date) -> AcademicYear:
    """A new academic year; years of a school never overlap."""
    roles.require(roles.manages_structure(actor) and tenancy.same_school(actor, school))
    name = required_text(name, what="название учебного года", max_length=20)
    _check_yearspan(school.pk, name, start, end, exclude_pk=None)
    return AcademicYear.objects.create(school=school, name=name, start=start, end=end)


@transaction.atomic
def update_year(*, actor: User, year: AcademicYear, name: str, start: dt.date, end: dt.date) -> AcademicYear:
    """Rename a year or move its dates; everything already in it (periods, holidays, enrolments, lessons)
    must stay inside the new dates, or nothing changes."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year)
    name = required_text(name, what="название учебного года", max_length=20)
    _check_yearspan(year.school_id, name, start, end, exclude_pk=year.pk)
    where = f"Учебный год «{name}» ({span(start, end)})"
    outside = Q(start__lt=start) | Q(end__gt=end)
    period = (
        Period.objects.filter(outside, school_id=year.school_id, scheme__year=year)
        .select_related("scheme")
        .order_by("scheme__grade_from", "number")
        .first()
    )
    if period:
        raise ValidationFailed(
            f"{where}: {period.name} {period.scheme.grade_from}–{period.scheme.grade_to} кл. "
            f"({span(period.start, period.end)}) окажется вне года. Сначала измените даты периода."
        )
    holiday = Holiday.objects.filter(outside, school_id=year.school_id, year=year).first()
    if holiday:
        raise ValidationFailed(
            f"{where}: «{holiday.name}» ({span(holiday.start, holiday.end)}) окажется вне года. "
            f"Сначала измените или удалите их."
        )
    enrolment = (
        Enrolment.objects.filter(Q(start__lt=start) | Q(end__gt=end), school_id=year.school_id, class_group__year=year)
        .select_related("student", "class_group")
        .first()
    )
    if enrolment:
        raise ValidationFailed(
            f"{where}: зачисление {enrolment.student.full_name} в {enrolment.class_group.name} "
            f"({span(enrolment.start, enrolment.end)}) окажется вне года."
        )
    # Lessons are curriculum's: it refuses through the hook (schools cannot import curriculum).
    signals.year_dates_changing.send(sender=AcademicYear, year=year, start=start, end=end, where=where)
    year.name, year.start, year.end = name, start, end
    year.save(update_fields=["name", "start", "end"])
    return year


def _check_periods(year: AcademicYear, kind: str, band: str, spans: Sequence[tuple[dt.date, dt.date]]) -> None:
    label = PeriodKind(kind).label
    expected = PERIOD_COUNTS[PeriodKind(kind)]
    if len(spans) != expected:
        raise ValidationFailed(
            f"Схема периодов {band}: {PERIOD_KIND_PLURAL[PeriodKind(kind)]} — это {expected} периода, "
            f"указано {len(spans)}."
        )
    for number, (start, end) in enumerate(spans, start=1):
        where = f"{band}: {number} {label} ({span(start, end)})"
        if start > end:
            raise ValidationFailed(f"{where}: начало позже окончания.")
        if start < year.start or end > year.end:
            raise ValidationFailed(
                f"{where} выходит за границы учебного года {year.name} ({span(year.start, year.end)})."
            )
        if number > 1:
            prev_start, prev_end = spans[number - 2]
            if start <= prev_end:
                raise ValidationFailed(
                    f"{where} пересекается с периодом {number - 1} {label} ({span(prev_start, prev_end)})."
                )


@transaction.atomic
def set_period_scheme(
    *,
    actor: User,
    year: AcademicYear,
    kind: str,
    grade_from: int,
    grade_to: int,
    spans: Sequence[tuple[dt.date, dt.date]],
) -> PeriodScheme:
    """Create or replace the periods of a band of grades (quarters for 1–9, half-years for 10–11…)."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year)
    _check_grades(grade_from, grade_to)
    if kind not in PeriodKind.values:
        raise ValidationFailed(f"Неизвестный вид периодов: {kind}.")
    if not spans:
        raise ValidationFailed("Укажите хотя бы один период.")
    band = f"{grade_from}–{grade_to} кл."
    _check_periods(year, kind, band, spans)
    schemes = PeriodScheme.objects.filter(school_id=year.school_id, year=year)
    scheme = schemes.filter(grade_from=grade_from, grade_to=grade_to).first()
    others = schemes.filter(grade_from__lte=grade_to, grade_to__gte=grade_from)
    if scheme:
        others = others.exclude(pk=scheme.pk)
    clash = others.first()
    if clash:
        raise ValidationFailed(f"Параллели {grade_from}–{grade_to} уже входят в схему «{clash}» этого учебного года.")
    if scheme is None:
        scheme = PeriodScheme.objects.create(
            school_id=year.school_id, year=year, kind=kind, grade_from=grade_from, grade_to=grade_to
        )
    else:
        _require_periods_changeable(scheme, spans, band)
        scheme.kind = kind
        scheme.save(update_fields=["kind"])
        _delete_periods(scheme.periods.filter(school_id=year.school_id, number__gt=len(spans)), band)
    for number, (start, end) in enumerate(spans, start=1):
        Period.objects.update_or_create(
            school_id=year.school_id, scheme=scheme, number=number, defaults={"start": start, "end": end}
        )
    return scheme


def _require_periods_changeable(scheme: PeriodScheme, spans: Sequence[tuple[dt.date, dt.date]], band: str) -> None:
    """A closed period keeps its dates: moving them would lock or unlock lessons behind the deputy's back."""
    for period in scheme.periods.filter(school_id=scheme.school_id, closures__isnull=False).distinct():
        if period.number > len(spans) or (period.start, period.end) != tuple(spans[period.number - 1]):
            raise ValidationFailed(
                f"{band}: {period.name} ({span(period.start, period.end)}) закрыт, его даты менять нельзя. "
                f"Сначала откройте период."
            )


def _delete_periods(periods: QuerySet[Period], band: str) -> None:
    try:
        periods.delete()
    except ProtectedError as e:
        # What protects a period is a period mark or a closure of the journal: both point at it.
        period = next(iter(e.protected_objects)).period  # type: ignore[attr-defined]
        raise ValidationFailed(
            f"{band}: по периоду {period.name} ({span(period.start, period.end)}) уже выставлены отметки "
            f"за период или он закрыт; удалить его нельзя."
        ) from e


@transaction.atomic
def delete_period_scheme(*, actor: User, scheme: PeriodScheme) -> None:
    """Remove a band's periods, unless period marks or closures already rest on them."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, scheme)
    band = f"{scheme.grade_from}–{scheme.grade_to} кл."
    _delete_periods(scheme.periods.filter(school_id=scheme.school_id), band)
    scheme.delete()


def periods_for_grade(year: AcademicYear, grade: int) -> list[Period]:
    """The periods that apply to a parallel in a year, in order."""
    return list(
        Period.objects.filter(
            school_id=year.school_id, scheme__year=year, scheme__grade_from__lte=grade, scheme__grade_to__gte=grade
        )
        .select_related("scheme")
        .order_by("start")
    )


def _check_holiday(
    year: AcademicYear,
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str,
    grade_from: int,
    grade_to: int,
    exclude_pk: int | None = None,
) -> str:
    """Raise on a broken rule; return how the holiday is named in messages."""
    _check_grades(grade_from, grade_to)
    if kind not in HolidayKind.values:
        raise ValidationFailed(f"Неизвестный вид дней: {kind}.")
    where = f"«{name}» ({span(start, end)})"
    if start > end:
        raise ValidationFailed(f"{where}: начало позже окончания.")
    if start < year.start or end > year.end:
        raise ValidationFailed(f"{where} выходит за границы учебного года {year.name} ({span(year.start, year.end)}).")
    min_days = School.objects.values_list("min_vacation_days", flat=True).get(pk=year.school_id)
    if kind == HolidayKind.VACATION and (end - start).days + 1 < min_days:
        raise ValidationFailed(f"Каникулы {where} короче {min_days} дней.")
    # A public holiday may fall inside a vacation; two vacations (or two holidays) on one day for the
    # same grades would be a typo that makes the calendar say two things at once.
    clash = (
        Holiday.objects.filter(
            school_id=year.school_id,
            year=year,
            kind=kind,
            start__lte=end,
            end__gte=start,
            grade_from__lte=grade_to,
            grade_to__gte=grade_from,
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash:
        raise ValidationFailed(
            f"{where} пересекается с «{clash.name}» ({span(clash.start, clash.end)}, "
            f"{clash.grade_from}–{clash.grade_to} кл.)."
        )
    return where


@transaction.atomic
def add_holiday(
    *,
    actor: User,
    year: AcademicYear,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str = HolidayKind.VACATION,
    grade_from: int = 1,
    grade_to: int = 11,
) -> Holiday:
    """Holidays and public holidays; lessons already generated on those days are removed if still empty,
    and a day with written lessons cannot become a holiday."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year)
    name = required_text(name, what="название каникул или праздника", max_length=100)
    where = _check_holiday(year, name=name, start=start, end=end, kind=kind, grade_from=grade_from, grade_to=grade_to)
    _remove_empty_lessons(year=year, start=start, end=end, grade_from=grade_from, grade_to=grade_to, where=where)
    return Holiday.objects.create(
        school_id=year.school_id,
        year=year,
        name=name,
        kind=kind,
        start=start,
        end=end,
        grade_from=grade_from,
        grade_to=grade_to,
    )


@transaction.atomic
def update_holiday(
    *,
    actor: User,
    holiday: Holiday,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str,
    grade_from: int,
    grade_to: int,
) -> Holiday:
    """Change a holiday by the same rules as adding one. Days it no longer covers get their lessons back
    only when the timetable's lessons are generated again."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, holiday)
    name = required_text(name, what="название каникул или праздника", max_length=100)
    year = holiday.year
    where = _check_holiday(
        year,
        name=name,
        start=start,
        end=end,
        kind=kind,
        grade_from=grade_from,
        grade_to=grade_to,
        exclude_pk=holiday.pk,
    )
    _remove_empty_lessons(year=year, start=start, end=end, grade_from=grade_from, grade_to=grade_to, where=where)
    holiday.name, holiday.kind, holiday.start, holiday.end = name, kind, start, end
    holiday.grade_from, holiday.grade_to = grade_from, grade_to
    holiday.save(update_fields=["name", "kind", "start", "end", "grade_from", "grade_to"])
    return holiday


@transaction.atomic
def delete_holiday(*, actor: User, holiday: Holiday) -> None:
    """The days become school days again; their lessons appear when the timetable's lessons are generated."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, holiday)
    holiday.delete()


def _remove_empty_lessons(
    *, year: AcademicYear, start: dt.date, end: dt.date, grade_from: int, grade_to: int, where: str
) -> None:
    # Lessons are curriculum's: it removes the empty ones or refuses through the hook.
    signals.days_closing.send(
        sender=Holiday, year=year, start=start, end=end, grade_from=grade_from, grade_to=grade_to, where=where
    )
