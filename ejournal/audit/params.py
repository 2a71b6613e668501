"""Filters of the monitoring pages and API, parsed once: bad input is refused with a Russian message."""

from __future__ import annotations

import datetime as dt

from ejournal.core.errors import ValidationFailed

MAX_RANGE_DAYS = 400


def parse_range(raw_start: str | None, raw_end: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """A date range from the form; default the last 30 days. Bad dates are refused, not guessed."""
    try:
        end = dt.date.fromisoformat(raw_end) if raw_end else today
        start = dt.date.fromisoformat(raw_start) if raw_start else end - dt.timedelta(days=29)
    except ValueError as error:
        raise ValidationFailed("Даты указываются в виде ГГГГ-ММ-ДД.") from error
    if start > end:
        raise ValidationFailed("Начало периода позже его окончания.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationFailed("Период не длиннее 400 дней.")
    return start, end


def parse_idle_days(raw: str | None) -> int:
    try:
        days = int(raw) if raw else 14
    except ValueError as error:
        raise ValidationFailed("Число дней без входа — целое число.") from error
    if not 1 <= days <= 365:
        raise ValidationFailed("Число дней без входа — от 1 до 365.")
    return days
