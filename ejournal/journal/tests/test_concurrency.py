"""Many teachers' saves at once (threads, each with its own database connection, on PostgreSQL): no write
is lost, no constraint breaks, the history of a cell is one unbroken chain, and closing a period while
saves run is consistent (a save either lands before the closure or is refused with JournalLocked).

SQLite serialises every writer on one database lock, so nothing here could race: the module runs on
PostgreSQL only (`make test-postgres`). EJOURNAL_CONCURRENCY_ON_SQLITE=1 runs it on SQLite anyway, which
checks the test itself, not the locking.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import close_old_connections, connection

from ejournal.journal import periods, services
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import Attendance, ChangeKind, ChangeRecord, Mark

from .conftest import TODAY, Journal

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("EJOURNAL_CONCURRENCY_ON_SQLITE"),
    reason="concurrency needs PostgreSQL: SQLite serialises all writers on one database lock",
)
WRITERS = 8


def in_parallel(jobs: list[Callable[[], Any]], threads: int = WRITERS) -> list[Any]:
    """Run the jobs at once (a barrier lines the first ones up); each thread closes its connection."""
    barrier = threading.Barrier(min(threads, len(jobs)))

    def run(job: Callable[[], Any], first: bool) -> Any:
        try:
            if first:
                barrier.wait(timeout=30)
            try:
                return job()
            except Exception as exc:  # collected: the test asserts which ones are expected
                return exc
        finally:
            close_old_connections()
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(run, job, i < threads) for i, job in enumerate(jobs)]
        return [f.result(timeout=120) for f in futures]


def cell_marks(lesson_id: int, student_id: int) -> list[str]:
    return list(
        Mark.objects.filter(lesson_id=lesson_id, student_id=student_id)
        .order_by("position")
        .values_list("value", flat=True)
    )


def test_parallel_saves_into_distinct_cells_lose_nothing(transactional_db: None, journal: Journal) -> None:
    lessons = [lesson for lesson in journal.in_period(journal.q2) if lesson.date <= TODAY][:6]
    cells = [(lesson, student) for lesson in lessons for student in journal.students]
    wanted = {(lesson.pk, student.pk): str(2 + (i % 4)) for i, (lesson, student) in enumerate(cells)}

    def save(lesson: Any, student: Any) -> Callable[[], Any]:
        return lambda: services.set_cell(
            actor=journal.teacher, lesson=lesson, student=student, text=wanted[(lesson.pk, student.pk)]
        )

    results = in_parallel([save(lesson, student) for lesson, student in cells])
    errors = [r for r in results if isinstance(r, Exception)]
    saved = {key: cell_marks(*key) for key in wanted}
    records = ChangeRecord.objects.filter(kind=ChangeKind.MARK, lesson__in=lessons).count()
    print(
        f"\nCONCURRENCY distinct cells: writers {WRITERS}, saves {len(cells)}, errors {len(errors)},"
        f" lost {sum(saved[k] != [v] for k, v in wanted.items())}, history records per save {records / len(cells)}"
    )
    assert errors == []
    assert saved == {key: [value] for key, value in wanted.items()}
    assert records == len(cells)


def test_parallel_saves_into_one_cell_keep_one_value_and_an_unbroken_history(
    transactional_db: None, journal: Journal
) -> None:
    lesson, student = journal.in_period(journal.q2)[0], journal.students[0]
    values = ["5", "4", "3", "2", "5/4", "4/3", "н", "оп 5"] * 3
    results = in_parallel(
        [lambda v=v: services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text=v) for v in values]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    # One cell: at most the marks of one value, positions unique (the constraint held), attendance one row.
    marks = cell_marks(lesson.pk, student.pk)
    assert len(marks) == len(
        set(Mark.objects.filter(lesson=lesson, student=student).values_list("position", flat=True))
    )
    assert Attendance.objects.filter(lesson=lesson, student=student).count() <= 1
    # Every change starts from what the previous one left: no save overwrote a value it had not seen.
    history = list(
        ChangeRecord.objects.filter(lesson=lesson, student=student, kind=ChangeKind.MARK)
        .order_by("pk")
        .values_list("old_value", "new_value")
    )
    for (_, new), (old, _) in itertools.pairwise(history):
        assert old == new, history
    # The last change left what the cell holds («5 (Ответ на уроке) / 4 (…)»).
    last = history[-1][1]
    assert ([part.split(" (")[0] for part in last.split(" / ")] if last else []) == marks


def test_closing_a_period_during_saves_is_consistent(transactional_db: None, journal: Journal) -> None:
    lessons = [lesson for lesson in journal.in_period(journal.q2) if lesson.date <= TODAY]
    cells = [(lesson, student) for lesson in lessons for student in journal.students][:40]
    closed_at: list[float] = []
    started: dict[int, float] = {}

    def save(i: int, lesson: Any, student: Any) -> Callable[[], Any]:
        def job() -> Any:
            time.sleep(0.002 * (i % 10))
            started[i] = time.monotonic()
            return services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="4")

        return job

    def close() -> Any:
        time.sleep(0.01)
        closure = periods.close_period(actor=journal.s.deputy, period=journal.q2)
        closed_at.append(time.monotonic())
        return closure

    jobs = [save(i, lesson, student) for i, (lesson, student) in enumerate(cells)]
    jobs.insert(len(cells) // 4, close)
    results = in_parallel(jobs)
    closure = results.pop(len(cells) // 4)
    outcomes = Counter(type(r).__name__ for r in results)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, JournalLocked)]
    assert not isinstance(closure, Exception) and closed_at, closure
    assert unexpected == [], unexpected
    saved = [(i, cells[i]) for i, r in enumerate(results) if not isinstance(r, Exception)]
    # What was saved is there, with its history; what started after the closure was committed was refused.
    for _, (lesson, student) in saved:
        assert cell_marks(lesson.pk, student.pk) == ["4"]
    assert ChangeRecord.objects.filter(kind=ChangeKind.MARK, lesson__in=lessons).count() == len(saved)
    late = [i for i, _ in saved if started[i] > closed_at[0]]
    print(f"\nCONCURRENCY closing: saves {len(cells)}, outcomes {dict(outcomes)}, saved after the closure {len(late)}")
    assert late == []
    refused = outcomes["JournalLocked"]
    assert Mark.objects.filter(lesson__in=lessons).count() == len(saved) and refused + len(saved) == len(cells)
