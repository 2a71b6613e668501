"""REST API of the security log and usage monitoring: the same selectors and access/ checks as the pages."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.paginator import Paginator
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import audit as access
from ejournal.access.roles import require
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.audit.params import parse_idle_days, parse_range
from ejournal.audit.selectors import events_page, usage_overview
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user
from ejournal.core.time import school_today


def _event(event: SecurityEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "kind": event.kind,
        "kind_title": event.get_kind_display(),
        "actor": event.actor_id,
        "subject": event.subject_id,
        "summary": event.summary,
        "ip": event.ip,
    }


class SecurityEventsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=EventKind.values),
            OpenApiParameter("page", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Журнал безопасности школы (администратор, директор)",
    )
    def get(self, request: Request) -> Response:
        events = access.visible_events(current_user(request))
        kind = request.query_params.get("kind", "")
        if kind and kind not in EventKind.values:
            raise ValidationFailed("Неизвестный вид события.", field="kind")
        page = Paginator(events_page(events, kind=kind), 100).get_page(request.query_params.get("page"))
        return Response(
            {"count": page.paginator.count, "page": page.number, "results": [_event(e) for e in page.object_list]}
        )


class UsageView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("idle", int, description="Дней без входа для списка учителей"),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Мониторинг использования: по ролям, классам и учителям без входа",
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        require(access.reads_usage(user))
        assert user.school is not None  # in_school
        params = request.query_params
        start, end = parse_range(params.get("start"), params.get("end"), school_today(user.school.timezone))
        overview = usage_overview(
            school=user.school, start=start, end=end, idle_days=parse_idle_days(params.get("idle"))
        )
        parents, parents_opened = overview.parents
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "by_role": [{**asdict(r), "share": r.share} for r in overview.by_role],
                "by_class": [
                    {**asdict(c), "students_share": c.students_share, "parents_share": c.parents_share}
                    for c in overview.by_class
                ],
                "parents": {"total": parents, "opened_diary": parents_opened},
                # Ids only: the names are on the page and in its export, which is logged.
                "idle_teachers": [
                    {"id": p.user_id, "last_login": p.last_login.isoformat() if p.last_login else None}
                    for p in overview.idle_teachers
                ],
            }
        )


urlpatterns = [
    path("audit/events/", SecurityEventsView.as_view(), name="api-audit-events"),
    path("audit/usage/", UsageView.as_view(), name="api-audit-usage"),
]
