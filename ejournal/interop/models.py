"""An import: the uploaded file kept between the preview and the commit, its report and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import SchoolScoped

from .kinds import ImportKind


class ImportStatus(models.TextChoices):
    READY = "ready", "проверен, ждёт подтверждения"
    QUEUED = "queued", "выполняется"
    REJECTED = "rejected", "есть ошибки, не импортирован"
    COMMITTED = "committed", "импортирован"
    FAILED = "failed", "не выполнен, ничего не изменено"
    DISCARDED = "discarded", "отменён"


class ImportBatch(SchoolScoped):
    """One uploaded file of one kind. The file stays in `content` only while it waits for the commit: after
    the commit, a refusal or a cancel the bytes are dropped (personal data are kept no longer than needed);
    the hash, the counts and the per-row report remain."""

    kind = models.CharField("вид", max_length=16, choices=ImportKind.choices)
    status = models.CharField("состояние", max_length=16, choices=ImportStatus.choices)
    year = models.ForeignKey("schools.AcademicYear", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("зачисление с")
    file_name = models.CharField("файл", max_length=200)
    file_size = models.PositiveIntegerField("размер, байт")
    file_sha256 = models.CharField("SHA-256 файла", max_length=64)
    content = models.BinaryField("содержимое", blank=True, default=b"")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committed_at = models.DateTimeField("импортирован", null=True, blank=True)
    rows_total = models.PositiveIntegerField("строк", default=0)
    created_count = models.PositiveIntegerField("будет создано / создано", default=0)
    updated_count = models.PositiveIntegerField("будет изменено / изменено", default=0)
    unchanged_count = models.PositiveIntegerField("без изменений", default=0)
    error_count = models.PositiveIntegerField("ошибок", default=0)
    # {"file_error": str, "rows": [{"row", "action", "label", "changes", "errors": [{"column", "message"}]}]}
    report = models.JSONField("отчёт", default=dict, blank=True)

    class Meta:
        verbose_name = "импорт"
        verbose_name_plural = "импорты"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "created_at"])]

    def __str__(self) -> str:
        return f"Импорт №{self.pk} ({self.get_kind_display()})"
