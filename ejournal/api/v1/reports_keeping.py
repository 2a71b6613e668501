"""REST API of the attendance report, «Анализ работы с классным журналом ЭЖ» and program execution:
the same selectors and access/ scope as the pages (reports/views_keeping.py), figures as JSON.

Filters as on the pages: `period` (id), `month` (2026-11), or `start` and `end` (2026-11-01).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.core.requests import current_user
from ejournal.reports.attendance import REASONS, Missed, attendance_figures
from ejournal.reports.execution import LAG_LIMIT, ExecutionFigures, program_execution
from ejournal.reports.keeping import KeepingFigures, keeping_analysis
from ejournal.reports.keeping_spans import Calendar, Span, calendar_and_span, id_param

SPAN_PARAMETERS = [
    OpenApiParameter("period", int, description="Учебный период"),
    OpenApiParameter("month", str, description="Месяц, 2026-11"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="С даты (вместе с end)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="По дату"),
]
# Reasons by name, in the order of attendance.REASONS (б, у, п, н).
REASON_KEYS = dict(zip((code for code, _ in REASONS), ("ill", "excused", "unexcused", "unsettled"), strict=True))


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


def _calendar(request: Request, default: str = "month") -> tuple[Calendar, Span]:
    return calendar_and_span(current_user(request), request.query_params, default=default)


def _span(span: Span, counted: tuple[Any, Any] | None) -> dict[str, Any]:
    return {
        "label": span.label,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "period": span.period.pk if span.period else None,
        "counted_to": counted[1].isoformat() if counted else None,
    }


def _missed(missed: Missed) -> dict[str, Any]:
    return {
        "lessons": {"total": missed.lessons, **{k: missed.lessons_by_code.get(c, 0) for c, k in REASON_KEYS.items()}},
        "days": None
        if missed.days is None
        else {"total": missed.days, **{k: missed.days_by_code.get(c, 0) for c, k in REASON_KEYS.items()}},
        "late": missed.late,
    }


class AttendanceReportView(APIView):
    @extend_schema(
        parameters=[*SPAN_PARAMETERS, OpenApiParameter("class", int, description="Класс: по ученикам")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Посещаемость: пропущенные уроки и дни по причинам, по классам или ученикам класса",
    )
    def get(self, request: Request) -> Response:
        calendar, span = _calendar(request)
        class_id = id_param(request.query_params, "class", "Класс")
        figures = attendance_figures(user=current_user(request), calendar=calendar, span=span, class_id=class_id)
        key = "students" if class_id is not None else "classes"
        return Response(
            {
                "span": _span(span, (figures.start, figures.end) if figures.start <= figures.end else None),
                "class": {"id": class_id, "name": figures.class_name} if class_id is not None else None,
                key: [
                    {
                        "id": line.id,
                        "name": line.name,
                        **({} if class_id is not None else {"students": line.students}),
                        "missed": _missed(line.missed),
                        **({} if class_id is not None else {"lessons_per_student": _decimal(line.lessons_per_student)}),
                    }
                    for line in figures.lines
                ],
                "total": {"students": figures.total.students, "missed": _missed(figures.total.missed)},
                "notes": figures.notes,
            }
        )


def _keeping(f: KeepingFigures) -> dict[str, Any]:
    return {
        "lessons": f.lessons,
        "with_topic": f.with_topic,
        "with_topic_percent": _decimal(f.topic_percent),
        "with_homework": f.with_homework,
        "with_homework_percent": _decimal(f.homework_percent),
        "no_record": f.no_record,
        "marks": f.marks,
        "late_marks": f.late_marks,
        "late_marks_percent": _decimal(f.late_percent),
        "students_judged": f.judged,
        "marks_per_student": _decimal(f.marks_per_student),
        "below_norm": f.below_norm,
        "at_norm_percent": _decimal(f.norm_percent),
        "period_marks_due": f.period_marks_due,
        "period_marks_missing": f.period_marks_missing,
        "flagged": f.flagged,
    }


class JournalKeepingView(APIView):
    @extend_schema(
        parameters=[*SPAN_PARAMETERS, OpenApiParameter("teacher", int, description="Учитель: по его журналам")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Анализ работы с классным журналом ЭЖ: по учителям или по журналам учителя",
    )
    def get(self, request: Request) -> Response:
        calendar, span = _calendar(request)
        teacher_id = id_param(request.query_params, "teacher", "Учитель")
        analysis = keeping_analysis(user=current_user(request), calendar=calendar, span=span, teacher_id=teacher_id)
        if analysis.teacher_id is None:
            rows = [{"teacher": line.id, "name": line.name, **_keeping(line.figures)} for line in analysis.lines]
        else:
            rows = [
                {
                    "class": line.key[0] if line.key else None,
                    "subject": line.key[1] if line.key else None,
                    "subgroup": line.key[2] if line.key else None,
                    "name": line.name,
                    "norm": line.norm,
                    **_keeping(line.figures),
                }
                for line in analysis.lines
            ]
        return Response(
            {
                "span": _span(span, analysis.counted),
                "teacher": {"id": analysis.teacher_id, "name": analysis.teacher_name} if analysis.teacher_id else None,
                "rows": rows,
                "total": _keeping(analysis.total),
                "notes": analysis.notes,
            }
        )


def _execution(f: ExecutionFigures) -> dict[str, Any]:
    return {
        "year_plan": f.year_plan,
        "ktp_hours": f.ktp_hours,
        "curriculum_plan": f.curriculum_plan,
        "ktp_plan": f.ktp_plan,
        "plan": f.plan,
        "given": f.given,
        "lag": f.lag,
        "percent": _decimal(f.percent),
        "journals": f.journals,
        "lagging": f.lagging,
    }


class ProgramExecutionView(APIView):
    @extend_schema(
        parameters=[
            *SPAN_PARAMETERS,
            OpenApiParameter("group", str, enum=["journal", "teacher", "class", "subject"]),
            OpenApiParameter("teacher", int),
            OpenApiParameter("class", int),
            OpenApiParameter("subject", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Выполнение программы: план (учебный план, КТП) и проведённые уроки, отставание",
    )
    def get(self, request: Request) -> Response:
        calendar, span = _calendar(request, default="year")
        params = request.query_params
        analysis = program_execution(
            user=current_user(request),
            calendar=calendar,
            span=span,
            group=params.get("group") or "journal",
            teacher_id=id_param(params, "teacher", "Учитель"),
            class_id=id_param(params, "class", "Класс"),
            subject_id=id_param(params, "subject", "Предмет"),
        )
        return Response(
            {
                "span": _span(span, analysis.counted),
                "group": analysis.group,
                "lag_limit": LAG_LIMIT,
                "rows": [
                    {
                        "id": line.id,
                        "name": line.name,
                        "teacher": line.teacher or None,
                        "hours_per_week": _decimal(line.hours_per_week),
                        "has_ktp": line.has_ktp,
                        **_execution(line.figures),
                    }
                    for line in analysis.lines
                ],
                "total": _execution(analysis.total),
                "notes": analysis.notes,
            }
        )


urlpatterns = [
    path("reports/attendance/", AttendanceReportView.as_view(), name="api-report-attendance"),
    path("reports/journal-keeping/", JournalKeepingView.as_view(), name="api-report-journal-keeping"),
    path("reports/program-execution/", ProgramExecutionView.as_view(), name="api-report-program-execution"),
]
