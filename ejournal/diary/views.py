"""The diary pages of a student (own) and of a parent (each child's): the week, marks by subject for a
period, homework, period and year marks over the years; and the PWA's manifest and service worker."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ejournal.access import tenancy
from ejournal.access.diary import diary_students
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.requests import current_user

from . import pwa
from .homework import homework_item, homework_list
from .inputs import parse_week, student_today
from .marks import period_report, results
from .selectors import diary_week
from .week_html import week_days_html

# The service worker keeps the last opened page of each kind for offline use (see templates/diary/sw.js).
PAGE_KIND_HEADER = "X-Diary-Page"


def _pick(request: HttpRequest, student_id: int | None) -> tuple[User, list[User]]:
    """The student whose diary is asked for, and all the diaries the user may open (for the switcher), in
    one query. Not the user's own child or self: 404."""
    user = current_user(request)
    students = list(diary_students(user))
    if student_id is None:
        student = next((s for s in students if s.pk == user.pk), students[0] if students else None)
    else:
        student = next((s for s in students if s.pk == student_id), None)
    if student is None:
        raise Http404()
    if tenancy.same_school(user, student) and student.school is not None:
        user.school = student.school  # the header shows the user's school, which is the student's: one query less
    return student, students


def _page(
    request: HttpRequest,
    student_id: int | None,
    kind: str,
    build: Callable[[User], dict[str, Any]],
) -> HttpResponse:
    """A diary page: the user's own diary at the bare address (a parent is taken to the first child's),
    a child's by id. `build` reads what the page shows."""
    user = current_user(request)
    student, students = _pick(request, student_id)
    if student_id is None and student.pk != user.pk:
        target = reverse(f"diary:student_{kind}", args=[student.pk])
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)
    context: dict[str, Any] = {
        "student": student,
        "own": student.pk == user.pk,
        "tab": kind,
        "today": student_today(student),
    }
    context.update(build(student))
    if len(students) > 1:
        # The switcher opens the same section of the other child's diary (a homework page: their list).
        section = "homework" if kind == "homework_item" else kind
        query = f"?week={context['week'].monday:%Y-%m-%d}" if kind == "week" else ""
        context["switch"] = [(s, reverse(f"diary:student_{section}", args=[s.pk]) + query) for s in students]
    response = render(request, f"diary/{kind}.html", context)
    response[PAGE_KIND_HEADER] = kind
    return response


@login_required
@require_GET
def week(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    def build(student: User) -> dict[str, Any]:
        today = student_today(student)
        data = diary_week(student, parse_week(request.GET.get("week", "")) or today)
        return {"week": data, "days_html": week_days_html(data, today)}

    return _page(request, student_id, "week", build)


@login_required
@require_GET
def marks(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    """Marks by subject for a period (?period=<id>, the current one by default)."""

    def build(student: User) -> dict[str, Any]:
        raw = request.GET.get("period", "").strip()
        period_id = inputs.id_or_none(raw) if raw else None
        if raw and period_id is None:
            raise Http404()  # like a period that is not the student's
        return {"report": period_report(student, period_id=period_id, today=student_today(student))}

    return _page(request, student_id, "marks", build)


@login_required
@require_GET
def homework(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    """Homework by due date: upcoming first, then past (?past=<offset> pages back)."""

    def build(student: User) -> dict[str, Any]:
        offset = inputs.count_or_none(request.GET.get("past")) or 0  # a bad offset shows the first page
        return {"homework": homework_list(student, today=student_today(student), past_offset=offset)}

    return _page(request, student_id, "homework", build)


@login_required
@require_GET
def homework_detail(request: HttpRequest, student_id: int, homework_id: int) -> HttpResponse:
    def build(student: User) -> dict[str, Any]:
        return {"item": homework_item(student, homework_id)}

    return _page(request, student_id, "homework_item", build)


@login_required
@require_GET
def results_page(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    """Period, year, exam and final marks of every year."""
    return _page(request, student_id, "results", lambda student: {"years": results(student)})


# --- PWA -----------------------------------------------------------------------------------------------


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: «Дневник» installs on the phone's home screen and opens /diary/."""
    return JsonResponse(
        pwa.manifest(start_url=reverse("diary:week")),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The diary's service worker, scope /diary/. Rendered so that it knows the static files of the app
    shell; its version changes with them, which makes browsers install the new one."""
    shell = pwa.shell_urls()
    version = pwa.shell_version(shell)
    config = {
        "version": version,
        "shell": list(shell),
        "scope": reverse("diary:week"),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "header": PAGE_KIND_HEADER,
    }
    body = render_to_string("diary/sw.js", {"config": json.dumps(config), "version": version, "scope": config["scope"]})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("diary:week")
    return response
