"""REST API of homework files: list, upload (multipart) and removal under a lesson.

The same access/ scopes and services as the grid's lesson panel: listing is open to everyone who sees
the lesson (students of the class and their parents too); upload and removal to whoever may write the
lesson, refused in a closed period. Out of scope is 404. The file itself downloads from the "url" of
each item (the journal's download view, same session).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import curriculum as access_curriculum
from ejournal.access import journal as access
from ejournal.core.errors import NotFound
from ejournal.core.requests import current_user as _user
from ejournal.curriculum.models import Lesson
from ejournal.journal import attachments as homework_files
from ejournal.journal import payloads


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    size_text = serializers.CharField()
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    uploaded_by = serializers.CharField()
    url = serializers.CharField(help_text="Скачать файл (та же сессия)")


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, DOCX, XLSX, PPTX, ODT, JPEG, PNG, TXT; до 10 МБ; можно несколько")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


def _reason(request: Request) -> str:
    data = request.data
    return str(data.get("reason", "") or "")[:500] if isinstance(data, dict) else ""


def _listed(lesson: Lesson) -> list[dict[str, object]]:
    return [payloads.attachment(item) for item in homework_files.lesson_attachments(lesson)]


class AttachmentListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: AttachmentSerializer(many=True)}, summary="Файлы домашнего задания урока")
    def get(self, request: Request, lesson_id: int) -> Response:
        lesson = access_curriculum.visible_lessons(_user(request)).filter(pk=lesson_id).first()
        if lesson is None:
            raise NotFound()
        return Response(_listed(lesson))

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer(many=True)},
        summary="Приложить файлы к домашнему заданию",
    )
    def post(self, request: Request, lesson_id: int) -> Response:
        user = _user(request)
        lesson = access.journal_lessons(user).filter(pk=lesson_id).select_related("school").first()
        if lesson is None:
            raise NotFound()
        homework_files.check_request_size(request.META.get("CONTENT_LENGTH"))
        homework_files.add_attachments(
            actor=user,
            lesson=lesson,
            uploads=request.FILES.getlist("file"),
            reason=str(request.POST.get("reason", ""))[:500],
        )
        return Response(_listed(lesson), status=201)


class AttachmentDeleteSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AttachmentDetailView(APIView):
    @extend_schema(
        request=AttachmentDeleteSerializer,
        responses={204: None},
        summary="Удалить файл задания (reason — для исправления администратором)",
    )
    def delete(self, request: Request, lesson_id: int, attachment_id: int) -> Response:
        user = _user(request)
        item = (
            access.visible_attachments(user)
            .filter(pk=attachment_id, homework__lesson_id=lesson_id)
            .select_related("homework")
            .first()
        )
        if item is None:
            raise NotFound()
        homework_files.remove_attachment(actor=user, attachment=item, reason=_reason(request))
        return Response(status=204)


urlpatterns = [
    path("journal/lessons/<id:lesson_id>/attachments/", AttachmentListView.as_view(), name="api-journal-attachments"),
    path(
        "journal/lessons/<id:lesson_id>/attachments/<id:attachment_id>/",
        AttachmentDetailView.as_view(),
        name="api-journal-attachment",
    ),
]
