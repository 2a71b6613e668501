"""«Календарь учебного года»: years, period schemes, holidays and the visual calendar of a grade."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.time import WEEKDAYS_SHORT_RU

from .. import selectors, services
from ..calendar_defaults import recommended_year
from ..forms import HolidayForm, PeriodSchemeForm, YearCreateForm, YearForm
from ..models import AcademicYear
from ..setup import create_year_from_spec
from .common import parse_grade, require_manager, require_reader, school_day, submit, year_id_or_404


def _calendar_url(year: AcademicYear | None, grade: int, anchor: str = "") -> str:
    url = reverse("schools:calendar")
    if year is not None:
        url += f"?year={year.pk}&grade={grade}"
    return url + (f"#{anchor}" if anchor else "")


def _selected_year(request: HttpRequest, user: User, years: list[AcademicYear]) -> AcademicYear | None:
    year_id = year_id_or_404(request)
    if year_id is not None:
        return get_object_or_404(access_schools.visible_years(user), pk=year_id)
    return selectors.default_year(years, school_day(user))


def _render(
    request: HttpRequest,
    *,
    year: AcademicYear | None = None,
    bound: dict[str, Any] | None = None,
    row_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    years = list(access_schools.visible_years(user).order_by("-start"))
    if year is None:
        year = _selected_year(request, user, years)
    grade = parse_grade(request.GET.get("grade"))
    bound = bound or {}
    page = selectors.calendar_page(year=year, grade=grade) if year else None
    can_manage = roles.manages_structure(user)
    context: dict[str, Any] = {
        "years": years,
        "year": year,
        "grade": grade,
        "grades": range(1, 12),
        "weekdays": WEEKDAYS_SHORT_RU,
        "page": page,
        "can_manage": can_manage,
    }
    if can_manage:
        spec = selectors.next_year_spec(years, school_day(user))
        context["year_create_form"] = bound.get("year_create") or YearCreateForm(
            prefix="new-year", initial={"name": spec.name, "start": spec.start, "end": spec.end}
        )
    if can_manage and page is not None and year is not None:
        context["year_form"] = bound.get("year") or YearForm(
            prefix="year", initial={"name": year.name, "start": year.start, "end": year.end}
        )
        errors = row_errors or {}
        context["scheme_forms"] = [
            (s, bound.get(f"scheme-{s.pk}") or PeriodSchemeForm.for_scheme(s), errors.get(f"scheme-{s.pk}", ""))
            for s in page.schemes
        ]
        context["scheme_new_form"] = bound.get("scheme_new") or PeriodSchemeForm(prefix="new-scheme", with_grades=True)
        context["holiday_forms"] = [
            (h, bound.get(f"holiday-{h.pk}") or HolidayForm.for_holiday(h)) for h in page.holidays
        ]
        context["holiday_new_form"] = bound.get("holiday_new") or HolidayForm(prefix="new-holiday")
    return render(request, "schools/calendar.html", context, status=status)


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    require_reader(current_user(request))
    return _render(request)


@login_required
@require_POST
def year_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    form = YearCreateForm(request.POST, prefix="new-year")
    created: list[AcademicYear] = []

    def action(data: dict[str, Any]) -> str:
        name, start, end = data["name"], data["start"], data["end"]
        school = user.school
        assert school is not None  # require_manager: the user is in a school
        if data["fill_recommended"]:
            spec = dataclasses.replace(recommended_year(start.year), name=name, start=start, end=end)
            created.append(create_year_from_spec(actor=user, school=school, spec=spec))
            return f"Учебный год {name} создан по рекомендованному календарю. Проверьте даты периодов и каникул."
        created.append(services.create_year(actor=user, school=school, name=name, start=start, end=end))
        return f"Учебный год {name} создан. Добавьте учебные периоды и каникулы."

    status = submit(request, form, action)
    if status is None:
        return redirect(_calendar_url(created[0], parse_grade(request.GET.get("grade"))))
    return _render(request, bound={"year_create": form}, status=status)


def _year(request: HttpRequest, year_id: int) -> AcademicYear:
    user = current_user(request)
    require_manager(user)
    return get_object_or_404(access_schools.visible_years(user), pk=year_id)


@login_required
@require_POST
def year_update(request: HttpRequest, year_id: int) -> HttpResponse:
    year = _year(request, year_id)
    user = current_user(request)
    form = YearForm(request.POST, prefix="year")

    def action(data: dict[str, Any]) -> str:
        services.update_year(actor=user, year=year, name=data["name"], start=data["start"], end=data["end"])
        return f"Учебный год {year.name} сохранён."

    status = submit(request, form, action)
    if status is None:
        return redirect(_calendar_url(year, parse_grade(request.GET.get("grade")), "year"))
    return _render(request, year=year, bound={"year": form}, status=status)


@login_required
@require_POST
def scheme_create(request: HttpRequest, year_id: int) -> HttpResponse:
    year = _year(request, year_id)
    user = current_user(request)
    form = PeriodSchemeForm(request.POST, prefix="new-scheme", with_grades=True)

    def action(data: dict[str, Any]) -> str:
        grade_from, grade_to = data["grade_from"], data["grade_to"]
        if year.schemes.filter(school_id=year.school_id, grade_from=grade_from, grade_to=grade_to).exists():
            raise ValidationFailed(f"Схема периодов для {grade_from}–{grade_to} кл. уже есть: измените её даты выше.")
        scheme = services.set_period_scheme(
            actor=user, year=year, kind=data["kind"], grade_from=grade_from, grade_to=grade_to, spans=data["spans"]
        )
        return f"Учебные периоды {scheme} сохранены."

    status = submit(request, form, action)
    if status is None:
        return redirect(_calendar_url(year, parse_grade(request.GET.get("grade")), "periods"))
    return _render(request, year=year, bound={"scheme_new": form}, status=status)


@login_required
@require_POST
def scheme_update(request: HttpRequest, scheme_id: int) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    scheme = get_object_or_404(access_schools.visible_period_schemes(user).select_related("year"), pk=scheme_id)
    form = PeriodSchemeForm.for_scheme(scheme, data=request.POST)

    def action(data: dict[str, Any]) -> str:
        saved = services.set_period_scheme(
            actor=user,
            year=scheme.year,
            kind=data["kind"],
            grade_from=scheme.grade_from,
            grade_to=scheme.grade_to,
            spans=data["spans"],
        )
        return f"Даты периодов {saved} сохранены."

    status = submit(request, form, action)
    if status is None:
        return redirect(_calendar_url(scheme.year, parse_grade(request.GET.get("grade")), "periods"))
    return _render(request, year=scheme.year, bound={f"scheme-{scheme.pk}": form}, status=status)


@login_required
@require_POST
def scheme_delete(request: HttpRequest, scheme_id: int) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    scheme = get_object_or_404(access_schools.visible_period_schemes(user).select_related("year"), pk=scheme_id)
    label = str(scheme)
    with refused() as refusal:
        services.delete_period_scheme(actor=user, scheme=scheme)
    if refusal.error is not None:
        return _render(
            request, year=scheme.year, row_errors={f"scheme-{scheme.pk}": refusal.message}, status=refusal.status
        )
    messages.success(request, f"Схема периодов «{label}» удалена.")
    return redirect(_calendar_url(scheme.year, parse_grade(request.GET.get("grade")), "periods"))


def _holiday_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("name", "kind", "start", "end", "grade_from", "grade_to")}


@login_required
@require_POST
def holiday_create(request: HttpRequest, year_id: int) -> HttpResponse:
    year = _year(request, year_id)
    user = current_user(request)
    form = HolidayForm(request.POST, prefix="new-holiday")

    def action(data: dict[str, Any]) -> str:
        holiday = services.add_holiday(actor=user, year=year, **_holiday_kwargs(data))
        return f"Добавлено в календарь: «{holiday.name}» ({holiday.start:%d.%m.%Y}–{holiday.end:%d.%m.%Y})."

    status = submit(request, form, action)
    if status is None:
        return redirect(_calendar_url(year, parse_grade(request.GET.get("grade")), "holidays"))
    return _render(request, year=year, bound={"holiday_new": form}, status=status)


@login_required
@require_POST
def holiday_update(request: HttpRequest, holiday_id: int) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    holiday = get_object_or_404(access_schools.visible_holidays(user).select_related("year"), pk=holiday_id)
    form = HolidayForm.for_holiday(holiday, data=request.POST)

    def action(data: dict[str, Any]) -> str:
        services.update_holiday(actor=user, holiday=holiday, **_holiday_kwargs(data))
        return (
            f"Сохранено: «{holiday.name}». Если какие-то дни освободились, заново сформируйте уроки по расписанию, "
            f"чтобы в эти дни появились уроки."
        )

    status = submit(request, form, action)
    if status is None:
        return redirect(_calendar_url(holiday.year, parse_grade(request.GET.get("grade")), "holidays"))
    return _render(request, year=holiday.year, bound={f"holiday-{holiday.pk}": form}, status=status)


@login_required
@require_POST
def holiday_delete(request: HttpRequest, holiday_id: int) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    holiday = get_object_or_404(access_schools.visible_holidays(user).select_related("year"), pk=holiday_id)
    services.delete_holiday(actor=user, holiday=holiday)
    messages.success(
        request,
        f"Удалено из календаря: «{holiday.name}». Чтобы в эти дни появились уроки, заново сформируйте уроки "
        f"по расписанию.",
    )
    return redirect(_calendar_url(holiday.year, parse_grade(request.GET.get("grade")), "holidays"))
