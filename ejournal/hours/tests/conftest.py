"""5А of the small school with a timetable, and November 2026 changed by hand (the clock at 10.12.2026, so
November is over):

math (`teacher`) on Monday 1st and Wednesday 2nd, Russian (`teacher2`) on Tuesday 1st. In November the
autumn holidays take 2 November, the public holiday 4 November: math is planned 4 Mondays + 3 Wednesdays = 7,
Russian 4 Tuesdays = 4. Then math of Monday 16.11 is given by `teacher2` (a замена), math of Wednesday 18.11
is cancelled, an extra math lesson is given on Friday 20.11 (3rd), and math of 23.11 gets a topic.

    teacher:  plan 7, given 6 (7 − 1 replaced − 1 cancelled + 1 extra), replaced 1, cancelled 1, extra 1,
              without topic 5
    teacher2: plan 4, given 5 (4 + 1 замена), substituted 1, without topic 5
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ejournal.conftest import SmallSchool, build_small_school
from ejournal.curriculum import lessons as lesson_changes
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.journal import lessons as journal_lessons
from ejournal.journal.tests.conftest import set_clock

TODAY = dt.date(2026, 12, 10)
NOVEMBER = dt.date(2026, 11, 1)


@dataclass
class Changed:
    s: SmallSchool
    replaced: Lesson
    cancelled: Lesson
    extra: Lesson
    with_topic: Lesson


def build_changed(s: SmallSchool) -> Changed:
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=3, number=2)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=2, number=1)
    curriculum.generate_lessons(actor=s.admin, year=s.year)

    def math(day: dt.date) -> Lesson:
        return Lesson.objects.get(assignment=s.math_5a, date=day)

    replaced = lesson_changes.replace_teacher(
        actor=s.admin, lesson=math(dt.date(2026, 11, 16)), substitute=s.teacher2, note="болезнь"
    )
    cancelled = lesson_changes.cancel_lesson(actor=s.admin, lesson=math(dt.date(2026, 11, 18)), note="карантин")
    extra = lesson_changes.add_extra_lesson(actor=s.admin, assignment=s.math_5a, day=dt.date(2026, 11, 20), number=3)
    journal_lessons.set_topic(actor=s.teacher, lesson=math(dt.date(2026, 11, 23)), topic="Дроби")
    return Changed(s=s, replaced=replaced, cancelled=cancelled, extra=extra, with_topic=math(dt.date(2026, 11, 23)))


@pytest.fixture
def changed(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> Changed:
    set_clock(monkeypatch, TODAY)
    return build_changed(small_school)


@pytest.fixture
def changed_school_of(db: None, monkeypatch: pytest.MonkeyPatch):
    """Another changed school, with more teachers, for query counts."""
    set_clock(monkeypatch, TODAY)

    def build(name: str) -> Changed:
        return build_changed(build_small_school(name=name))

    return build
