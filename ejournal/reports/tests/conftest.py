"""A small school with hand-made marks whose figures are computed by hand in the tests.

5А (5 students): math by `teacher` on Monday (1st) and Wednesday (2nd lesson), Russian by `teacher2` on
Tuesday; the clock stands at 25.12.2026, late in the 2nd quarter.

2nd quarter, the mark counted per subject (set period mark, else the suggestion from the weighted average):
    s0: math 5, 5 → 5;               Russian period mark 5           → отличник
    s1: math 5, 4 → 4.50 → 5;        Russian 4 → 4                   → хорошист with one «4»
    s2: math test 3 (×2), 5 → 3.67 → 4; Russian period mark н/а       → н/а (неуспевающий по русскому)
    s3: math period mark осв;        Russian 2, 3 → 2.50 → 3         → with one «3»
    s4: no marks                                                     → no marks
1st quarter: s0 math 3, s1 math 5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from ejournal.conftest import SmallSchool, build_small_school
from ejournal.core import time as clock
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson, TeachingAssignment
from ejournal.journal import period_marks, services
from ejournal.journal.defaults import ensure_default_mark_kinds
from ejournal.schools.models import Period

TZ = ZoneInfo("Asia/Yekaterinburg")
TODAY = dt.date(2026, 12, 25)


def set_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date, hour: int = 15) -> None:
    moment = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)
    monkeypatch.setattr(clock, "now", lambda: moment)


@dataclass
class Marked:
    s: SmallSchool
    q1: Period
    q2: Period
    h1: Period

    def lesson(self, assignment: TeachingAssignment, day: dt.date) -> Lesson:
        return Lesson.objects.get(assignment=assignment, date=day)


def build_timetable(s: SmallSchool) -> None:
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=3, number=2)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=2, number=1)
    curriculum.generate_lessons(actor=s.admin, year=s.year)


def fill_marks(s: SmallSchool) -> Marked:
    kinds = {k.code: k for k in ensure_default_mark_kinds(s.school)}
    build_timetable(s)
    quarters = list(Period.objects.filter(scheme__year=s.year, scheme__grade_from=1).order_by("start"))
    half = Period.objects.filter(scheme__year=s.year, scheme__grade_from=10).order_by("start").first()
    assert half is not None
    m = Marked(s=s, q1=quarters[0], q2=quarters[1], h1=half)
    st = s.students_5a

    def math(day: dt.date, student: int, text: str) -> None:
        services.set_cell(actor=s.teacher, lesson=m.lesson(s.math_5a, day), student=st[student], text=text)

    def russian(day: dt.date, student: int, text: str) -> None:
        services.set_cell(actor=s.teacher2, lesson=m.lesson(s.russian_5a, day), student=st[student], text=text)

    mon, wed = dt.date(2026, 12, 14), dt.date(2026, 12, 16)
    tue, tue2 = dt.date(2026, 12, 15), dt.date(2026, 12, 22)
    math(mon, 0, "5")
    math(wed, 0, "5")
    math(mon, 1, "5")
    math(wed, 1, "4")
    services.set_marks(
        actor=s.teacher, lesson=m.lesson(s.math_5a, mon), student=st[2], values=["3"], kind=kinds["test"]
    )
    math(wed, 2, "5")
    russian(tue, 1, "4")
    russian(tue, 3, "2")
    russian(tue2, 3, "3")
    russian(tue, 4, "б")
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=st[3], period=m.q2, value="осв")
    period_marks.set_period_mark(actor=s.teacher2, assignment=s.russian_5a, student=st[0], period=m.q2, value="5")
    period_marks.set_period_mark(actor=s.teacher2, assignment=s.russian_5a, student=st[2], period=m.q2, value="н/а")
    q1_monday = dt.date(2026, 10, 5)
    math(q1_monday, 0, "3")
    math(q1_monday, 1, "5")
    return m


@pytest.fixture
def marked(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> Marked:
    set_clock(monkeypatch, TODAY)
    return fill_marks(small_school)


@pytest.fixture
def marked_school_of(db: None, monkeypatch: pytest.MonkeyPatch):
    """Build the marked school with any class size (the extra students have no marks): for query counts."""
    set_clock(monkeypatch, TODAY)

    def build(students: int) -> Marked:
        return fill_marks(build_small_school(name=f"Школа на {students}", students_per_class=students))

    return build
