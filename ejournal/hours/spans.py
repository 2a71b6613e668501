"""The month or period the hours are read for, from the query string of the page and of the API."""

from __future__ import annotations

from collections.abc import Mapping

from ejournal.reports.keeping_spans import Calendar, Span, parse_span


def hours_span(calendar: Calendar, params: Mapping[str, str]) -> Span:
    """`month` (2026-11) or `period` (id); the current month without either. Hours are paid by months and
    periods, so the reports' free «from–to» dates are not read here."""
    return parse_span(calendar, {key: params[key] for key in ("month", "period") if params.get(key)})
