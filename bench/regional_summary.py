"""Benchmark of the municipal summary across 1,000 schools (reports.region.region_summary and its page).

Budget (docs/performance.md): read from stored aggregates, not raw marks: the summary's queries must touch no table
of the journal, and their number must not grow with the schools (the viewer's lookup and the selector's five).
Time has a goal, not a budget: ≤ 100 ms for 1,000 schools, printed for the selector; the whole page (1,000 table
rows, the chart) is printed beside it.

The data: 1,000 schools with a year of four quarters each and stored figures (SchoolPeriodFigures, as the
worker computes them) for every quarter, one municipality over all of them and one person of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.harness import Figure
    from ejournal.accounts.models import User

SCHOOLS = 1000
GOAL_MS = 100.0
BUDGET_QUERIES = 6
RAW_TABLES = ("journal_", "curriculum_lesson", "schools_enrolment")


def build(schools: int = SCHOOLS, seed: int = 1) -> User:
    """The schools, their quarters and stored figures in bulk; returns the municipality's viewer."""
    from django.utils import timezone

    from ejournal.accounts.models import User
    from ejournal.reports.models import Municipality, RegionViewer, SchoolPeriodFigures
    from ejournal.schools.models import AcademicYear, Period, PeriodKind, PeriodScheme, School

    rng = random.Random(seed)
    made = School.objects.bulk_create(
        School(name=f"МАОУ «СОШ № {n}»", short_name=f"СОШ № {n:04d}", municipality="Пермский край")
        for n in range(1, schools + 1)
    )
    years = AcademicYear.objects.bulk_create(
        AcademicYear(school=s, name="2026/2027", start=dt.date(2026, 9, 1), end=dt.date(2027, 5, 26)) for s in made
    )
    schemes = PeriodScheme.objects.bulk_create(
        PeriodScheme(school=y.school, year=y, kind=PeriodKind.QUARTER, grade_from=1, grade_to=11) for y in years
    )
    bounds = [((2026, 9, 1), (2026, 10, 24)), ((2026, 11, 3), (2026, 12, 28)), ((2027, 1, 9), (2027, 3, 20))]
    bounds.append(((2027, 3, 30), (2027, 5, 26)))
    periods = Period.objects.bulk_create(
        Period(school=sc.school, scheme=sc, number=n, start=dt.date(*start), end=dt.date(*end))
        for sc in schemes
        for n, (start, end) in enumerate(bounds, 1)
    )
    now = timezone.now()
    figures = []
    for period in periods:
        students = rng.randint(300, 1200)
        n5, n4 = int(students * rng.uniform(0.05, 0.15)), int(students * rng.uniform(0.3, 0.45))
        n2 = int(students * rng.uniform(0.0, 0.04))
        figures.append(
            SchoolPeriodFigures(
                school=period.school,
                period=period,
                year_name="2026/2027",
                period_kind=PeriodKind.QUARTER,
                period_number=period.number,
                computed_at=now,
                classes=students // 30,
                n5=n5,
                n4=n4,
                n3=students - n5 - n4 - n2,
                n2=n2,
                marks_count=students * 40,
                marks_sum=students * 40 * 4,
            )
        )
    SchoolPeriodFigures.objects.bulk_create(figures, batch_size=2000)
    municipality = Municipality.objects.create(name="Министерство образования края")
    municipality.schools.add(*made)
    viewer = User.objects.create_user(username="region.viewer", password="bench-2026", last_name="Краева")
    RegionViewer.objects.create(user=viewer, municipality=municipality)
    return viewer


def run() -> tuple[list[Figure], list[str]]:
    """The figures, and the summary's queries that read raw journal tables (there must be none)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.harness import measure
    from bench.journal_grid import count_queries
    from ejournal.accounts.models import User
    from ejournal.reports.region import region_summary

    viewer = build()

    def summary() -> object:
        page = region_summary(user=User.objects.get(pk=viewer.pk), key=None)
        assert len(page.report.rows) == SCHOOLS, len(page.report.rows)
        return page

    with CaptureQueriesContext(connection) as captured:
        summary()
    raw = [q["sql"] for q in captured.captured_queries if any(f'"{t}' in q["sql"] for t in RAW_TABLES)]
    client = Client()
    client.force_login(viewer)
    url = reverse("reports:region")

    def page() -> object:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    selector = measure(
        f"regional summary, {SCHOOLS} schools: selector", summary, budget_ms=None, budget_queries=BUDGET_QUERIES
    )
    whole = dataclasses.replace(
        measure(f"regional summary, {SCHOOLS} schools: page request", page, budget_ms=None, repeat=10),
        queries=count_queries(page),
    )
    return [selector, whole], raw


def main() -> int:
    from bench.databases import django_database

    with django_database():
        figures, raw = run()
        for figure in figures:
            print(figure.line())
        print("reads stored aggregates only: " + ("yes" if not raw else "NO, it reads " + "; ".join(raw)))
        goal = "met" if figures[0].median_ms <= GOAL_MS else "not met yet"
        print(f"goal for the selector ≤{GOAL_MS:g} ms: {goal}")
        return 0 if all(f.met for f in figures) and not raw else 1


if __name__ == "__main__":
    sys.exit(main())
