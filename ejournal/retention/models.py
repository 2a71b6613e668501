"""The log of deletions of stored items whose retention term is over: who, when, what, with which checksum."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import AppendOnly, SchoolScoped


class Deletion(AppendOnly, SchoolScoped):
    """An expired stored book or report the administrator deleted, confirming it. Append-only: the trace of a
    deletion outlives the thing deleted."""

    at = models.DateTimeField("удалено")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("вид", max_length=16)
    item_id = models.PositiveBigIntegerField("номер")
    title = models.CharField("что", max_length=400)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    since = models.DateField("хранилось с")
    until = models.DateField("срок хранения до")
    reason = models.CharField("основание", max_length=500)

    class Meta:
        verbose_name = "удаление по истечении срока хранения"
        verbose_name_plural = "удаления по истечении срока хранения"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.title
