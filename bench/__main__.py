"""`make bench`: every benchmark in its own process on its own throw-away database; fails if a budget is missed.

Each benchmark prints median, p95, SQL queries and its budget from ARCHITECTURE.md.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ["bench.generate", "bench.journal_grid"]


def main() -> int:
    failed = []
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        if subprocess.call([sys.executable, "-m", module]) != 0:
            failed.append(module)
    print("== all budgets met" if not failed else f"== over budget: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
