"""The main list pages and the API list endpoints make as many SQL queries for a class of 25 as for a class of 5.

Two schools are built once for the module (and rolled back after it) through the same services as the pages:
a class 5А of 5 students with math twice a week, and one of 25 students with math four times a week, both
with marks, absences and homework on every past lesson of the second quarter, period marks and a subgroup.
Each page is requested once to warm per-process caches, then once counted at the database cursor (which also
sees the session and user queries of the request); the two counts must be equal. The SQL captured here is
also what test_school_scoping.py checks for the school filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.conftest import SmallSchool, build_small_school
from ejournal.core import time as clock
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.journal import period_marks
from ejournal.journal.defaults import ensure_default_mark_kinds
from ejournal.journal.models import Attendance, Homework, Mark
from ejournal.schools import services as schools
from ejournal.schools.models import Period

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Yekaterinburg")
TODAY = dt.date(2026, 12, 25)  # late in the second quarter of 2026/27
MONDAY = dt.date(2026, 12, 14)  # a full school week before TODAY
SMALL, LARGE = 5, 25


@dataclass
class Filled:
    """A small_school-like school with a quarter of journal records in 5А."""

    s: SmallSchool
    q2: Period
    lessons: list[Lesson]  # math and Russian 5А lessons of the second quarter up to TODAY

    @property
    def math_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.assignment_id == self.s.math_5a.pk]


def _now() -> dt.datetime:
    return dt.datetime(TODAY.year, TODAY.month, TODAY.day, 15, 0, tzinfo=TZ)


def build_filled_school(students: int, math_days: tuple[int, ...]) -> Filled:
    """The fixture school with `students` a class, math 5А on `math_days`, Russian on Tuesday, and records."""
    s = build_small_school(name=f"Школа на {students}", students_per_class=students)
    kinds = ensure_default_mark_kinds(s.school)
    for number, weekday in enumerate(math_days, 1):
        curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=weekday, number=number)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=2, number=5)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    q2 = list(Period.objects.filter(scheme__year=s.year, scheme__grade_from__lte=5).order_by("start"))[1]
    lessons = list(
        Lesson.objects.filter(class_group=s.class_5a, date__range=(q2.start, TODAY)).order_by("date", "number")
    )
    now = _now()
    marks, absences, homework = [], [], []
    for i, lesson in enumerate(lessons):
        homework.append(
            Homework(school=s.school, lesson=lesson, text=f"Задание {i}", created_by=lesson.teacher, created_at=now)
        )
        for j, student in enumerate(s.students_5a):
            if (i + j) % 7 == 0:
                absence = dict(code="н", updated_by=lesson.teacher, updated_at=now)
                absences.append(Attendance(school=s.school, lesson=lesson, student=student, **absence))
            else:
                marks.append(
                    Mark(
                        school=s.school,
                        lesson=lesson,
                        student=student,
                        position=0,
                        value="54321"[(i + j) % 5],
                        kind=kinds[0],
                        created_by=lesson.teacher,
                        created_at=now,
                        updated_at=now,
                    )
                )
    Mark.objects.bulk_create(marks)
    Attendance.objects.bulk_create(absences)
    Homework.objects.bulk_create(homework)
    for student in s.students_5a:
        period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=student, period=q2, value="4")
    half = s.students_5a[: len(s.students_5a) // 2]
    schools.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=s.russian, name="1 подгруппа", students=half)
    return Filled(s=s, q2=q2, lessons=lessons)


# Math lessons a week: more students and more lessons in the large school.
MATH_DAYS = {SMALL: (1, 3), LARGE: (1, 2, 3, 4)}


@contextmanager
def filled_schools(django_db_blocker: Any, *sizes: int) -> Iterator[dict[int, Filled]]:
    """Schools of the given class sizes, built at TODAY and rolled back when the block ends."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", _now)
        yield {size: build_filled_school(size, MATH_DAYS[size]) for size in sizes}
        transaction.set_rollback(True)


def fix_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", _now)


@pytest.fixture(scope="module")
def schools_by_size(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[int, Filled]]:
    with filled_schools(django_db_blocker, SMALL, LARGE) as built:
        yield built


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    fix_clock(monkeypatch)


def capture_sql(fn: Callable[[], object]) -> list[str]:
    """Every statement `fn` sends, counted at the cursor: a whole request's, session and user included."""
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fn()
    return seen


