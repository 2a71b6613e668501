"""Benchmark of the data generator: a school of 30 classes × 33 students (990) with a full year of records,
or a municipality of such schools (`--schools 20`), each school timed against the budget.

Budget (docs/performance.md): ≤ 60 s per school, goal ≤ 20 s. Runs on a throw-away database (bench/databases.py:
SQLite, or PostgreSQL with EJOURNAL_DB=postgres), so it never touches the development database. With
`--keep-database NAME` it fills (and keeps) that PostgreSQL database instead: the load test's data.

    .venv/bin/python -m bench.generate [--schools 20] [--today 2027-05-26]
    EJOURNAL_DB=postgres .venv/bin/python -m bench.generate --schools 20
    .venv/bin/python -m bench.generate --schools 3 --keep-database ejournal_load
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

BUDGET_S = 60.0
GOAL_S = 20.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schools", type=int, default=1, help="schools of one municipality, generated one by one")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2027, 5, 26), help="«сегодня»")
    parser.add_argument("--classes-per-parallel", type=int, default=3)
    parser.add_argument("--students-per-class", type=int, default=33)
    parser.add_argument("--keep-database", metavar="NAME", help="PostgreSQL database to create anew and keep")
    args = parser.parse_args(argv)

    from bench.databases import create_postgres_database, django_database

    if args.keep_database:
        create_postgres_database(args.keep_database, replace=True)
        os.environ.update(EJOURNAL_DB="postgres", PGDATABASE=args.keep_database, EJOURNAL_BENCH_DB_READY="1")
    with django_database() as engine:
        return _run(args, engine)


def _run(args: argparse.Namespace, engine: str) -> int:
    from django.db import connection

    from ejournal.demo.generator import DemoResult
    from ejournal.demo.municipality import generate_municipality

    over: list[int] = []
    totals: dict[str, int] = {}
    started = last = time.perf_counter()

    def report(number: int, result: DemoResult) -> None:
        nonlocal last
        now = time.perf_counter()
        seconds, last = now - last, now
        c = result.counts
        for key in ("students", "teachers", "parents", "lessons", "marks", "attendance", "homework"):
            totals[key] = totals.get(key, 0) + c.get(key, 0)
        if seconds > BUDGET_S:
            over.append(number)
        admin = result.users.get("admin")
        print(
            f"{engine} school {number} (admin {admin.username if admin else '—'}): {c['classes']} classes, "
            f"{c['students']} students, {c['lessons']} lessons, {c['marks']} marks, {c['attendance']} absences, "
            f"{c['homework']} homework: {seconds:.1f} s (budget ≤{BUDGET_S:g} s, goal ≤{GOAL_S:g} s) "
            f"{'OVER BUDGET' if seconds > BUDGET_S else 'ok'}",
            flush=True,
        )

    generate_municipality(
        args.schools,
        classes_per_parallel=args.classes_per_parallel,
        students_per_class=args.students_per_class,
        today=args.today,
        progress=lambda line: print(f"  {line}", flush=True),
        on_school=report,
    )
    if args.schools > 1:
        size = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                size = f", database {cursor.fetchone()[0]}"
        print(
            f"{engine} municipality of {args.schools} schools: {time.perf_counter() - started:.0f} s"
            f" ({(time.perf_counter() - started) / args.schools:.1f} s a school); "
            + ", ".join(f"{key} {value}" for key, value in totals.items())
            + size
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
