"""Benchmark of the diary week a student or parent opens: the selector, and the whole page request as a
parent makes it, against the budget of docs/performance.md: ≤ 8 queries and ≤ 40 ms on SQLite (goal ≤ 15 ms).

The data is the demo generator's (the same as `ejournal demo`): a 5th grade of 30 students with its real
timetable, subgroups, topics, marks, absences and homework up to «today», a Friday in December, so the
week measured is a full one. `python -m bench.diary_week` makes a throw-away SQLite file (WAL), migrates
it, prints the figures and the page's size, and exits 1 when a budget is missed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models are imported once Django is set up
    from bench.harness import Figure

TODAY = dt.date(2026, 12, 18)
STUDENTS = 30
BUDGET_MS = 40.0
BUDGET_QUERIES = 8
PAGE_BUDGET_BYTES = 100 * 1024


def run() -> tuple[list[Figure], int]:
    """Generate the class and measure; returns the Figures and the week page's size in bytes."""
    from django.test import Client
    from django.urls import reverse

    from bench.harness import measure
    from bench.journal_grid import count_queries
    from ejournal.accounts.models import Guardianship, Role, User
    from ejournal.core import time as clock
    from ejournal.demo.generator import generate
    from ejournal.diary.selectors import diary_week

    result = generate(1, classes_per_parallel=1, students_per_class=STUDENTS, grades=(5,), today=TODAY)
    # A parent only (some demo parents also teach: their menu reads more).
    link = (
        Guardianship.objects.filter(school=result.school)
        .exclude(parent__role_grants__role=Role.TEACHER)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    assert link is not None, "the demo school has parents"
    child, parent = link.child, link.parent
    real_now = clock.now
    noon = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC)
    clock.now = lambda: noon  # the one clock: the page's "this week" is the generated one
    try:

        def selector() -> object:
            # A fresh student each time, as each request has.
            week = diary_week(User.objects.select_related("school").get(pk=child.pk), TODAY)
            assert sum(len(day.lessons) for day in week.days) >= 20, "a full week"
            return week

        client = Client()
        client.force_login(parent)
        url = reverse("diary:student_week", args=[child.pk])

        def page() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        size = len(page().content)  # type: ignore[attr-defined]
        figures = [
            measure("diary week: selector", selector, budget_ms=BUDGET_MS, budget_queries=BUDGET_QUERIES),
            # The harness cannot see a request's queries (Django resets the log when a request starts).
            dataclasses.replace(
                measure("diary week: parent's page request", page, budget_ms=BUDGET_MS),
                queries=count_queries(page),
                budget_queries=BUDGET_QUERIES,
            ),
        ]
        return figures, size
    finally:
        clock.now = real_now


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
        os.environ["EJOURNAL_SQLITE"] = os.path.join(tmp, "bench.sqlite3")
        os.environ["EJOURNAL_VAR_DIR"] = tmp
        import django
        from django.core.management import call_command

        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0)
        figures, size = run()
        for figure in figures:
            print(figure.line())
        light = size <= PAGE_BUDGET_BYTES
        print(
            f"{'diary week: page HTML':<44} {size / 1024:.1f} KB  budget ≤{PAGE_BUDGET_BYTES // 1024} KB  "
            f"{'ok' if light else 'OVER BUDGET'}"
        )
        return 0 if light and all(f.met for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
