"""Timing helpers shared by the benchmarks: median and p95 of repeated runs and the SQL queries of one run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    budget_ms: float | None  # None: printed for information, judged by nothing
    budget_queries: int | None = None

    @property
    def met(self) -> bool:
        within_queries = self.budget_queries is None or self.queries <= self.budget_queries
        return (self.budget_ms is None or self.median_ms <= self.budget_ms) and within_queries

    def line(self) -> str:
        queries = f"{self.queries}" + (f" / ≤{self.budget_queries}" if self.budget_queries is not None else "")
        budget = f"≤{self.budget_ms:g} ms" if self.budget_ms is not None else "no budget"
        verdict = ("ok" if self.met else "OVER BUDGET") if self.budget_ms is not None else "(information)"
        return (
            f"{self.name:<44} median {self.median_ms:8.1f} ms  p95 {self.p95_ms:8.1f} ms  "
            f"budget {budget:<9}  queries {queries:<10} {verdict}"
        )


def measure(
    name: str,
    fn: Callable[[], object],
    *,
    budget_ms: float | None,
    budget_queries: int | None = None,
    repeat: int = 20,
    warmup: int = 2,
) -> Figure:
    """Run `fn` `warmup` times untimed, then `repeat` times timed; count the queries of one run."""
    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Figure(name, statistics.median(times), p95, len(captured.captured_queries), budget_ms, budget_queries)
