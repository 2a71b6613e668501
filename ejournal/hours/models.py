"""A teacher's confirmation of the hours they gave in a month (append-only: a new confirmation is a new row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import AppendOnly, SchoolScoped


class MonthConfirmation(SchoolScoped, AppendOnly):
    """«Часы за месяц подтверждаю»: who, when, and the figures exactly as they stood then (figures.snapshot).

    The latest row of a teacher and month is the one in force; a later change of the lessons is shown as a
    discrepancy against `figures`, never written into it."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_confirmations", verbose_name="учитель"
    )
    month = models.DateField("месяц (первое число)")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="подтвердил"
    )
    confirmed_at = models.DateTimeField("подтверждено")
    figures = models.JSONField("цифры при подтверждении")

    class Meta:
        verbose_name = "подтверждение часов за месяц"
        verbose_name_plural = "подтверждения часов"
        ordering = ["month", "teacher_id", "confirmed_at"]
        indexes = [models.Index(fields=["school", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y} — {self.teacher_id}"
