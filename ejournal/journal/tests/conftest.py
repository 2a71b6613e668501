"""A school with a timetable, generated lessons, mark kinds and a fixed clock for the journal's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from ejournal.accounts.models import User
from ejournal.conftest import SmallSchool, build_small_school
from ejournal.core import time as clock
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson, TeachingAssignment
from ejournal.journal import services
from ejournal.journal.defaults import ensure_default_mark_kinds
from ejournal.journal.models import MarkKind
from ejournal.journal.services import MarkInput
from ejournal.schools import services as schools
from ejournal.schools.models import ClassGroup, Period, School

TZ = ZoneInfo("Asia/Yekaterinburg")
# Late in the second quarter of 2026/27: the first quarter is over, the second nearly.
TODAY = dt.date(2026, 12, 25)


def make_kinds(school: School) -> dict[str, MarkKind]:
    """The school's kinds of work as a new school gets them (answer 1 by default, test 2, essay 2…)."""
    return {kind.code: kind for kind in ensure_default_mark_kinds(school)}


def set_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date, hour: int = 15) -> None:
    """Fix the one clock (core.time.now): every "now" and "today" of the product reads it."""
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


@dataclass
class Transfer:
    """5А and 5Б of the same parallel, math in both (Учителева in 5А, Педагогов in 5Б), English in 5А by two
    subgroups. The first student of 5А (whose parent is `s.parent`), in the first English subgroup, has
    math marks 2, 2, 2 in 5А, moves to 5Б on `first_day` (in the second quarter) and gets a test (weight 2)
    4 and an answer 3 there: over the quarter (2+2+2+4×2+3) / 6 = 2,83; 5Б alone would make 3,67."""

    j: Journal
    class_5b: ClassGroup
    math_5b: TeachingAssignment
    english_1: TeachingAssignment
    english_2: TeachingAssignment
    student: User
    first_day: dt.date
    before: list[Lesson]  # math lessons of 5А in the quarter before the transfer, the first three marked
    after: list[Lesson]  # math lessons of 5Б in the quarter from the transfer, the first two marked

    @property
    def s(self) -> SmallSchool:
        return self.j.s


def build_transfer(j: Journal) -> Transfer:
    s = j.s
    class_5b = schools.create_class(actor=s.admin, year=s.year, grade=5, letter="Б")
    math_5b = curriculum.create_assignment(actor=s.admin, teacher=s.teacher2, class_group=class_5b, subject=s.math)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=math_5b, weekday=2, number=3)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=math_5b, weekday=4, number=3)
    english = curriculum.create_subject(actor=s.admin, name="Английский язык", short_name="Англ")
    groups = [
        schools.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=english, name=name, students=members)
        for name, members in (("1 группа", s.students_5a[:2]), ("2 группа", s.students_5a[2:]))
    ]
    english_1, english_2 = (
        curriculum.create_assignment(actor=s.admin, teacher=t, class_group=s.class_5a, subject=english, subgroup=g)
        for t, g in ((s.teacher, groups[0]), (s.teacher2, groups[1]))
    )
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=english_1, weekday=5, number=1)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=english_2, weekday=5, number=2)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    student = s.students_5a[0]
    first_day = j.q2.start + dt.timedelta(days=21)
    before = [lesson for lesson in j.in_period(j.q2) if lesson.date < first_day]
    for lesson in before[:3]:
        services.set_cell_content(actor=s.teacher, lesson=lesson, student=student, marks=["2"], attendance="")
    schools.transfer(actor=s.admin, student=student, to_class=class_5b, first_day=first_day)
    after = list(
        Lesson.objects.filter(assignment=math_5b, date__range=(first_day, j.q2.end)).order_by("date", "number")
    )
    services.set_cell_content(
        actor=s.teacher2, lesson=after[0], student=student, marks=[MarkInput("4", j.kinds["test"])], attendance=""
    )
    services.set_cell_content(actor=s.teacher2, lesson=after[1], student=student, marks=["3"], attendance="")
    return Transfer(j, class_5b, math_5b, english_1, english_2, student, first_day, before, after)


@pytest.fixture
def transfer(journal: Journal) -> Transfer:
    return build_transfer(journal)
