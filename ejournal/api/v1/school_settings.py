"""REST API of «Настройки школы»: management reads, the administrator changes (PATCH with the changed fields)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.api.v1.errors import raise_first_error
from ejournal.core.requests import current_user
from ejournal.schools.models import School
from ejournal.schools.settings import EDITABLE, update_school_settings


class SchoolSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = list(EDITABLE)


class SchoolSettingsView(APIView):
    @extend_schema(responses={200: SchoolSettingsSerializer}, summary="Настройки школы")
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access_schools.reads_school_settings(user))
        return Response(SchoolSettingsSerializer(School.objects.get(pk=user.school_id)).data)

    @extend_schema(
        request=SchoolSettingsSerializer,
        responses={200: SchoolSettingsSerializer, 422: OpenApiTypes.OBJECT},
        summary="Изменить настройки школы (администратор)",
    )
    def patch(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access_schools.changes_school_settings(user))
        school = School.objects.get(pk=user.school_id)
        serializer = SchoolSettingsSerializer(school, data=request.data, partial=True)
        raise_first_error(serializer)
        changes: dict[str, Any] = dict(serializer.validated_data)
        update_school_settings(actor=user, school=school, changes=changes)
        return Response(SchoolSettingsSerializer(School.objects.get(pk=school.pk)).data)


urlpatterns = [path("school/settings/", SchoolSettingsView.as_view(), name="api-school-settings")]
