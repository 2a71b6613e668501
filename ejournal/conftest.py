"""Fixtures shared by every app's tests: a small school built through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ejournal.accounts import services as people
from ejournal.accounts.models import Role, User
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Bell, Subject, TeachingAssignment
from ejournal.schools import services as schools
from ejournal.schools.calendar_defaults import recommended_year
from ejournal.schools.models import AcademicYear, ClassGroup, School
from ejournal.schools.setup import create_year_from_spec

FIRST_YEAR = 2026  # the 2026/2027 school year; tests never depend on the machine's clock


@dataclass
class SmallSchool:
    """One school: a 2026/27 calendar, classes 5А and 10А, teachers, students, parents, a timetable."""

    school: School
    year: AcademicYear
    admin: User
    director: User
    deputy: User
    teacher: User
    teacher2: User
    class_teacher: User
    class_5a: ClassGroup
    class_10a: ClassGroup
    math: Subject
    russian: Subject
    math_5a: TeachingAssignment
    russian_5a: TeachingAssignment
    students_5a: list[User] = field(default_factory=list)
    students_10a: list[User] = field(default_factory=list)
    parent: User | None = None

    def person(self, last: str, first: str, *roles: str) -> User:
        return people.create_person(actor=self.admin, school=self.school, last_name=last, first_name=first, roles=roles)


def build_small_school(name: str = "Школа №1", students_per_class: int = 5) -> SmallSchool:
    school = people.create_school(name=f"МАОУ «{name}»", short_name=name)
    admin = people.create_person(
        actor=None, school=school, last_name="Админова", first_name="Анна", roles=[Role.ADMIN, Role.DEPUTY]
    )
    year = create_year_from_spec(actor=admin, school=school, spec=recommended_year(FIRST_YEAR))

    def person(last: str, first: str, *roles: str) -> User:
        return people.create_person(actor=admin, school=school, last_name=last, first_name=first, roles=roles)

    director = person("Директоров", "Дмитрий", Role.DIRECTOR)
    deputy = person("Завучева", "Зоя", Role.DEPUTY)
    teacher = person("Учителева", "Ульяна", Role.TEACHER)
    teacher2 = person("Педагогов", "Пётр", Role.TEACHER)
    class_teacher = person("Классова", "Клара", Role.TEACHER)
    for number in range(1, 8):
        Bell.objects.create(
            school=school,
            number=number,
            starts_at=dt.time(8 + number - 1, 0),
            ends_at=dt.time(8 + number - 1, 40),
        )
    class_5a = schools.create_class(actor=admin, year=year, grade=5, letter="А", class_teachers=[class_teacher])
    class_10a = schools.create_class(actor=admin, year=year, grade=10, letter="А")
    math = curriculum.create_subject(actor=admin, name="Математика", short_name="Мат")
    russian = curriculum.create_subject(actor=admin, name="Русский язык", short_name="Рус")
    math_5a = curriculum.create_assignment(actor=admin, teacher=teacher, class_group=class_5a, subject=math)
    russian_5a = curriculum.create_assignment(actor=admin, teacher=teacher2, class_group=class_5a, subject=russian)
    built = SmallSchool(
        school=school,
        year=year,
        admin=admin,
        director=director,
        deputy=deputy,
        teacher=teacher,
        teacher2=teacher2,
        class_teacher=class_teacher,
        class_5a=class_5a,
        class_10a=class_10a,
        math=math,
        russian=russian,
        math_5a=math_5a,
        russian_5a=russian_5a,
    )
    for i in range(students_per_class):
        for group, bucket in ((class_5a, built.students_5a), (class_10a, built.students_10a)):
            student = person(f"Ученик{group.grade}{i}", f"Имя{i}", Role.STUDENT)
            schools.enrol(actor=admin, student=student, class_group=group, start=year.start)
            bucket.append(student)
    built.parent = person("Родителева", "Раиса", Role.PARENT)
    people.link_parent(actor=admin, parent=built.parent, child=built.students_5a[0])
    return built


@pytest.fixture
def small_school(db: None) -> SmallSchool:
    return build_small_school()


@pytest.fixture
def other_school(db: None) -> SmallSchool:
    """Another school of the region: nothing of it may show through to the first."""
    return build_small_school(name="Школа №2", students_per_class=2)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; Playwright never downloads a browser of its own."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser page (own cookies) on the live test server."""
    context = chromium.new_context(base_url=live_server.url, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page: Any, user: User, password: str = "Brow-ser-42") -> None:
    """Sign in through the real login form."""
    user.set_password(password)
    user.save(update_fields=["password"])
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
