"""The alerts tick (status/alerts.py): the administrators are told of a problem once a day, not the others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.core.models import WorkerBeat
from ejournal.notifications.models import Message
from ejournal.status.alerts import alert_all

pytestmark = pytest.mark.django_db


def test_a_failed_backup_is_told_to_the_administrators_once_a_day(small_school, other_school, settings, tmp_path):
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", started_at=now, beat_at=now)
    BackupLogEntry.objects.create(
        kind=LogKind.BACKUP,
        at=now,
        what="Полная резервная копия",
        status=LogStatus.FAILED,
        details={"error": "нет места"},
    )
    alert_all(now)
    told = Message.objects.filter(dedupe_key__startswith="status:backup:")
    assert set(told.values_list("recipient", flat=True)) == {small_school.admin.pk, other_school.admin.pk}
    assert all("нет места" in m.text for m in told)
    assert not Message.objects.filter(recipient=small_school.director).exists()
    alert_all(now + dt.timedelta(hours=1))
    assert told.count() == 2  # the same day: not again


def test_nothing_wrong_nothing_told(small_school, settings, tmp_path, monkeypatch):
    from ejournal.status import state

    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    monkeypatch.setattr(state, "free_space", lambda: (100 * 1024**3, ""))
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", started_at=now, beat_at=now)
    BackupLogEntry.objects.create(kind=LogKind.BACKUP, at=now, what="Полная резервная копия", status=LogStatus.DONE)
    BackupLogEntry.objects.create(kind=LogKind.DRILL, at=now, what="Проверка", status=LogStatus.DONE)
    # Migrations are left out: other work in progress on this machine may add a migration file meanwhile.
    monkeypatch.setattr(state.MigrationExecutor, "migration_plan", lambda self, targets: [])
    assert alert_all(now) == 0
