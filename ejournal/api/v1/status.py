"""REST API of «Состояние системы»: the same data as the page, for the school's administrator and director
(access/status.py). Anyone else: 404."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import roles
from ejournal.access import status as access
from ejournal.core import time as clock
from ejournal.core.requests import current_user
from ejournal.status.state import as_json, system_status


class SystemStatusView(APIView):
    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="Состояние системы: база, обработчик задач, копии, диск, уведомления, ошибки за сутки",
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.reads_status(user))
        assert user.school is not None
        return Response(as_json(system_status(user.school, clock.now())))


urlpatterns = [
    path("status/", SystemStatusView.as_view(), name="api-status"),
]
