"""Security events: append-only, readable by the school's administrator and director.

The application never updates or deletes a row (the model refuses; on PostgreSQL a trigger refuses too),
so an administrator who covers his tracks through the product cannot.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class EventKind(models.TextChoices):
    LOGIN = "login", "вход"
    LOGIN_FAILED = "login_failed", "неудачный вход"
    LOCKOUT = "lockout", "блокировка входа"
    LOGOUT = "logout", "выход"
    PASSWORD_CHANGED = "password_changed", "смена пароля"
    PASSWORD_RESET = "password_reset", "сброс пароля"
    CREDENTIALS_ISSUED = "credentials_issued", "выдача логина и пароля"
    TWO_FACTOR = "two_factor", "двухфакторная аутентификация"
    ROLE_GRANTED = "role_granted", "выдача роли"
    ROLE_REVOKED = "role_revoked", "снятие роли"
    ROLE_GRANT_REFUSED = "role_grant_refused", "отказ в выдаче роли: неверный пароль"
    USER_CREATED = "user_created", "создание пользователя"
    USER_CHANGED = "user_changed", "изменение пользователя"
    USER_DEACTIVATED = "user_deactivated", "отключение пользователя"
    USER_ACTIVATED = "user_activated", "включение пользователя"
    PERSONAL_DATA_EXPORT = "pd_export", "выгрузка персональных данных"
    IMPORT = "import", "импорт"
    ESIA_LINKED = "esia_linked", "привязка Госуслуг"
    SCHOOL_SETTINGS = "school_settings", "изменение настроек школы"
    NOTIFICATION_RETRY = "notification_retry", "повторная отправка уведомления"
    TELEGRAM_LINKED = "telegram_linked", "подключение Telegram"


class SecurityEvent(models.Model):
    """`school` is null for events before a school is known (a failed login with an unknown name)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What was done, in Russian, without personal data beyond the ids above (no names, no СНИЛС).
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "событие безопасности"
        verbose_name_plural = "журнал безопасности"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["school", "at"]), models.Index(fields=["school", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Записи журнала безопасности не изменяются.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Записи журнала безопасности не удаляются.")


class UsageDay(models.Model):
    """How many requests a person made to a part of the product on a day (diary, journal, reports…).

    Written in batches by audit.usage, never one row per request: a school's monitoring needs who used
    what and when, not a click stream.
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    section = models.CharField(max_length=32)
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "использование за день"
        verbose_name_plural = "использование по дням"
        constraints = [models.UniqueConstraint(fields=["user", "date", "section"], name="usage_day_unique")]
        indexes = [models.Index(fields=["school", "date", "section"])]

    def __str__(self) -> str:
        return f"{self.date} {self.section} {self.requests}"
