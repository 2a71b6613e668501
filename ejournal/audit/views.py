"""The security log and usage monitoring pages of a school's administrator and director."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ejournal.access import audit as access
from ejournal.access.roles import require
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user
from ejournal.core.time import school_today

from .files import file_response
from .models import EventKind
from .params import parse_idle_days, parse_range
from .selectors import accounts_under_attack, events_page, usage_overview
from .services import record
from .usage_report import people_report, usage_charts


@login_required
@require_GET
def security_log(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    events = access.visible_events(user)
    kind = request.GET.get("kind", "")
    if kind and kind not in EventKind.values:
        raise ValidationFailed("Неизвестный вид события.")
    start = None
    if request.GET.get("start"):
        assert user.school is not None  # reads_security_log
        start, _ = parse_range(request.GET["start"], None, school_today(user.school.timezone))
    page = Paginator(events_page(events, kind=kind, start=start), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Accounts someone keeps guessing at (accounts.auth.lockout), over the period the lockout remembers.
    attacked = accounts_under_attack(
        events,
        since=timezone.now() - dt.timedelta(hours=settings.EJOURNAL_LOCKOUT_ACCOUNT_HOURS),
        threshold=settings.EJOURNAL_LOCKOUT_FAILURES,
    )
    return render(
        request,
        "audit/security_log.html",
        {
            "page": page,
            "kinds": EventKind.choices,
            "kind": kind,
            "start": start,
            "query": query.urlencode(),
            "attacked": attacked,
            "attack_hours": settings.EJOURNAL_LOCKOUT_ACCOUNT_HOURS,
            "attack_threshold": settings.EJOURNAL_LOCKOUT_FAILURES,
        },
    )


@login_required
@require_GET
def usage_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(access.reads_usage(user))
    assert user.school is not None  # in_school
    start, end = parse_range(request.GET.get("start"), request.GET.get("end"), school_today(user.school.timezone))
    idle_days = parse_idle_days(request.GET.get("idle"))
    overview = usage_overview(school=user.school, start=start, end=end, idle_days=idle_days)
    if request.GET.get("format"):
        report = people_report(overview, school_name=user.school.short_name)
        response = file_response(report, request.GET["format"])
        # The file lists people by name: an export of personal data, kept in the security log.
        record(
            kind=EventKind.PERSONAL_DATA_EXPORT,
            summary=f"Выгрузка мониторинга использования ({request.GET['format'].upper()}), {len(report.rows)} чел.",
            actor=user,
            request=request,
            details={"report": "usage", "start": start.isoformat(), "end": end.isoformat()},
        )
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "audit/usage.html",
        {
            "overview": overview,
            "charts": usage_charts(overview),
            "idle_days": idle_days,
            "query": query.urlencode(),
        },
    )
