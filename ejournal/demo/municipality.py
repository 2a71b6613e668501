"""A municipality of demo schools: `generate_municipality(20)` builds twenty schools one after another.

Each school is a full `generate()` in its own transaction, with its own seed (so the schools differ), its own
responsible administrator and its own logins: the first school of a database keeps plain logins, every later one
gets the prefix `s<number>.` (s2.ivanova.ma…), so one database holds a whole municipality without clashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from .generator import DemoResult, generate

DEFAULT_SCHOOLS = 20


def generate_municipality(
    schools: int = DEFAULT_SCHOOLS,
    *,
    seed: int = 1,
    classes_per_parallel: int = 3,
    students_per_class: int = 33,
    grades: Iterable[int] = range(1, 11),
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    on_school: Callable[[int, DemoResult], None] | None = None,
) -> list[DemoResult]:
    """Build `schools` schools (by default 30 classes of 33: 990 students each) and return their results;
    `on_school(number, result)` is called after each one is committed (for timing and progress)."""
    if schools < 1:
        raise ValueError("schools: не меньше 1")
    grade_list = list(grades)
    results = []
    for number in range(1, schools + 1):
        result = generate(
            seed + number - 1,
            classes_per_parallel=classes_per_parallel,
            students_per_class=students_per_class,
            grades=grade_list,
            today=today,
            progress=progress,
        )
        results.append(result)
        if on_school:
            on_school(number, result)
    return results
