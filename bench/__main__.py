"""`make bench`: every benchmark on SQLite and on PostgreSQL (when pg_isready answers), each in its own process
on its own throw-away database (bench/databases.py); fails if a budget is missed.

Each benchmark prints median, p95, SQL queries and its budget from docs/performance.md.

    .venv/bin/python -m bench                      # everything, both databases
    .venv/bin/python -m bench --db sqlite          # one database
    .venv/bin/python -m bench bench.journal_grid   # some benchmarks
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench.databases import ENGINES, postgres_available, throwaway

# Benchmark modules, each runnable as `python -m <module>` and exiting non-zero when over budget.
BENCHMARKS = [
    "bench.generate",
    "bench.journal_grid",
    "bench.diary_week",
    "bench.regional_summary",
    "bench.school_report",
    "bench.class_book",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Бенчмарки ЭЖ против бюджетов docs/performance.md")
    parser.add_argument("modules", nargs="*", help="only these modules (default: all)")
    parser.add_argument("--db", choices=ENGINES, action="append", help="only this database (repeatable)")
    args = parser.parse_args(argv)

    engines = list(args.db or ENGINES)
    if "postgres" in engines and not postgres_available():
        if args.db:
            print("== PostgreSQL does not answer (pg_isready): start it with `make postgres`")
            return 1
        print("== PostgreSQL does not answer (pg_isready): SQLite only")
        engines.remove("postgres")
    modules = args.modules or list(dict.fromkeys(BENCHMARKS))
    failed = []
    for engine in engines:
        for module in modules:
            print(f"== {module} on {engine}", flush=True)
            started = time.perf_counter()
            with throwaway(engine) as env:
                env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
                code = subprocess.call([sys.executable, "-m", module], env=env)
            print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
            if code != 0:
                failed.append(f"{module} on {engine}")
    print("== all budgets met" if not failed else f"== over budget: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
