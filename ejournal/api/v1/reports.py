"""REST API of the quality reports: the figures of each report as JSON, built by the same functions as the
pages (reports.school, reports.classes, reports.region), so the numbers are the page's and the XLSX's.

Each report answers {title, subtitle, columns: [{title, kind, group}], rows: [{cells, url, flagged}],
totals, figures: [{label, value, kind}], notes}; percents are numbers of percent (62.5), averages numbers.
Access as on the pages: a report outside the user's scope is 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import reports as access
from ejournal.core.errors import NotFound
from ejournal.core.requests import current_user
from ejournal.reports import classes, region, school
from ejournal.reports.pages import Page, parse_id, parse_view
from ejournal.reports.tables import CellValue, Report

PERIOD = OpenApiParameter("period", int, description="Период; без него — текущий")


def _value(value: CellValue) -> CellValue:
    return float(value) if isinstance(value, Decimal) else value


def report_payload(report: Report) -> dict[str, Any]:
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "columns": [{"title": c.title, "kind": c.kind, "group": c.group} for c in report.columns],
        "rows": [
            {"cells": [_value(v) for v in row.cells], "url": row.url, "flagged": row.flagged} for row in report.rows
        ],
        "totals": [_value(v) for v in report.totals.cells] if report.totals else None,
        "figures": [{"label": f.label, "value": _value(f.value), "kind": f.kind} for f in report.figures],
        "notes": report.notes,
    }


def _answer(page: Page) -> Response:
    return Response(report_payload(page.report))


class SchoolReportView(APIView):
    @extend_schema(
        parameters=[PERIOD, OpenApiParameter("by", str, enum=list(school.GROUPINGS), description="Разрез")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Сводный отчёт школы за период",
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        return _answer(
            school.school_summary(
                user=current_user(request),
                period_id=parse_id(q.get("period"), "period"),
                by=school.parse_grouping(q.get("by")),
            )
        )


class TeacherReportView(APIView):
    @extend_schema(
        parameters=[PERIOD, OpenApiParameter("teacher", int, description="Учитель (для администрации)")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Отчёт учителя по классам и предметам",
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        return _answer(
            school.teacher_report(
                user=current_user(request),
                period_id=parse_id(q.get("period"), "period"),
                teacher_id=parse_id(q.get("teacher"), "teacher"),
            )
        )


class ClassReportView(APIView):
    @extend_schema(
        parameters=[PERIOD, OpenApiParameter("view", str, enum=["students", "subjects"])],
        responses={200: OpenApiTypes.OBJECT},
        summary="Отчёт классного руководителя за период",
    )
    def get(self, request: Request, class_id: int) -> Response:
        q = request.query_params
        return _answer(
            classes.class_report(
                user=current_user(request),
                class_id=class_id,
                period_id=parse_id(q.get("period"), "period"),
                view=parse_view(q.get("view")),
            )
        )


class JournalReportView(APIView):
    @extend_schema(parameters=[PERIOD], responses={200: OpenApiTypes.OBJECT}, summary="Отчёт по предмету в классе")
    def get(self, request: Request, assignment_id: int) -> Response:
        return _answer(
            classes.journal_report(
                user=current_user(request),
                assignment_id=assignment_id,
                period_id=parse_id(request.query_params.get("period"), "period"),
            )
        )


class StudentReportView(APIView):
    @extend_schema(parameters=[PERIOD], responses={200: OpenApiTypes.OBJECT}, summary="Итоги ученика за период")
    def get(self, request: Request, student_id: int) -> Response:
        return _answer(
            classes.student_report(
                user=current_user(request),
                student_id=student_id,
                period_id=parse_id(request.query_params.get("period"), "period"),
            )
        )


class RegionReportView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="«2026/2027|quarter|1»; без него — последний")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Сводка по школам муниципалитета (без персональных данных)",
    )
    def get(self, request: Request) -> Response:
        return _answer(
            region.region_summary(user=current_user(request), key=request.query_params.get("period") or None)
        )


class ArchiveView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Архив автоматически сформированных отчётов")
    def get(self, request: Request) -> Response:
        user = current_user(request)
        if not access.reads_school_reports(user):
            raise NotFound()
        rows = access.visible_stored_reports(user).values(
            "pk", "key", "occasion", "grouping", "title", "subtitle", "as_of", "created_at"
        )[:400]
        return Response(
            [
                {
                    **{k: v for k, v in row.items() if k != "pk"},
                    "id": row["pk"],
                    "as_of": row["as_of"].isoformat(),
                    "created_at": row["created_at"].isoformat(),
                    "xlsx": reverse("reports:archive_file", args=[row["pk"], "xlsx"]),
                    "pdf": reverse("reports:archive_file", args=[row["pk"], "pdf"]),
                }
                for row in rows
            ]
        )


urlpatterns = [
    path("reports/school/", SchoolReportView.as_view(), name="api-reports-school"),
    path("reports/teacher/", TeacherReportView.as_view(), name="api-reports-teacher"),
    path("reports/classes/<id:class_id>/", ClassReportView.as_view(), name="api-reports-class"),
    path("reports/journals/<id:assignment_id>/", JournalReportView.as_view(), name="api-reports-journal"),
    path("reports/students/<id:student_id>/", StudentReportView.as_view(), name="api-reports-student"),
    path("reports/region/", RegionReportView.as_view(), name="api-reports-region"),
    path("reports/archive/", ArchiveView.as_view(), name="api-reports-archive"),
]
