"""The diary week page of a student (own) and of a parent (a child's)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ejournal.access.diary import diary_students
from ejournal.accounts.models import Role, User
from ejournal.core.time import school_today

from .selectors import diary_week


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _chosen_day(request: HttpRequest, user: User) -> dt.date:
    """Any day of the wanted week; a malformed ?week= falls back to today rather than failing the page."""
    raw = request.GET.get("week", "")
    try:
        day = dt.date.fromisoformat(raw)
        # Far-off years would overflow the previous/next week links; nobody's diary lives there.
        if dt.date(1900, 1, 1) <= day <= dt.date(2999, 12, 31):
            return day
    except ValueError:
        pass
    return school_today(user.school.timezone) if user.school else timezone.localdate()


@login_required
@require_GET
def own_week(request: HttpRequest) -> HttpResponse:
    """A student's own diary; a parent who is no student is taken to their first child's."""
    user = _user(request)
    if user.has_role(Role.STUDENT):
        return _week_page(request, user, get_object_or_404(diary_students(user), pk=user.pk))
    first = diary_students(user).first()
    if first is None:
        raise Http404()
    target = f"{request.path}{first.pk}/"
    if "week" in request.GET:
        target += "?" + request.GET.urlencode()
    return redirect(target)


@login_required
@require_GET
def student_week(request: HttpRequest, student_id: int) -> HttpResponse:
    user = _user(request)
    return _week_page(request, user, get_object_or_404(diary_students(user), pk=student_id))


def _week_page(request: HttpRequest, user: User, student: User) -> HttpResponse:
    week = diary_week(student, _chosen_day(request, user))
    # The switcher is for parents of several children; the student themself needs none.
    children = list(diary_students(user).exclude(pk=user.pk)) if user.has_role(Role.PARENT) else []
    return render(
        request,
        "diary/week.html",
        {
            "week": week,
            "student": student,
            "own": student.pk == user.pk,
            "children": children if len(children) > 1 else [],
            "today": school_today(user.school.timezone) if user.school else timezone.localdate(),
        },
    )
