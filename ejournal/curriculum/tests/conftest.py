"""Helpers of the curriculum tests: the small school of ejournal/conftest.py with a timetable and lessons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.curriculum import services
from ejournal.curriculum.models import Lesson

# Dates of the 2026/27 year of the fixtures (recommended calendar): Monday 7 September is a school day,
# Monday 26 October is in the autumn holidays, Monday 15 February 2027 is grade 1's extra holiday week.
MONDAY = dt.date(2026, 9, 7)
TUESDAY = dt.date(2026, 9, 8)
WEDNESDAY = dt.date(2026, 9, 9)
AUTUMN_HOLIDAY = dt.date(2026, 10, 26)
FEBRUARY_MONDAY = dt.date(2027, 2, 15)


def url(name: str, *args: Any, **params: Any) -> str:
    from urllib.parse import urlencode

    base = reverse(f"curriculum:{name}", args=args)
    return f"{base}?{urlencode(params)}" if params else base


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def lesson_of(assignment: Any, day: dt.date) -> Lesson:
    return Lesson.objects.get(assignment=assignment, date=day)


@pytest.fixture
def timetabled(small_school: Any) -> Any:
    """Math 5А (Учителева) on Monday 1st and Wednesday 2nd, Russian 5А (Педагогов) on Monday 2nd; lessons made."""
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1, room="21")
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=3, number=2)
    services.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=1, number=2)
    services.generate_lessons(actor=s.admin, year=s.year)
    return s
