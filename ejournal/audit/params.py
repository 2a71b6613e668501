"""Filters of the monitoring pages and API, read by ejournal/core/inputs.py: bad input is refused with a
Russian message (422, as these pages always have)."""

from __future__ import annotations

import datetime as dt

from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed

MAX_RANGE_DAYS = 400
DEFAULT_DAYS = 30
DEFAULT_IDLE_DAYS = 14
MAX_IDLE_DAYS = 365


def _day(raw: str | None, name: str) -> dt.date | None:
    if raw is None or not raw.strip():
        return None
    day = inputs.date_or_none(raw)
    if day is None:
        # Within 1900–2200 the default start (end − 29 days) and the day after the end stay computable.
        raise ValidationFailed(
            f"Даты указываются в виде {inputs.DATE_FORMAT_HINT} между {inputs.MIN_DATE.year} и "
            f"{inputs.MAX_DATE.year} годом.",
            field=name,
        )
    return day


def parse_range(raw_start: str | None, raw_end: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """A date range from the form; default the last 30 days. Bad dates are refused, not guessed."""
    end = _day(raw_end, "end") or today
    start = _day(raw_start, "start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed("Начало периода позже его окончания.", field="start")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationFailed(f"Период не длиннее {MAX_RANGE_DAYS} дней.", field="end")
    return start, end


def parse_idle_days(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return DEFAULT_IDLE_DAYS
    days = inputs.count_or_none(raw, low=1, high=MAX_IDLE_DAYS)
    if days is None:
        raise ValidationFailed(f"Число дней без входа — целое число от 1 до {MAX_IDLE_DAYS}.", field="idle")
    return days
