"""Pages of the attendance report, «Анализ работы с классным журналом ЭЖ» and program execution.

Each view parses the filters, lets the selector check access (access/journal_keeping.py: out of scope is
a 404), builds the Report and answers the page or, with ?format=xlsx|pdf|csv, the file.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.requests import current_user

from .attendance import attendance_figures, attendance_report
from .execution import GROUPS, execution_report, program_execution
from .keeping import keeping_analysis, keeping_report, signatories
from .keeping_spans import Calendar, Span, calendar_and_span, id_param
from .rendering import respond


def _span_fields(calendar: Calendar, span: Span) -> dict[str, Any]:
    """The filter form shows the span in the field it came from."""
    return {
        "periods": calendar.period_choices(),
        "report_span": span,
        "period_id": span.period.pk if span.period else None,
        "month": f"{span.start:%Y-%m}" if span.kind == "month" else "",
        "start": span.start.isoformat() if span.kind == "dates" else "",
        "end": span.end.isoformat() if span.kind == "dates" else "",
    }


@login_required
@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    calendar, span = calendar_and_span(user, request.GET)
    class_id = id_param(request.GET, "class", "Класс")
    figures = attendance_figures(user=user, calendar=calendar, span=span, class_id=class_id)
    report = attendance_report(figures, school_name=calendar.school.short_name)
    file_format = request.GET.get("format")
    if file_format and class_id is not None:
        # The file lists the students of a class by name: a personal data export the administrator traces.
        record(
            kind=EventKind.PERSONAL_DATA_EXPORT,
            summary=f"Отчёт «Посещаемость» класса {class_id}, {span.start:%d.%m.%Y}–{span.end:%d.%m.%Y}, {file_format}",
            actor=user,
            request=request,
            details={"report": "attendance", "class": class_id, "format": file_format},
        )
    context = {**_span_fields(calendar, span), "attendance": figures}
    return respond(request, report, template="reports/attendance_report.html", context=context)


@login_required
@require_GET
def journal_keeping(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    calendar, span = calendar_and_span(user, request.GET)
    teacher_id = id_param(request.GET, "teacher", "Учитель")
    analysis = keeping_analysis(user=user, calendar=calendar, span=span, teacher_id=teacher_id)
    base_url = reverse("reports:journal_keeping")
    report = keeping_report(
        analysis,
        school_name=calendar.school.short_name,
        base_url=base_url,
        signatures=signatories(calendar.school.pk) if request.GET.get("format") == "pdf" else None,
    )
    context = {**_span_fields(calendar, span), "analysis": analysis, "drilled": teacher_id is not None}
    return respond(request, report, template="reports/keeping_report.html", context=context)


@login_required
@require_GET
def program_execution_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    calendar, span = calendar_and_span(user, request.GET, default="year")
    analysis = program_execution(
        user=user,
        calendar=calendar,
        span=span,
        group=request.GET.get("group") or "journal",
        teacher_id=id_param(request.GET, "teacher", "Учитель"),
        class_id=id_param(request.GET, "class", "Класс"),
        subject_id=id_param(request.GET, "subject", "Предмет"),
    )
    base_url = reverse("reports:program_execution")
    report = execution_report(analysis, school_name=calendar.school.short_name, base_url=base_url)
    context = {**_span_fields(calendar, span), "analysis": analysis, "group_choices": GROUPS}
    return respond(request, report, template="reports/execution_report.html", context=context)
