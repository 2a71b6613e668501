"""Server errors of the last days, for the «Состояние системы» page: a short trace of each, nothing else.

Only the time, the path without its query, the exception's class and the answer's code: no request body, no
query string, no user — the page must not become a second, unprotected copy of what people typed. Append-only
(core.models.AppendOnly, a PostgreSQL trigger), except that rows older than RETENTION are purged by a tick.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from ejournal.core.models import AppendOnly

RETENTION = dt.timedelta(days=30)


class ServerError(AppendOnly):
    """`school` is the signed-in user's school when known; null for an anonymous request or a worker's error."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)
    path = models.CharField(max_length=300)
    exception = models.CharField(max_length=200, blank=True)
    status_code = models.PositiveSmallIntegerField(default=500)

    class Meta:
        verbose_name = "ошибка сервера"
        verbose_name_plural = "ошибки сервера"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.path}: {self.exception or self.status_code}"