@dataclass(frozen=True)
class Page:
    """A page or API list: who opens it and its address in a filled school."""

    name: str
    who: str  # attribute of SmallSchool
    address: Callable[[Filled], str]


def _url(name: str, *args: object, **params: object) -> str:
    base = reverse(name, args=args)
    return f"{base}?{urlencode(params)}" if params else base


PAGES = [
    Page("journal grid", "teacher", lambda f: _url("journal:grid", f.s.math_5a.pk, period=f.q2.pk)),
    Page("journal list", "teacher", lambda f: _url("journal:index")),
    Page("journal year page", "teacher", lambda f: _url("journal:summary", f.s.math_5a.pk)),
    Page("class overview", "class_teacher", lambda f: _url("journal:class_overview", f.s.class_5a.pk, period=f.q2.pk)),
    Page("class list", "admin", lambda f: _url("schools:class_list")),
    Page("class page (students)", "admin", lambda f: _url("schools:class_detail", f.s.class_5a.pk)),
    Page(
        "timetable", "admin", lambda f: _url("curriculum:timetable", **{"year": f.s.year.pk, "class": f.s.class_5a.pk})
    ),
    Page("teacher's week", "teacher", lambda f: _url("curriculum:teacher_week", week=MONDAY.isoformat())),
    Page("diary week: student", "students_5a.0", lambda f: _url("diary:week", week=MONDAY.isoformat())),
    Page(
        "diary week: parent",
        "parent",
        lambda f: _url("diary:student_week", f.s.students_5a[0].pk, week=MONDAY.isoformat()),
    ),
    Page("API journals", "teacher", lambda f: _url("api-journals")),
    Page("API journal grid", "teacher", lambda f: _url("api-journal-grid", f.s.math_5a.pk, period=f.q2.pk)),
    Page("API class overview", "class_teacher", lambda f: _url("api-journal-class-overview", f.s.class_5a.pk)),
    Page("API lesson files", "teacher", lambda f: _url("api-journal-attachments", f.math_lessons[0].pk)),
    Page("API years", "admin", lambda f: _url("api-years")),
    Page("API holidays", "admin", lambda f: _url("api-year-holidays", f.s.year.pk)),
    Page("API classes", "admin", lambda f: _url("api-classes")),
    Page("API class enrolments", "admin", lambda f: _url("api-class-enrolments", f.s.class_5a.pk)),
    Page("API subgroups", "admin", lambda f: _url("api-subgroups", class_group=f.s.class_5a.pk)),
    Page("API subjects", "admin", lambda f: _url("api-subjects")),
    Page("API curriculum hours", "admin", lambda f: _url("api-curriculum-hours")),
    Page("API assignments", "admin", lambda f: _url("api-assignments")),
    Page("API planned topics", "admin", lambda f: _url("api-planned-topics", f.s.math_5a.pk)),
    Page("API bells", "admin", lambda f: _url("api-bells")),
    Page("API timetable slots", "admin", lambda f: _url("api-timetable-slots", year=f.s.year.pk)),
    Page(
        "API lessons",
        "admin",
        lambda f: _url("api-lessons", **{"from": MONDAY.isoformat(), "to": TODAY.isoformat()}),
    ),
]


def user_of(filled: Filled, who: str) -> User:
    value: Any = filled.s
    for part in who.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def page_sql(filled: Filled, page: Page) -> list[str]:
    """The SQL of one request of `page`, after a warm-up request; the page must answer 200."""
    client = Client()
    client.force_login(user_of(filled, page.who))
    address = page.address(filled)
    assert client.get(address).status_code == 200, (page.name, address)
    responses = []
    sql = capture_sql(lambda: responses.append(client.get(address)))
    assert responses[0].status_code == 200, (page.name, address)
    return sql


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_queries_do_not_grow_with_students_and_lessons(schools_by_size: dict[int, Filled], page: Page) -> None:
    small = page_sql(schools_by_size[SMALL], page)
    large = page_sql(schools_by_size[LARGE], page)
    assert len(large) == len(small), f"{page.name}: {len(small)} queries for {SMALL} students, {len(large)} for {LARGE}"


def test_the_large_school_really_is_larger(schools_by_size: dict[int, Filled]) -> None:
    small, large = schools_by_size[SMALL], schools_by_size[LARGE]
    assert len(large.s.students_5a) == 5 * len(small.s.students_5a)
    assert len(large.lessons) > 1.5 * len(small.lessons)
    assert Mark.objects.filter(school=large.s.school).count() > 5 * Mark.objects.filter(school=small.s.school).count()
