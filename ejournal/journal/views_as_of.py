"""«Журнал на дату»: a journal's grid and a class's сводная ведомость as they stood at a past moment (as_of.py).

Read-only pages with the same access as the grid (selectors.read_grid) and the class overview
(access.overview_classes); a refused date (before the school's first year, in the future) is said above the
form with a 400, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from ejournal.access import journal as access
from ejournal.core import inputs
from ejournal.core import time as clock
from ejournal.core.errors import NotFound
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.schools.models import School

from . import as_of, lookups
from . import periods as journal_periods
from .grid_html import render_grid_table


def _form(request: HttpRequest, school: School) -> dict[str, str]:
    today = clock.school_today(school)
    return {
        "date": request.GET.get("date", "") or today.isoformat(),
        "time": request.GET.get("time", ""),
        "max": today.isoformat(),
    }


@login_required
@require_GET
def grid_as_of(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = current_user(request)
    journal = access.visible_journals(user).filter(pk=assignment_id).select_related("school").first()
    if journal is None:
        raise NotFound()
    school = journal.school
    period = lookups.period_for(user, inputs.id_field(request.GET.get("period"), "period"))
    context: dict[str, Any] = {"form": _form(request, school), "assignment_id": assignment_id}
    status = 200
    with refused() as refusal:
        moment = as_of.parse_moment(school, context["form"]["date"], request.GET.get("time"))
        data = as_of.journal_as_of(user=user, assignment=assignment_id, period=period, moment=moment)
        # Built by grid_html, which escapes every value that comes from users.
        context.update(data=data, grid=data.grid, table=mark_safe(render_grid_table(data.grid)))
    if refusal.error is not None:
        context["error"] = refusal.message
        status = refusal.error.status
    return render(request, "journal/as_of.html", context, status=status)


@login_required
@require_GET
def sheet_as_of(request: HttpRequest, class_id: int) -> HttpResponse:
    user = current_user(request)
    group = access.overview_classes(user).filter(pk=class_id).select_related("school", "year").first()
    if group is None:
        raise NotFound()
    class_periods = journal_periods.periods_of_class(group)
    period_id = inputs.id_field(request.GET.get("period"), "period")
    today = clock.school_today(group.school)
    period = (
        next((p for p in class_periods if p.pk == period_id), None)
        if period_id is not None
        else journal_periods.current_period(class_periods, today) or (class_periods[-1] if class_periods else None)
    )
    if period is None:
        raise NotFound()
    context: dict[str, Any] = {"form": _form(request, group.school), "group": group, "periods": class_periods}
    context["period"] = period
    status = 200
    with refused() as refusal:
        moment = as_of.parse_moment(group.school, context["form"]["date"], request.GET.get("time"))
        context["sheet"] = as_of.sheet_as_of(user=user, class_group=group, period=period, moment=moment)
    if refusal.error is not None:
        context["error"] = refusal.message
        status = refusal.error.status
    return render(request, "journal/sheet_as_of.html", context, status=status)
