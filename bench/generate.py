"""Benchmark of the data generator: a school of 30 classes × 33 students (990) with a full year of records.

Budget (ARCHITECTURE.md): ≤ 60 s, goal ≤ 20 s. Runs on a throw-away SQLite file in a temporary directory
(or PostgreSQL with EJOURNAL_DB=postgres), so it never touches the development database.

    .venv/bin/python -m bench.generate [--schools 3] [--today 2027-05-26]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time

BUDGET_S = 60.0
GOAL_S = 20.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schools", type=int, default=1, help="schools of one municipality, generated one by one")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2027, 5, 26), help="«сегодня»")
    parser.add_argument("--classes-per-parallel", type=int, default=3)
    parser.add_argument("--students-per-class", type=int, default=33)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    scratch = None
    if "EJOURNAL_VAR_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="ejournal-bench-")
        os.environ["EJOURNAL_VAR_DIR"] = scratch
    try:
        return _run(args)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from ejournal.demo.generator import generate

    call_command("migrate", verbosity=0)
    over = False
    for n in range(1, args.schools + 1):
        started = time.perf_counter()
        result = generate(
            n,
            classes_per_parallel=args.classes_per_parallel,
            students_per_class=args.students_per_class,
            grades=range(1, 11),
            today=args.today,
            progress=lambda line: print(f"  {line}"),
        )
        seconds = time.perf_counter() - started
        c = result.counts
        verdict = "ok" if seconds <= BUDGET_S else "OVER BUDGET"
        over |= seconds > BUDGET_S
        print(
            f"school {n}: {c['classes']} classes, {c['students']} students, {c['lessons']} lessons, "
            f"{c['marks']} marks, {c['attendance']} absences, {c['homework']} homework: "
            f"{seconds:.1f} s (budget ≤{BUDGET_S:g} s, goal ≤{GOAL_S:g} s) {verdict}"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
