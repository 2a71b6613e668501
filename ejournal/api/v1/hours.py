"""REST API of the hours given (issue 17): the same figures, access/ checks and service as the pages
(hours/views.py).

`month` (2026-11) or `period` (id) as on the pages; the current month without either.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import hours as access
from ejournal.access.tenancy import get_for
from ejournal.accounts.models import User
from ejournal.api.v1.inputs import IdField
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user
from ejournal.core.time import school_today
from ejournal.hours.figures import FIGURES, Confirmation, HoursFigures, TeacherHours, hours_figures
from ejournal.hours.models import MonthConfirmation
from ejournal.hours.services import confirm_month, previous_month
from ejournal.hours.spans import hours_span
from ejournal.reports.keeping_spans import school_calendar

SPAN_PARAMETERS = [
    OpenApiParameter("month", str, description="Месяц, 2026-11 (по умолчанию текущий)"),
    OpenApiParameter("period", int, description="Учебный период вместо месяца"),
]


def _span(figures: HoursFigures) -> dict[str, Any]:
    span = figures.span
    return {
        "label": span.label,
        "kind": span.kind,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "period": span.period.pk if span.period else None,
        "counted_to": figures.counted_to.isoformat() if figures.counted_to else None,
    }


def _confirmation(c: Confirmation | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "confirmed_at": c.confirmed_at.isoformat(),
        "confirmed_by": c.confirmed_by,
        "figures": c.figures,
        "discrepancies": c.discrepancies,
    }


def _teacher(figures: HoursFigures, t: TeacherHours) -> dict[str, Any]:
    return {
        "teacher": t.teacher_id,
        "name": t.name,
        **{key: t.figure(key) for key, _ in FIGURES},
        "days": {day.isoformat(): count for day, count in sorted(t.by_day.items())},
        "substituted_days": {day.isoformat(): count for day, count in sorted(t.substituted_by_day.items())},
        "confirmation": _confirmation(figures.confirmations.get(t.teacher_id)) if figures.is_month else None,
    }


def _figures(request: Request, teacher_id: int | None, *, with_lessons: bool = False) -> HoursFigures:
    user = current_user(request)
    calendar = school_calendar(user)
    span = hours_span(calendar, request.query_params)
    return hours_figures(
        school_id=calendar.school.pk,
        span=span,
        today=calendar.today,
        teacher_id=teacher_id,
        with_lessons=with_lessons,
    )


class HoursView(APIView):
    @extend_schema(
        parameters=SPAN_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        summary="Проведённые часы по учителям за месяц или период (учитель — только свои)",
    )
    def get(self, request: Request) -> Response:
        teacher_id = access.hours_teacher(current_user(request), None)
        figures = _figures(request, teacher_id)
        return Response(
            {
                "span": _span(figures),
                "teachers": [_teacher(figures, t) for t in figures.teachers],
                "total": {key: figures.total(key) for key, _ in FIGURES},
            }
        )


class TeacherHoursView(APIView):
    @extend_schema(
        parameters=SPAN_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        summary="Проведённые часы учителя: по предметам и классам и список уроков",
    )
    def get(self, request: Request, teacher_id: int) -> Response:
        access.hours_teacher(current_user(request), teacher_id)
        figures = _figures(request, teacher_id, with_lessons=True)
        t = figures.teachers[0]
        return Response(
            {
                "span": _span(figures),
                **_teacher(figures, t),
                "subjects": [
                    {"subject": x.subject, "class": x.class_name, "given": x.given, "substituted": x.substituted}
                    for x in t.subject_lines()
                ],
                "lessons": [
                    {
                        "id": x.id,
                        "date": x.date.isoformat(),
                        "number": x.number,
                        "class": x.class_name,
                        "subject": x.subject,
                        "kind": x.kind,
                        "topic": x.topic,
                        "without_topic": not x.topic,
                        "counted": x.counted,
                    }
                    for x in figures.lessons
                ],
            }
        )


class ConfirmSerializer(serializers.Serializer):
    month = serializers.CharField(max_length=7, help_text="Месяц, 2026-11")
    teacher = IdField(required=False, help_text="Учитель (только сам подтверждающий); по умолчанию — он")


def _row(c: MonthConfirmation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "teacher": c.teacher_id,
        "month": f"{c.month:%Y-%m}",
        "confirmed_by": c.confirmed_by_id,
        "confirmed_at": c.confirmed_at.isoformat(),
        "figures": c.figures,
    }


class ConfirmationsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="Месяц, 2026-11 (по умолчанию прошедший)")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Подтверждения часов за месяц: кто и когда подтвердил (учитель — только свои)",
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        teacher_id = access.hours_teacher(user, None)
        raw = (request.query_params.get("month") or "").strip()
        # Without a month: the one just over, the month teachers are confirming now.
        month = inputs.month_or_none(raw) if raw else previous_month(school_today(school_calendar(user).school))
        if month is None:
            raise ValidationFailed("Месяц указан неверно: нужен вид 2026-11.", field="month")
        rows = MonthConfirmation.objects.filter(school_id=user.school_id, month=month)
        if teacher_id is not None:
            rows = rows.filter(teacher_id=teacher_id)
        return Response({"results": [_row(c) for c in rows.order_by("confirmed_at", "pk")]})

    @extend_schema(
        request=ConfirmSerializer,
        responses={201: OpenApiTypes.OBJECT},
        summary="Учитель подтверждает свои проведённые часы за прошедший месяц",
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        access.require_reads_hours(user)
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        teacher = get_for(user, User, data.validated_data.get("teacher", user.pk))
        month = inputs.month_or_none(data.validated_data["month"])
        if month is None:
            raise ValidationFailed("Месяц указан неверно: нужен вид 2026-11.", field="month")
        confirmation = confirm_month(actor=user, teacher=teacher, month=month)
        return Response(_row(confirmation), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("hours/", HoursView.as_view(), name="api-hours"),
    path("hours/teachers/<id:teacher_id>/", TeacherHoursView.as_view(), name="api-hours-teacher"),
    path("hours/confirmations/", ConfirmationsView.as_view(), name="api-hours-confirmations"),
]
