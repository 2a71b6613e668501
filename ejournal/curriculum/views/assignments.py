"""Нагрузка: who teaches what to which class, grouped by teacher, with hours per week from the timetable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import curriculum as access
from ejournal.access import roles, tenancy
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.time import ru_date
from ejournal.schools.models import AcademicYear

from .. import selectors, services
from ..forms import AssignmentForm, EndAssignmentForm, form_errors
from .common import back_to, today_for


def _assignment_form(user: User, year: AcademicYear, data: Any = None) -> AssignmentForm:
    classes = access_schools.visible_classes(user).filter(year=year)
    return AssignmentForm(
        data,
        teachers=access.assignable_teachers(user).order_by("last_name", "first_name"),
        classes=classes,
        subjects=access.visible_subjects(user).order_by("name"),
        subgroups=access_schools.visible_subgroups(user)
        .filter(class_group__in=classes)
        .select_related("class_group", "subject"),
    )


def _page(
    request: HttpRequest, user: User, year: AcademicYear, params: Any, *, status: int = 200, **extra: Any
) -> HttpResponse:
    teacher_id = selectors.parse_id(params.get("teacher"))
    class_id = selectors.parse_id(params.get("class"))
    can_manage = roles.manages_structure(user)
    context = {
        "year": year,
        "years": access_schools.visible_years(user),
        "loads": selectors.teacher_loads(
            user=user, year=year, today=today_for(user), teacher_id=teacher_id, class_id=class_id
        ),
        "teachers": access.visible_week_teachers(user).order_by("last_name", "first_name"),
        "classes": access_schools.visible_classes(user).filter(year=year),
        "teacher_id": teacher_id,
        "class_id": class_id,
        "can_manage": can_manage,
        "today": today_for(user),
        **extra,
    }
    if can_manage and "form" not in context:
        context["form"] = _assignment_form(user, year)
    return render(request, "curriculum/assignments.html", context, status=status)


def _year(request: HttpRequest, user: User, raw: str | None) -> AcademicYear:
    year = selectors.pick_year(user, raw, today_for(user))
    if year is None:
        raise Http404
    return year


@require_GET
@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.reads_whole_school(user))
    year = selectors.pick_year(user, request.GET.get("year"), today_for(user))
    if year is None:
        return render(request, "curriculum/no_year.html", {"title": "Нагрузка"})
    return _page(request, user, year, request.GET)


@require_POST
@login_required
def assignment_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    year = _year(request, user, request.POST.get("year"))
    form = _assignment_form(user, year, request.POST)
    if not form.is_valid():
        return _page(request, user, year, request.GET, form=form, form_error=form_errors(form), status=422)
    with refused() as refusal:
        assignment = services.create_assignment(actor=user, **form.cleaned_data)
    if refusal.error is not None:
        return _page(request, user, year, request.GET, form=form, form_error=refusal.message, status=refusal.status)
    messages.success(request, f"Нагрузка добавлена: {assignment} — {assignment.teacher.short_name}.")
    return back_to(
        "assignments", year=year.pk, teacher=request.GET.get("teacher"), **{"class": request.GET.get("class")}
    )


@require_POST
@login_required
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    assignment = tenancy.get_for(
        user, access.visible_assignments(user).select_related("class_group__year", "subject", "teacher"), pk
    )
    year = assignment.class_group.year
    form = EndAssignmentForm(request.POST)
    with refused() as refusal:
        if not form.is_valid():
            raise ValidationFailed(form_errors(form))
        last_day = form.cleaned_data["last_day"]
        services.end_assignment(actor=user, assignment=assignment, last_day=last_day)
    if refusal.error is not None:
        return _page(
            request, user, year, request.GET, error_pk=assignment.pk, row_error=refusal.message, status=refusal.status
        )
    messages.success(
        request, f"{assignment.teacher.short_name}: «{assignment}» ведёт по {ru_date(last_day)} включительно."
    )
    return back_to(
        "assignments", year=year.pk, teacher=request.GET.get("teacher"), **{"class": request.GET.get("class")}
    )
