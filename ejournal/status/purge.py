"""The retention of the server-error trace: a daily tick deletes rows older than RETENTION (30 days)."""

from __future__ import annotations

import datetime as dt

from django.db import models

from .models import RETENTION, ServerError


def purge(now: dt.datetime) -> int:
    """Rows older than the retention go (the PostgreSQL trigger allows exactly these). How many went."""
    old = ServerError.objects.filter(at__lt=now - RETENTION)
    # AppendOnlyQuerySet.delete refuses on purpose; the purge of the retention is the one deletion allowed.
    deleted, _ = models.QuerySet.delete(old)
    return deleted
