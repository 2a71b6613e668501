"""A small school with marks, attendance, period marks and a homework file, committed (the backup reads the
database through a connection of its own, which sees committed rows only)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from ejournal.conftest import build_small_school
from ejournal.journal import period_marks, services
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock

KEY = b"0123456789abcdef0123456789abcdef"
MONDAY = dt.date(2026, 12, 21)
WEDNESDAY = dt.date(2026, 12, 23)


def is_postgres() -> bool:
    return connections["default"].vendor == "postgresql"


@pytest.fixture
def filled(transactional_db: None, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path_factory: Any) -> Journal:
    settings.MEDIA_ROOT = tmp_path_factory.mktemp(
        "live-media"
    )  # this test's files only (the session's folder is shared)
    set_clock(monkeypatch, TODAY)
    journal = build_journal(build_small_school())
    s = journal.s
    a, b = s.students_5a[0], s.students_5a[1]
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=a, text="5/4")
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=b, text="н")
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(WEDNESDAY), student=b, text="3")
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=a, period=journal.q2, value="4")
    homework = settings.MEDIA_ROOT / "homework" / str(s.school.pk) / "задание.txt"
    homework.parent.mkdir(parents=True, exist_ok=True)
    homework.write_bytes("Упр. 5 на с. 12".encode())
    return journal


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty database of the same engine (a fresh SQLite file, or a new PostgreSQL database) for restore."""
    base = connections["default"].settings_dict
    if not is_postgres():
        yield {**base, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"ejournal_restore_{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "PGHOST": base["HOST"] or "127.0.0.1", "PGPORT": str(base["PORT"] or 5432)}
    env["PGUSER"] = base["USER"] or "postgres"
    subprocess.run(["createdb", name], env=env, check=True)
    try:
        yield {**base, "NAME": name}
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], env=env, check=True)
