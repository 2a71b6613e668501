"""The one clock, and dates as the school sees them: "today" is the school's local day, not the server's.

Every "now" and "today" of the product comes from here, so a test fixes the time in one place
(`set_clock` in journal/tests/conftest.py patches `now`). Call `now()` through the module
(`from ejournal.core import time as clock; clock.now()`): a name imported on its own would keep the
real clock when a test patches it. `school_today` looks `now` up at each call, so importing it is fine.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone


class HasTimezone(Protocol):
    """A school (or anything with its IANA zone name), without core importing the schools app."""

    timezone: str


def now() -> dt.datetime:
    return timezone.now()


def school_today(school_or_tz: HasTimezone | str | None = None) -> dt.date:
    """The school's local date: a mark at 23:30 in Perm counts for that day, not UTC's. Without a school
    (people of the region, operators) the server's zone (settings.TIME_ZONE)."""
    if school_or_tz is None:
        return timezone.localtime(now()).date()
    name = school_or_tz if isinstance(school_or_tz, str) else school_or_tz.timezone
    return now().astimezone(ZoneInfo(name)).date()


def daterange(start: dt.date, end: dt.date):
    """Every day from start to end, both included."""
    day = start
    one = dt.timedelta(days=1)
    while day <= end:
        yield day
        day += one


def ru_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


WEEKDAYS_RU = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]
WEEKDAYS_SHORT_RU = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
MONTHS_RU = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
