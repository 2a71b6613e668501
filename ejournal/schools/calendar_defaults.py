"""The recommended calendar of a Russian school year (after the 2025/26 letter), as data for a new year.

Dates are data: the administrator edits them on the calendar page; this only fills a new year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import HolidayKind, PeriodKind


@dataclass(frozen=True)
class HolidaySpec:
    name: str
    start: dt.date
    end: dt.date
    kind: str = HolidayKind.VACATION
    grade_from: int = 1
    grade_to: int = 11


@dataclass(frozen=True)
class SchemeSpec:
    kind: str
    grade_from: int
    grade_to: int
    spans: list[tuple[dt.date, dt.date]]


@dataclass(frozen=True)
class YearSpec:
    name: str
    start: dt.date
    end: dt.date
    schemes: list[SchemeSpec]
    holidays: list[HolidaySpec]


def recommended_year(first_year: int) -> YearSpec:
    """1 September of `first_year` to 26 May of the next; quarters for 1–9, half-years for 10–11."""
    y, n = first_year, first_year + 1
    d = dt.date
    return YearSpec(
        name=f"{y}/{n}",
        start=d(y, 9, 1),
        end=d(n, 5, 26),
        schemes=[
            SchemeSpec(
                PeriodKind.QUARTER,
                1,
                9,
                [
                    (d(y, 9, 1), d(y, 10, 24)),
                    (d(y, 11, 3), d(y, 12, 30)),
                    (d(n, 1, 12), d(n, 3, 27)),
                    (d(n, 4, 6), d(n, 5, 26)),
                ],
            ),
            SchemeSpec(
                PeriodKind.HALF_YEAR,
                10,
                11,
                [
                    (d(y, 9, 1), d(y, 12, 30)),
                    (d(n, 1, 12), d(n, 5, 26)),
                ],
            ),
        ],
        holidays=[
            HolidaySpec("Осенние каникулы", d(y, 10, 25), d(y, 11, 2)),
            HolidaySpec("День народного единства", d(y, 11, 4), d(y, 11, 4), HolidayKind.PUBLIC),
            HolidaySpec("Зимние каникулы", d(y, 12, 31), d(n, 1, 11)),
            HolidaySpec("Дополнительные каникулы 1 класса", d(n, 2, 15), d(n, 2, 21), grade_from=1, grade_to=1),
            HolidaySpec("День защитника Отечества", d(n, 2, 23), d(n, 2, 23), HolidayKind.PUBLIC),
            HolidaySpec("Международный женский день", d(n, 3, 8), d(n, 3, 8), HolidayKind.PUBLIC),
            HolidaySpec("Весенние каникулы", d(n, 3, 28), d(n, 4, 5)),
            HolidaySpec("Праздник Весны и Труда", d(n, 5, 1), d(n, 5, 1), HolidayKind.PUBLIC),
            HolidaySpec("День Победы", d(n, 5, 9), d(n, 5, 9), HolidayKind.PUBLIC),
        ],
    )
