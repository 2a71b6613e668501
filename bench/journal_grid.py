"""Benchmark of the teacher's journal: the 35 × 80 grid (selector + HTML, and the whole page request)
and saving one mark (history and the after-commit signal included), against the budgets of
docs/performance.md: grid ≤ 12 queries and ≤ 80 ms on SQLite, a mark save ≤ 30 ms.

`run()` expects Django set up with a migrated database (the bench runner's); `python -m bench.journal_grid`
alone makes a throw-away database (SQLite in WAL mode as production's embedded mode, or PostgreSQL with
EJOURNAL_DB=postgres), migrates it and prints the figures.
The data: class 10А of 35 students, a subject of 5 hours a week, the first half-year (≈ 80 lessons),
about 40 % of the cells with marks and 8 % with absences, as a real half-year looks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # models are imported once Django is set up
    from bench.harness import Figure
    from ejournal.accounts.models import User
    from ejournal.curriculum.models import Lesson, TeachingAssignment
    from ejournal.schools.models import Period

STUDENTS = 35
LESSONS_WANTED = 80
GRID_BUDGET_MS = 80.0
GRID_BUDGET_QUERIES = 12
SAVE_BUDGET_MS = 30.0


@dataclass
class Setup:
    teacher: User
    assignment: TeachingAssignment
    period: Period
    lessons: list[Lesson]
    students: list[User]


def build(seed: int = 1) -> Setup:
    """Create the school, class, timetable, lessons and a half-year of marks through the services
    (marks in bulk: their service is what the save figure measures)."""
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role
    from ejournal.curriculum import services as curriculum
    from ejournal.curriculum.models import Bell, Lesson
    from ejournal.journal.defaults import ensure_default_mark_kinds
    from ejournal.journal.models import Attendance, Mark
    from ejournal.schools import services as schools
    from ejournal.schools.calendar_defaults import recommended_year
    from ejournal.schools.models import Period
    from ejournal.schools.setup import create_year_from_spec

    rng = random.Random(seed)
    school = people.create_school(name="МАОУ «Школа для замеров»", short_name="Замеры")
    admin = people.create_person(
        actor=None, school=school, last_name="Админова", first_name="Анна", roles=[Role.ADMIN, Role.DEPUTY]
    )
    year = create_year_from_spec(actor=admin, school=school, spec=recommended_year(2026))
    teacher = people.create_person(
        actor=admin, school=school, last_name="Учителева", first_name="Ульяна", roles=[Role.TEACHER]
    )
    for number in range(1, 8):
        Bell.objects.create(
            school=school, number=number, starts_at=dt.time(7 + number, 0), ends_at=dt.time(7 + number, 40)
        )
    group = schools.create_class(actor=admin, year=year, grade=10, letter="А")
    subject = curriculum.create_subject(actor=admin, name="Русский язык", short_name="Рус")
    assignment = curriculum.create_assignment(actor=admin, teacher=teacher, class_group=group, subject=subject)
    for weekday in range(1, 6):
        curriculum.set_slot(actor=admin, year=year, assignment=assignment, weekday=weekday, number=2)
    curriculum.generate_lessons(actor=admin, year=year)
    students = []
    for i in range(STUDENTS):
        student = people.create_person(
            actor=admin, school=school, last_name=f"Ученикова{i:02d}", first_name="Мария", roles=[Role.STUDENT]
        )
        schools.enrol(actor=admin, student=student, class_group=group, start=year.start)
        students.append(student)
    period = Period.objects.filter(scheme__year=year, scheme__grade_from__lte=10, scheme__grade_to__gte=10).order_by(
        "start"
    )[0]
    lessons = list(
        Lesson.objects.filter(assignment=assignment, date__range=(period.start, period.end)).order_by("date", "number")
    )[:LESSONS_WANTED]
    kinds = ensure_default_mark_kinds(school)
    when = dt.datetime(2026, 12, 30, 15, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    marks, absences = [], []
    for lesson in lessons:
        for student in students:
            roll = rng.random()
            if roll < 0.08:
                absences.append(
                    Attendance(
                        school=school,
                        lesson=lesson,
                        student=student,
                        code=rng.choice("нбуп"),
                        updated_by=teacher,
                        updated_at=when,
                    )
                )
            elif roll < 0.48:
                for position in range(1 if rng.random() < 0.9 else 2):
                    marks.append(
                        Mark(
                            school=school,
                            lesson=lesson,
                            student=student,
                            position=position,
                            value=rng.choice("5554443332"),
                            kind=rng.choice(kinds[:4] + [kinds[0]] * 6),
                            created_by=teacher,
                            created_at=when,
                            updated_at=when,
                        )
                    )
    Mark.objects.bulk_create(marks, batch_size=2000)
    Attendance.objects.bulk_create(absences, batch_size=2000)
    return Setup(teacher=teacher, assignment=assignment, period=period, lessons=lessons, students=students)


def count_queries(fn: Callable[[], object]) -> int:
    """Queries of one call, counted at the cursor: seen through a whole request too."""
    from django.db import connection

    seen = 0

    def counter(execute, sql, params, many, context):
        nonlocal seen
        seen += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return seen


def run() -> list[Figure]:
    """Build the data and measure; returns harness Figures (the caller prints and checks them)."""
    from django.test import Client
    from django.urls import reverse

    from bench.harness import measure
    from ejournal.accounts.models import User
    from ejournal.core import time as clock
    from ejournal.journal import services
    from ejournal.journal.grid_html import render_grid_table
    from ejournal.journal.selectors import journal_grid

    fixed = dt.datetime(2026, 12, 30, 16, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    real_now = clock.now
    clock.now = lambda: fixed  # the end of the half-year: every lesson of it has taken place
    try:
        setup = build()

        def grid() -> object:
            # A fresh user each time, as each request has: the role lookup is part of the cost.
            teacher = User.objects.get(pk=setup.teacher.pk)
            data = journal_grid(user=teacher, assignment=setup.assignment.pk, period=setup.period)
            return render_grid_table(data)

        client = Client()
        client.force_login(setup.teacher)
        url = reverse("journal:grid", args=[setup.assignment.pk]) + f"?period={setup.period.pk}"

        def page() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        values = iter(["5", "4", "3", "5/4", "н", ""] * 100)
        lesson, student = setup.lessons[-1], setup.students[0]

        def save() -> object:
            teacher = User.objects.get(pk=setup.teacher.pk)
            return services.set_cell(actor=teacher, lesson=lesson, student=student, text=next(values))

        lessons_count = len(setup.lessons)
        return [
            measure(
                f"journal grid {STUDENTS}×{lessons_count}: selector + HTML",
                grid,
                budget_ms=GRID_BUDGET_MS,
                budget_queries=GRID_BUDGET_QUERIES,
            ),
            # The harness cannot see a request's queries (Django resets the log when a request starts).
            dataclasses.replace(
                measure(f"journal grid {STUDENTS}×{lessons_count}: page request", page, budget_ms=GRID_BUDGET_MS),
                queries=count_queries(page),
            ),
            measure("journal: save one mark (history, signal)", save, budget_ms=SAVE_BUDGET_MS, repeat=40),
        ]
    finally:
        clock.now = real_now


def main() -> int:
    from bench.databases import django_database

    with django_database():
        figures = run()
        for figure in figures:
            print(figure.line())
        return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
