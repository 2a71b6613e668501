"""Предметы и учебный план: the school's subjects and hours per week of each in each parallel."""

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
from ejournal.schools.models import AcademicYear

from .. import selectors, services
from ..forms import SubjectForm, form_errors, parse_curriculum_grid
from .common import back_to, today_for


def _page(
    request: HttpRequest,
    user: User,
    year: AcademicYear | None,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    grid_args = {k: extra.pop(k) for k in ("submitted", "bad") if k in extra}
    context = {
        "year": year,
        "years": access_schools.visible_years(user),
        "subjects": access.visible_subjects(user).order_by("name"),
        "grid": selectors.curriculum_grid(user=user, year=year, **grid_args) if year else None,
        "can_manage": roles.manages_structure(user),
        "form": extra.pop("form", None) or SubjectForm(),
        **extra,
    }
    return render(request, "curriculum/subjects.html", context, status=status)


@require_GET
@login_required
def subjects(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.reads_whole_school(user))
    year = selectors.pick_year(user, request.GET.get("year"), today_for(user))
    return _page(request, user, year)


@require_POST
@login_required
def subject_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    year = selectors.pick_year(user, request.POST.get("year"), today_for(user))
    form = SubjectForm(request.POST)
    if not form.is_valid():
        return _page(request, user, year, form=form, subject_error=form_errors(form), status=422)
    with refused() as refusal:
        subject = services.create_subject(actor=user, **form.cleaned_data)
    if refusal.error is not None:
        return _page(request, user, year, form=form, subject_error=refusal.message, status=refusal.status)
    messages.success(request, f"Предмет «{subject.name}» добавлен.")
    return back_to("subjects", year=year and year.pk)


@require_POST
@login_required
def subject_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    subject = tenancy.get_for(user, access.visible_subjects(user), pk)
    year = selectors.pick_year(user, request.POST.get("year"), today_for(user))
    form = SubjectForm(request.POST)
    with refused() as refusal:
        if not form.is_valid():
            raise ValidationFailed(form_errors(form))
        services.update_subject(actor=user, subject=subject, **form.cleaned_data)
    if refusal.error is not None:
        return _page(request, user, year, error_pk=subject.pk, row_error=refusal.message, status=refusal.status)
    messages.success(request, f"Предмет «{subject.name}» сохранён.")
    return back_to("subjects", year=year and year.pk)


@require_POST
@login_required
def subject_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    subject = tenancy.get_for(user, access.visible_subjects(user), pk)
    year = selectors.pick_year(user, request.POST.get("year"), today_for(user))
    name = subject.name
    with refused() as refusal:
        services.delete_subject(actor=user, subject=subject)
    if refusal.error is not None:
        return _page(request, user, year, error_pk=subject.pk, row_error=refusal.message, status=refusal.status)
    messages.success(request, f"Предмет «{name}» удалён.")
    return back_to("subjects", year=year and year.pk)


@require_POST
@login_required
def curriculum_save(request: HttpRequest) -> HttpResponse:
    """The whole grid in one form: one wrong cell saves nothing and shows the typed values back."""
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    year = selectors.pick_year(user, request.POST.get("year"), today_for(user))
    if year is None:
        raise Http404
    all_subjects = list(access.visible_subjects(user))
    cells, submitted, bad = parse_curriculum_grid(request.POST, all_subjects, selectors.GRADES)
    with refused() as refusal:
        if bad:
            raise ValidationFailed("Часы в неделю — число, например 2 или 0,5. Исправьте выделенные клетки.")
        changed = services.set_curriculum_grid(actor=user, year=year, cells=cells)
    if refusal.error is not None:
        return _page(
            request, user, year, submitted=submitted, bad=set(bad), grid_error=refusal.message, status=refusal.status
        )
    messages.success(request, f"Учебный план {year.name} сохранён (изменено клеток: {changed}).")
    return back_to("subjects", year=year.pk)
