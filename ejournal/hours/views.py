"""Pages of the hours given: the school's month (or period) by teacher, a teacher's own hours with their
lessons, the табель as XLSX/CSV, and a teacher's confirmation of their month.

Each view parses the month/period, lets access/hours.py decide (out of scope is a 404), reads the figures
(figures.hours_figures) and renders the page or the file.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import hours as access
from ejournal.access.tenancy import get_for
from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.reports.keeping_spans import Calendar, Span, school_calendar

from . import timesheet
from .figures import FIGURES, HoursFigures, hours_figures
from .services import confirm_month
from .spans import hours_span

FILES = {"xlsx": timesheet.to_xlsx, "csv": timesheet.to_csv}


def _context(calendar: Calendar, span: Span, figures: HoursFigures) -> dict[str, Any]:
    return {
        "figures": figures,
        "titles": FIGURES,
        "span": span,
        "periods": calendar.period_choices(),
        "period_id": span.period.pk if span.period else None,
        "month": f"{span.start:%Y-%m}" if span.kind == "month" else "",
        "query": "&".join(f"{k}={v}" for k, v in span.query().items()),
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Management: every teacher of the school; a teacher: their own line."""
    user = current_user(request)
    teacher_id = access.hours_teacher(user, None)
    calendar = school_calendar(user)
    span = hours_span(calendar, request.GET)
    figures = hours_figures(school_id=calendar.school.pk, span=span, today=calendar.today, teacher_id=teacher_id)
    file_format = request.GET.get("format")
    if file_format:
        if file_format not in FILES:
            raise ValidationFailed("Неизвестный формат файла: выберите XLSX или CSV.", field="format")
        content = FILES[file_format](figures, school_name=calendar.school.name)
        # The табель names the teachers with their hours: a personal data export the administrator traces.
        record(
            kind=EventKind.PERSONAL_DATA_EXPORT,
            summary=f"Табель проведённых часов за {span.start:%m.%Y}, {file_format}",
            actor=user,
            request=request,
            details={"report": "hours", "month": f"{span.start:%Y-%m}", "format": file_format},
        )
        return download(content, file_format=file_format, name=timesheet.file_name(figures))
    context = _context(calendar, span, figures)
    context["rows"] = [
        {
            "teacher": t,
            "cells": [t.figure(k) for k, _ in FIGURES],
            "confirmation": figures.confirmations.get(t.teacher_id),
        }
        for t in figures.teachers
    ]
    context["totals"] = [figures.total(k) for k, _ in FIGURES]
    context["whole_school"] = access.reads_every_teacher(user)
    return render(request, "hours/index.html", context)


def _teacher_page(request: HttpRequest, user: User, teacher_id: int, *, status: int = 200) -> HttpResponse:
    calendar = school_calendar(user)
    span = hours_span(calendar, request.GET if request.method == "GET" else request.POST)
    figures = hours_figures(
        school_id=calendar.school.pk, span=span, today=calendar.today, teacher_id=teacher_id, with_lessons=True
    )
    teacher = figures.teachers[0]
    context = _context(calendar, span, figures)
    context.update(
        teacher=teacher,
        cells=[(title, teacher.figure(key)) for key, title in FIGURES],
        confirmation=figures.confirmations.get(teacher_id),
        # The button is offered to the teacher themselves for a month that is over.
        may_confirm=user.pk == teacher_id and figures.is_month and span.end < calendar.today,
        whole_school=access.reads_every_teacher(user),
    )
    return render(request, "hours/teacher.html", context, status=status)


@login_required
@require_GET
def teacher(request: HttpRequest, teacher_id: int) -> HttpResponse:
    user = current_user(request)
    access.hours_teacher(user, teacher_id)
    return _teacher_page(request, user, teacher_id)


@login_required
@require_POST
def confirm(request: HttpRequest, teacher_id: int) -> HttpResponse:
    user = current_user(request)
    access.require_reads_hours(user)
    person = get_for(user, User, teacher_id)
    # Another's month is refused before anything is read: the error page says why (403).
    access.require_confirms_month(user, person)
    raw = (request.POST.get("month") or "").strip()
    month = inputs.month_or_none(raw)
    with refused() as refusal:
        if month is None:
            raise ValidationFailed("Месяц указан неверно: нужен вид 2026-11.", field="month")
        confirm_month(actor=user, teacher=person, month=month)
    if refusal.error is None:
        messages.success(request, "Часы за месяц подтверждены.")
        return redirect(reverse("hours:teacher", args=[teacher_id]) + f"?month={raw}")
    messages.error(request, refusal.message)
    return _teacher_page(request, user, teacher_id, status=refusal.status)
