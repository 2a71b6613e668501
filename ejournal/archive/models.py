"""The backup log (журнал пользования резервной копией): every backup, its ISO image, archive, copy-out, restore
and drill.

Append-only like the other history tables: a school must be able to show years later who took which copy of
its journal, where to, and with what checksum; an administrator cannot erase that through the product.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import AppendOnly, SchoolScoped


class LogKind(models.TextChoices):
    BACKUP = "backup", "резервная копия"
    ISO = "iso", "образ ISO для записи на диск"
    ARCHIVE = "archive", "архив периода"
    COPY_OUT = "copy_out", "выдача копии"
    RESTORE = "restore", "восстановление"
    DRILL = "drill", "проверочное восстановление"


class LogStatus(models.TextChoices):
    DONE = "done", "выполнено"
    FAILED = "failed", "ошибка"
    REFUSED = "refused", "отказано"


class BackupLogEntry(AppendOnly):
    """`school` is null for a full backup or restore: it is of the whole installation, not of one school."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=16, choices=LogKind.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.TextField()
    where = models.TextField(blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=LogStatus.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "запись журнала резервных копий"
        verbose_name_plural = "журнал резервных копий"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["school", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}: {self.get_status_display()}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "готово"
    FAILED = "failed", "не выполнено"


class ArchiveJob(SchoolScoped):
    """A backup or a period archive ordered from a page or the API and made by the worker; the page follows its
    status. `sealed_code` holds the period archive's access code only between the order and the moment the worker
    takes the job: AES-GCM under a one-time key derived from SECRET_KEY (never in the database or a backup), and
    erased when taken or expired (archive.jobs). The result is the backup log's entry."""

    kind = models.CharField(
        max_length=16, choices=[(LogKind.BACKUP, "резервная копия"), (LogKind.ARCHIVE, "архив периода")]
    )
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    period = models.ForeignKey("schools.Period", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sealed_code = models.BinaryField(blank=True, default=b"")
    entry = models.ForeignKey(BackupLogEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "задание резервного копирования"
        verbose_name_plural = "задания резервного копирования"
        ordering = ["-ordered_at", "-id"]
        indexes = [models.Index(fields=["school", "ordered_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} №{self.pk}: {self.get_status_display()}"
