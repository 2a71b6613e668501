"""REST API of imports: upload a file and get its preview report, commit it, cancel it, list earlier imports.

The responsible administrator's only (access.interop); anyone else gets 404, anonymous 403. The same services
as the pages: the upload answers with the per-row report, the commit is queued for the worker (202) and
the import's status is then read from its detail.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ejournal.access import interop as access
from ejournal.access import schools as access_schools
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user as _user
from ejournal.core.time import school_today
from ejournal.interop import services
from ejournal.interop.kinds import ImportKind
from ejournal.interop.models import ImportBatch
from ejournal.schools.models import AcademicYear
from ejournal.schools.selectors import default_year


class BatchSerializer(serializers.ModelSerializer):
    status_text = serializers.CharField(source="get_status_display", read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    committed_by = serializers.IntegerField(source="committed_by_id", read_only=True, allow_null=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id", "kind", "status", "status_text", "year", "start", "file_name", "file_size", "file_sha256",
            "created_by", "created_at", "committed_by", "committed_at", "rows_total", "created_count",
            "updated_count", "unchanged_count", "error_count",
        ]  # fmt: skip


class BatchReportSerializer(BatchSerializer):
    report = serializers.JSONField(
        read_only=True,
        help_text='{"file_error": "...", "rows": [{"row", "action": "create|update|unchanged|error", "label", '
        '"changes": [...], "errors": [{"column", "message"}], "confirm": ["admin"|"director"]}], '
        '"confirm": [{"row", "roles", "name"}]} — confirm: строки, выдающие роль администратора или директора',
    )

    # From the report, so only here: the list defers the reports.
    needs_password = serializers.SerializerMethodField(
        help_text="Файл выдаёт роль администратора или директора: commit требует поле password."
    )

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "report", "needs_password"]

    def get_needs_password(self, obj: ImportBatch) -> bool:
        return services.needs_password(obj)


class UploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    year = serializers.PrimaryKeyRelatedField(
        queryset=AcademicYear.objects.none(), required=False, help_text="По умолчанию — текущий учебный год."
    )
    start = serializers.DateField(required=False, help_text="Зачислить с; по умолчанию — начало учебного года.")
    file = serializers.FileField(help_text="XLSX или CSV (UTF-8 / Windows-1251, «;» или «,»)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["year"].queryset = access_schools.visible_years(_user(request))  # type: ignore[attr-defined]


class CommitSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="Текущий пароль: обязателен, если файл выдаёт роль администратора или директора (needs_password).",
    )


class ImportView(generics.GenericAPIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication: its CSRF check would read (and store) a 100 MB body.
        if request.method == "POST":
            services.check_request_size(request.META.get("CONTENT_LENGTH"))
        super().initial(request, *args, **kwargs)
        access.require_may_import(_user(request))

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return access.visible_batches(_user(self.request)).defer("content").order_by("-created_at", "-id")


class ImportList(ImportView, generics.ListAPIView):
    serializer_class = BatchSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return super().get_queryset().defer("report")

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: BatchReportSerializer},
        summary="Загрузить файл и получить предварительный отчёт",
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        data = UploadSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        v = data.validated_data
        year = v.get("year")
        if year is None:
            years = list(access_schools.visible_years(user))
            year = default_year(years, school_today(user.school.timezone))  # type: ignore[union-attr]
            if year is None:
                raise ValidationFailed("В школе нет учебного года: сначала создайте его.", field="year")
        upload = v["file"]
        if upload.size > services.max_bytes():
            raise services.too_big(upload.size)
        batch = services.upload(
            actor=user, kind=v["kind"], file_name=upload.name or "", data=upload.read(), year=year, start=v.get("start")
        )
        return Response(BatchReportSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetail(ImportView, generics.RetrieveAPIView):
    serializer_class = BatchReportSerializer


class ImportCommit(ImportView):
    serializer_class = BatchSerializer

    @extend_schema(request=CommitSerializer, responses={202: BatchSerializer}, summary="Импортировать проверенный файл")
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(self.get_queryset(), pk=pk)
        data = CommitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        password = data.validated_data.get("password")
        batch = services.request_commit(actor=_user(request), batch=batch, password=password, request=request)
        return Response(BatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class ImportDiscard(ImportView):
    serializer_class = BatchSerializer

    @extend_schema(request=None, responses={200: BatchSerializer}, summary="Отменить проверенный импорт")
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(BatchSerializer(services.discard(actor=_user(request), batch=batch)).data)


urlpatterns = [
    path("imports/", ImportList.as_view(), name="api-imports"),
    path("imports/<id:pk>/", ImportDetail.as_view(), name="api-import"),
    path("imports/<id:pk>/commit/", ImportCommit.as_view(), name="api-import-commit"),
    path("imports/<id:pk>/discard/", ImportDiscard.as_view(), name="api-import-discard"),
]
