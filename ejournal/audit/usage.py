"""Usage of the product by person, day and part (diary, journal, reports…), counted without a write per request.

Each process counts requests in memory and writes the counts in one batch every USAGE_FLUSH_SECONDS
(default 60) — at the start of a request after the interval, or at the process's end. A process that
dies loses at most that interval of counts: usage figures are statistics, not records (marks and
attendance have their own history, logins their security events).
"""

from __future__ import annotations

import atexit
import threading
import time
from collections import Counter
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import UsageDay

Key = tuple[int, int, date, str]  # school, user, day, section

_lock = threading.Lock()
_pending: Counter[Key] = Counter()
_last_flush = time.monotonic()


def count(*, school_id: int, user_id: int, day: date, section: str) -> None:
    with _lock:
        _pending[(school_id, user_id, day, section)] += 1


def flush_due() -> None:
    """Write the counts if the interval has passed since the last write."""
    interval = getattr(settings, "USAGE_FLUSH_SECONDS", 60)
    if time.monotonic() - _last_flush >= interval and _pending:
        flush()


def flush() -> int:
    """Write every pending count; returns the number of (person, day, part) rows touched."""
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    for key, requests in batch.items():
        _add(key, requests)
    return len(batch)


def _add(key: Key, requests: int) -> None:
    school_id, user_id, day, section = key
    rows = UsageDay.objects.filter(user_id=user_id, date=day, section=section)
    if rows.update(requests=F("requests") + requests):
        return
    try:
        with transaction.atomic():
            UsageDay.objects.create(school_id=school_id, user_id=user_id, date=day, section=section, requests=requests)
    except IntegrityError:
        # Another process created the row between our update and insert.
        rows.update(requests=F("requests") + requests)


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:
        return


atexit.register(_flush_at_exit)
