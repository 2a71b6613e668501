"""A school with a timetable, generated lessons, mark kinds and a fixed clock for the journal's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from ejournal.accounts.models import User
from ejournal.conftest import SmallSchool, build_small_school
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson, TeachingAssignment
from ejournal.journal import clock
from ejournal.journal.defaults import ensure_default_mark_kinds
from ejournal.journal.models import MarkKind
from ejournal.schools.models import Period, School

TZ = ZoneInfo("Asia/Yekaterinburg")
# Late in the second quarter of 2026/27: the first quarter is over, the second nearly.
TODAY = dt.date(2026, 12, 25)


def make_kinds(school: School) -> dict[str, MarkKind]:
    """The school's kinds of work as a new school gets them (answer 1 by default, test 2, essay 2…)."""
    return {kind.code: kind for kind in ensure_default_mark_kinds(school)}


def set_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date, hour: int = 15) -> None:
    moment = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)
    monkeypatch.setattr(clock, "now", lambda: moment)


@dataclass
class Journal:
    """The small school with math in 5А on Monday (1st) and Wednesday (2nd lesson), Russian on Tuesday."""

    s: SmallSchool
    kinds: dict[str, MarkKind]
    q1: Period
    q2: Period
    lessons: list[Lesson]  # math 5А, whole year, by date

    @property
    def teacher(self) -> User:
        return self.s.teacher

    @property
    def assignment(self) -> TeachingAssignment:
        return self.s.math_5a

    @property
    def students(self) -> list[User]:
        return self.s.students_5a

    def lesson_on(self, day: dt.date) -> Lesson:
        return next(lesson for lesson in self.lessons if lesson.date == day)

    def in_period(self, period: Period) -> list[Lesson]:
        return [lesson for lesson in self.lessons if period.start <= lesson.date <= period.end]


def build_journal(s: SmallSchool) -> Journal:
    kinds = make_kinds(s.school)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=3, number=2)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=2, number=1)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    quarters = list(Period.objects.filter(scheme__year=s.year, scheme__grade_from=1).order_by("start"))
    lessons = list(Lesson.objects.filter(assignment=s.math_5a).order_by("date", "number"))
    return Journal(s=s, kinds=kinds, q1=quarters[0], q2=quarters[1], lessons=lessons)


@pytest.fixture
def journal(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> Journal:
    set_clock(monkeypatch, TODAY)
    return build_journal(small_school)


@pytest.fixture
def big_journal(db: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], Journal]:
    """Build a journal of any class size (for query counts)."""
    set_clock(monkeypatch, TODAY)

    def build(students: int) -> Journal:
        return build_journal(build_small_school(name=f"Школа на {students}", students_per_class=students))

    return build
