"""Codes of the hours' refusals (docs/api-errors.md)."""

from enum import StrEnum


class HoursCode(StrEnum):
    MONTH_NOT_OVER = "hours.month_not_over"
    MONTH_OUTSIDE_YEAR = "hours.month_outside_year"
    ALREADY_CONFIRMED = "hours.already_confirmed"
