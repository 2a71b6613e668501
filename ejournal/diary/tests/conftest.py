"""A diary worth reading, written through the journal's services: two quarters of marks with kinds and
weights, period and year marks, homework with a file, and a previous school year of the same child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.conftest import SmallSchool
from ejournal.core import time as clock
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.journal import lessons, period_marks, services
from ejournal.journal.defaults import ensure_default_mark_kinds
from ejournal.journal.models import Homework, HomeworkAttachment, MarkKind
from ejournal.schools import services as schools
from ejournal.schools.calendar_defaults import recommended_year
from ejournal.schools.models import Period
from ejournal.schools.setup import create_year_from_spec

TZ = ZoneInfo("Asia/Yekaterinburg")
TODAY = dt.date(2026, 12, 23)  # a Wednesday late in the second quarter


@dataclass
class Diary:
    s: SmallSchool
    child: User  # the parent's child, in 5А
    kinds: dict[str, MarkKind]
    q1: Period
    q2: Period
    old_q1: Period  # the child's first quarter of 2025/26, in 4А
    upcoming: Homework  # due after today, with a file
    past: Homework  # due before today
    attachment: HomeworkAttachment


def freeze(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    moment = dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=TZ)
    monkeypatch.setattr(clock, "now", lambda: moment)


def build_diary(s: SmallSchool) -> Diary:
    kinds = {kind.code: kind for kind in ensure_default_mark_kinds(s.school)}
    # Math on Monday (1st lesson) and Wednesday (2nd), Russian on Tuesday (1st).
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=3, number=2)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=2, number=1)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    q1, q2 = list(Period.objects.filter(scheme__year=s.year, scheme__grade_from=1).order_by("start"))[:2]
    child = s.students_5a[0]

    def marks(assignment_id: int, day: dt.date, values: list[str], kind: str, student: User = child) -> None:
        lesson = Lesson.objects.get(assignment_id=assignment_id, date=day)
        services.set_marks(actor=lesson.teacher, lesson=lesson, student=student, values=values, kind=kinds[kind])

    # First quarter, math: 5 (answer, weight 1) and 4 (test, weight 2) → (5 + 8) / 3 = 4.33; the teacher gives 4.
    marks(s.math_5a.pk, dt.date(2026, 9, 7), ["5"], "answer")
    marks(s.math_5a.pk, dt.date(2026, 9, 9), ["4"], "test")
    # Second quarter: math 3 (test) and 5/4 (two answers in one lesson) → 15 / 4 = 3.75; Russian 4; a classmate's 2.
    marks(s.math_5a.pk, dt.date(2026, 12, 7), ["3"], "test")
    marks(s.math_5a.pk, dt.date(2026, 12, 14), ["5", "4"], "answer")
    marks(s.russian_5a.pk, dt.date(2026, 12, 15), ["4"], "answer")
    marks(s.math_5a.pk, dt.date(2026, 12, 7), ["2"], "test", student=s.students_5a[1])
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=child, value="4", period=q1)
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=s.students_5a[1], value="3", period=q1)

    today_math = Lesson.objects.get(assignment=s.math_5a, date=TODAY)
    upcoming = lessons.set_homework(
        actor=s.teacher, lesson=today_math, text="№ 512, 514", due_date=dt.date(2026, 12, 28)
    )
    earlier = Lesson.objects.get(assignment=s.russian_5a, date=dt.date(2026, 12, 15))
    past = lessons.set_homework(actor=s.teacher2, lesson=earlier, text="Упражнение 125", due_date=dt.date(2026, 12, 22))
    assert upcoming is not None and past is not None
    attachment = HomeworkAttachment.objects.create(
        school=s.school,
        homework=upcoming,
        file="homework/1/2026/cards.pdf",
        original_name="карточки.pdf",
        size=2048,
        content_type="application/pdf",
        uploaded_by=s.teacher,
        uploaded_at=timezone.now(),
    )

    # The child's previous year: 4А of 2025/26, a first-quarter mark 5 and a year mark 5 in math.
    old_year = create_year_from_spec(actor=s.admin, school=s.school, spec=recommended_year(2025))
    class_4a = schools.create_class(actor=s.admin, year=old_year, grade=4, letter="А")
    schools.enrol(actor=s.admin, student=child, class_group=class_4a, start=old_year.start, end=old_year.end)
    math_4a = curriculum.create_assignment(actor=s.admin, teacher=s.teacher, class_group=class_4a, subject=s.math)
    old_q1 = Period.objects.filter(scheme__year=old_year, scheme__grade_from=1).order_by("start").first()
    assert old_q1 is not None
    period_marks.set_period_mark(actor=s.teacher, assignment=math_4a, student=child, value="5", period=old_q1)
    period_marks.set_period_mark(actor=s.teacher, assignment=math_4a, student=child, value="5", kind="year")
    return Diary(
        s=s,
        child=child,
        kinds=kinds,
        q1=q1,
        q2=q2,
        old_q1=old_q1,
        upcoming=upcoming,
        past=past,
        attachment=attachment,
    )


@pytest.fixture
def diary(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> Diary:
    freeze(monkeypatch, TODAY)
    return build_diary(small_school)
