"""The journal's one source of "now": tests set it instead of depending on the machine's clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def school_today(tz_name: str) -> dt.date:
    """The school's local date: a mark at 23:30 in Perm counts for that day, not UTC's."""
    return now().astimezone(ZoneInfo(tz_name)).date()
