"""Dates are the school's: "today" is the school's local day, not the server's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def school_today(tz_name: str) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(tz_name)).date()


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
