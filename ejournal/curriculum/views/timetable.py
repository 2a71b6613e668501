"""Расписание: the weekly grid of a class (one cell saved at a time), bells, generating the dated lessons, and
a teacher's week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import curriculum as access
from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.time import ru_date
from ejournal.schools.models import AcademicYear, ClassGroup

from .. import selectors, services
from ..forms import CellForm, GenerateForm, form_errors, parse_bells
from .common import back_to, parse_date, today_for


def _year(user: User, raw: str | None) -> AcademicYear:
    year = selectors.pick_year(user, raw, today_for(user))
    if year is None:
        raise Http404
    return year


def _class(user: User, year: AcademicYear, raw: str | None) -> ClassGroup | None:
    classes = access_schools.visible_classes(user).filter(year=year)
    class_id = selectors.parse_id(raw)
    if class_id is not None:
        return get_object_or_404(classes, pk=class_id)
    if raw:
        raise Http404
    return classes.order_by("grade", "letter").first()


def _page(request: HttpRequest, user: User, year: AcademicYear, *, status: int = 200, **extra: Any) -> HttpResponse:
    # Every form of the page posts to a URL that carries ?year=&class=, so the class is always in the query.
    class_group = extra.pop("class_group", None) or _class(user, year, request.GET.get("class"))
    classes = access_schools.visible_classes(user).filter(year=year).order_by("grade", "letter")
    bells = list(access.visible_bells(user).order_by("number"))
    context = {
        "year": year,
        "years": access_schools.visible_years(user),
        "classes": classes,
        "class_group": class_group,
        "tt": selectors.class_timetable(class_group=class_group, bells=bells) if class_group else None,
        "bells": bells,
        "bell_rows": range(len(bells), len(bells) + 2),
        "can_manage": roles.manages_structure(user),
        "generate_form": GenerateForm(classes=classes),
        **extra,
    }
    return render(request, "curriculum/timetable.html", context, status=status)


@require_GET
@login_required
def timetable(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.reads_whole_school(user))
    year = selectors.pick_year(user, request.GET.get("year"), today_for(user))
    if year is None:
        return render(request, "curriculum/no_year.html", {"title": "Расписание"})
    return _page(request, user, year)


def _cell_response(
    request: HttpRequest, class_group: ClassGroup, weekday: int, number: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    cell = selectors.timetable_cell(class_group=class_group, weekday=weekday, number=number, error=error)
    context = {
        "cell": cell,
        "class_group": class_group,
        "year": class_group.year,
        "assignments": selectors.class_assignments(class_group),
        "can_manage": True,
    }
    return render(request, "curriculum/_cell.html", context, status=status)


@require_POST
@login_required
def timetable_cell(request: HttpRequest) -> HttpResponse:
    """One cell of the grid. With HTMX the answer is the cell itself, with the error inside it; without, the
    page again."""
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    year = _year(user, request.GET.get("year"))
    class_id = selectors.parse_id(request.GET.get("class"))
    if class_id is None:
        raise Http404
    class_group = get_object_or_404(access_schools.visible_classes(user).filter(year=year), pk=class_id)
    form = CellForm(
        request.POST,
        assignments=access.visible_assignments(user).filter(class_group=class_group),
        slots=access.visible_slots(user).filter(assignment__class_group=class_group),
    )
    valid = form.is_valid()
    weekday, number = form.cleaned_data.get("weekday"), form.cleaned_data.get("number")
    error, status = "", 200
    if not valid:
        error, status = form_errors(form), 422
    else:
        with refused() as refusal:
            services.set_cell_slot(
                actor=user,
                year=year,
                class_group=class_group,
                weekday=form.cleaned_data["weekday"],
                number=form.cleaned_data["number"],
                assignment=form.cleaned_data["assignment"],
                room=form.cleaned_data["room"],
                replaces=form.cleaned_data["slot"],
            )
        if refusal.error is not None:
            error, status = refusal.message, refusal.status
    if getattr(request, "htmx", False) and weekday is not None and number is not None:
        cell = selectors.timetable_cell(class_group=class_group, weekday=weekday, number=number, error=error)
        context = {
            "cell": cell,
            "class_group": class_group,
            "year": year,
            "assignments": selectors.class_assignments(class_group),
            "can_manage": True,
        }
        return render(request, "curriculum/_cell.html", context, status=status)
    if error:
        return _page(request, user, year, class_group=class_group, grid_error=error, status=status)
    messages.success(request, "Расписание сохранено.")
    return back_to("timetable", year=year.pk, **{"class": class_group.pk})


@require_POST
@login_required
def bells(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    year = _year(user, request.GET.get("year"))
    rows, errors = parse_bells(request.POST)
    with refused() as refusal:
        if errors:
            raise ValidationFailed("\n".join(errors))
        services.set_bells(actor=user, bells=rows)
    if refusal.error is not None:
        return _page(request, user, year, bells_error=refusal.message, status=refusal.status)
    messages.success(request, "Расписание звонков сохранено.")
    return back_to("timetable", year=year.pk, **{"class": request.GET.get("class")})


@require_POST
@login_required
def generate(request: HttpRequest) -> HttpResponse:
    """Сформировать уроки: the dated lessons of the year (or one class, from a date) from the weekly grid."""
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    year = _year(user, request.GET.get("year"))
    classes = access_schools.visible_classes(user).filter(year=year)
    form = GenerateForm(request.POST, classes=classes)
    with refused() as refusal:
        if not form.is_valid():
            raise ValidationFailed(form_errors(form))
        class_group, since = form.cleaned_data["class_group"], form.cleaned_data["since"]
        result = services.generate_lessons(actor=user, year=year, since=since, class_group=class_group)
    if refusal.error is not None:
        return _page(request, user, year, generate_error=refusal.message, status=refusal.status)
    scope = class_group.name if class_group else f"учебный год {year.name}"
    if since:
        scope += f" с {ru_date(since)}"
    messages.success(
        request,
        f"Уроки сформированы ({scope}): создано {result.created}, удалено {result.removed}, "
        f"оставлено без изменений {result.kept}"
        + (f", не поставлено из-за переносов и дополнительных уроков {result.skipped}" if result.skipped else "")
        + ".",
    )
    return back_to("timetable", year=year.pk, **{"class": request.GET.get("class")})


@require_GET
@login_required
def teacher_week(request: HttpRequest) -> HttpResponse:
    """A teacher's lessons of one week: a teacher sees their own; management any teacher's of the school."""
    user = current_user(request)
    teachers = access.visible_week_teachers(user)
    teacher_id = selectors.parse_id(request.GET.get("teacher"))
    if request.GET.get("teacher") and teacher_id is None:
        raise Http404
    if teacher_id is None:
        teacher_id = user.pk
        if not teachers.filter(pk=user.pk).exists():
            roles.require(roles.reads_whole_school(user))
            return render(
                request,
                "curriculum/teacher_week.html",
                {"week": None, "teachers": teachers.order_by("last_name", "first_name")},
            )
    teacher = get_object_or_404(teachers, pk=teacher_id)
    day = parse_date(request.GET.get("week")) or today_for(user)
    monday = selectors.monday_of(day)
    week = selectors.teacher_week(teacher=teacher, monday=monday)
    context = {
        "week": week,
        "teachers": teachers.order_by("last_name", "first_name") if roles.reads_whole_school(user) else None,
        "prev_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
    }
    return render(request, "curriculum/teacher_week.html", context)
