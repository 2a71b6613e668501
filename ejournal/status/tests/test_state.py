"""The traffic lights of «Состояние системы» (status/state.py): each part ok / warning / problem, scoped to the
school plus the installation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.core.models import WorkerBeat
from ejournal.schools.models import Holiday, HolidayKind
from ejournal.status import state
from ejournal.status.models import ServerError
from ejournal.status.state import OK, PROBLEM, WARNING, system_status

pytestmark = pytest.mark.django_db


def items(school, now=None):
    return {i.key: i for i in system_status(school, now or timezone.now()).items}


def backup(*, status=LogStatus.DONE, at=None, school=None, kind=LogKind.BACKUP, **details):
    return BackupLogEntry.objects.create(
        school=school, kind=kind, at=at or timezone.now(), what="Полная резервная копия", status=status, details=details
    )


def test_fresh_installation(small_school, settings, tmp_path):
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    got = items(small_school.school)
    assert got["database"].facts["vendor"] and got["database"].facts["latency_ms"] >= 0
    assert got["worker"].state == PROBLEM  # never beat
    assert got["backup"].state == WARNING  # no copy yet
    assert got["notifications"].state == OK
    assert got["errors"].state == OK


def test_a_beating_worker_is_ok_a_silent_one_a_problem(small_school):
    now = timezone.now()
    beat = WorkerBeat.objects.create(worker_id="w1", started_at=now, beat_at=now - dt.timedelta(seconds=5))
    assert items(small_school.school, now)["worker"].state == OK
    WorkerBeat.objects.filter(pk=beat.pk).update(beat_at=now - dt.timedelta(minutes=30))
    assert items(small_school.school, now)["worker"].state == PROBLEM


def test_a_failed_backup_is_a_problem_with_its_reason(small_school, settings, tmp_path):
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    backup(at=timezone.now() - dt.timedelta(days=3))
    backup(status=LogStatus.FAILED, error="на диске нет места")
    item = items(small_school.school)["backup"]
    assert item.state == PROBLEM
    assert "на диске нет места" in item.summary and item.advice


def test_the_holidays_backup_overdue_is_a_problem(small_school, settings, tmp_path):
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    backup(at=timezone.now() - dt.timedelta(days=40))
    today = timezone.now().date()
    Holiday.objects.create(
        school=small_school.school,
        year=small_school.year,
        kind=HolidayKind.VACATION,
        start=today - dt.timedelta(days=3),
        end=today + dt.timedelta(days=3),
        name="Каникулы",
    )
    item = items(small_school.school)["backup"]
    assert item.state == PROBLEM and "Каникулярная копия не сделана" in item.summary
    backup(occasion="holidays")
    assert items(small_school.school)["backup"].state == OK


def test_a_failed_drill_is_a_problem(small_school):
    backup(kind=LogKind.DRILL, status=LogStatus.FAILED, error="файла нет")
    assert items(small_school.school)["drill"].state == PROBLEM


def test_another_schools_archive_and_errors_do_not_show(small_school, other_school):
    backup(kind=LogKind.ARCHIVE, school=other_school.school)
    ServerError.objects.create(school=other_school.school, at=timezone.now(), path="/x/", exception="E")
    got = items(small_school.school)
    assert got["archive"].facts["last_done"] is None
    assert got["errors"].facts["count"] == 0
    ServerError.objects.create(school=small_school.school, at=timezone.now(), path="/y/", exception="E")
    assert items(small_school.school)["errors"].state == WARNING


def test_a_nearly_full_disk(small_school, settings, tmp_path, monkeypatch):
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    monkeypatch.setattr(state, "free_space", lambda: (3 * 1024**3, ""))
    assert items(small_school.school)["disk"].state == WARNING
    monkeypatch.setattr(state, "free_space", lambda: (100, ""))
    assert items(small_school.school)["disk"].state == PROBLEM
    monkeypatch.setattr(state, "free_space", lambda: (None, "Папка недоступна"))
    assert items(small_school.school)["disk"].state == PROBLEM


def test_the_page_reads_a_bounded_number_of_queries(small_school, django_assert_max_num_queries):
    for n in range(30):
        ServerError.objects.create(school=small_school.school, at=timezone.now(), path=f"/p/{n}/", exception="E")
    with django_assert_max_num_queries(30):
        status = system_status(small_school.school, timezone.now())
    assert len(status.errors) == state.ERRORS_SHOWN and status.state == PROBLEM


def test_unapplied_migrations_are_a_problem(small_school, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [])
    assert items(small_school.school)["database"].state == OK
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("status", "0002_x")])
    item = items(small_school.school)["database"]
    assert item.state == PROBLEM and item.facts["migrations_pending"] == 1 and "migrate" in item.advice
