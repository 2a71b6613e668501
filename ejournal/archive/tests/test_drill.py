"""archive.drill: the latest backup restored into a scratch database and folder, verified, thrown away; the live
database untouched; a failed drill logged with its reason and told to the administrators; the weekly tick and
the drill after each holidays backup; `ejournal restore --drill [FILE]`."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from ejournal.archive import drill
from ejournal.archive.backup import make_backup
from ejournal.archive.drill import latest_backup, run_drill
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.scheduled import enqueue_weekly_drill, holidays_backup
from ejournal.archive.snapshot import pg_connect
from ejournal.archive.tests.conftest import KEY, is_postgres
from ejournal.archive.tests.test_restore import flip_one_byte, rows
from ejournal.core import ticks
from ejournal.notifications.models import Message


def live_state(settings) -> tuple[list, list[Path]]:
    live = connections["default"].settings_dict
    return rows(live, "journal_mark"), sorted(Path(settings.MEDIA_ROOT).rglob("*"))


def drills() -> list[BackupLogEntry]:
    return list(BackupLogEntry.objects.filter(kind=LogKind.DRILL).order_by("id"))


def alerts() -> list[Message]:
    return list(Message.objects.filter(title__contains="Проверочное восстановление"))


def scratch_databases() -> list[str]:
    """PostgreSQL databases left by drills (none must stay)."""
    with pg_connect(connections["default"].settings_dict) as conn:
        return [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'ejournal_drill_%'")]


def test_the_latest_backup_is_restored_into_a_scratch_database_and_the_live_one_is_untouched(
    filled, tmp_path, settings
):
    older = make_backup(to_dir=tmp_path, key=KEY, iso=False)
    newest = make_backup(to_dir=tmp_path, key=KEY, iso=False)
    before = live_state(settings)
    scratch_folders = []
    real_scratch = drill.scratch_target

    def watched():
        with real_scratch() as target:
            scratch_folders.append(target.media_root.parent)
            yield target

    assert latest_backup() == newest.path != older.path

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(drill, "scratch_target", drill.contextmanager(watched))
        result = run_drill(key=KEY)

    assert result.ok and result.path == newest.path and result.verification is not None
    checked = {t.name: t for t in result.verification.tables}
    assert checked["journal_mark"].found_rows == 3 and checked["journal_periodmark"].found_rows == 1
    assert [f.ok for f in result.verification.files] == [True]
    assert live_state(settings) == before
    assert not scratch_folders[0].exists()  # the scratch folder (and SQLite file) is gone
    if is_postgres():
        assert scratch_databases() == []
    [entry] = drills()
    assert entry.status == LogStatus.DONE and entry.details["occasion"] == "on_demand"
    assert entry.where == str(newest.path) and entry.details["mismatched"] == []
    assert alerts() == []


def test_a_tampered_backup_fails_the_drill_visibly(filled, tmp_path, settings):
    made = make_backup(to_dir=tmp_path, key=KEY, iso=False)
    flip_one_byte(made.path)
    before = live_state(settings)

    result = run_drill(key=KEY)

    assert not result.ok and "повреждена" in result.reason
    [entry] = drills()
    assert entry.status == LogStatus.REFUSED and "повреждена" in entry.details["error"]
    [alert] = alerts()
    assert alert.recipient == filled.s.admin and made.path.name in alert.text and "повреждена" in alert.text
    assert live_state(settings) == before
    if is_postgres():
        assert scratch_databases() == []


def test_a_backup_whose_disk_is_gone_fails_the_drill(filled, tmp_path):
    made = make_backup(to_dir=tmp_path, key=None, iso=False)
    made.path.unlink()

    result = run_drill(key=None)

    assert not result.ok and "не подключён" in result.reason
    assert drills()[0].status == LogStatus.FAILED and len(alerts()) == 1


def test_a_mismatch_after_the_load_is_a_failed_drill(filled, tmp_path, monkeypatch):
    made = make_backup(to_dir=tmp_path, key=None, iso=False)
    from ejournal.archive import restore as restore_module

    real_load = restore_module._load

    def load_then_lose_a_mark(target, dump):
        real_load(target, dump)
        if target.vendor == "postgresql":
            with pg_connect(target.settings_dict, autocommit=True) as conn:
                conn.execute("DELETE FROM journal_mark WHERE id = (SELECT max(id) FROM journal_mark)")
            return restore_module.snapshot.pg_figures(target.settings_dict)
        db = sqlite3.connect(target.settings_dict["NAME"])
        db.execute("DELETE FROM journal_mark WHERE id = (SELECT max(id) FROM journal_mark)")
        db.commit()
        db.close()
        return restore_module.snapshot.sqlite_figures(Path(target.settings_dict["NAME"]))

    monkeypatch.setattr(restore_module, "_load", load_then_lose_a_mark)

    result = run_drill(path=made.path, key=None)

    assert not result.ok and "journal_mark" in result.reason
    [entry] = drills()
    assert entry.status == LogStatus.FAILED and entry.details["mismatched"] == ["journal_mark"]
    assert len(alerts()) == 1


def test_no_backup_yet_is_nothing_to_drill(db):
    with pytest.raises(Exception, match="нет ни одной резервной копии"):
        run_drill(key=None)


def test_the_weekly_tick_drills_the_latest_backup_only_where_backups_are_made(filled, tmp_path, settings):
    settings.EJOURNAL_BACKUP_KEY_FILE = ""
    settings.EJOURNAL_BACKUP_DIR = ""
    now = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert not enqueue_weekly_drill(now)
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    assert not enqueue_weekly_drill(now)  # no backup logged yet
    make_backup(to_dir=tmp_path, key=None, iso=False)

    assert enqueue_weekly_drill(now)  # the immediate backend of the tests runs it at once

    [entry] = drills()
    assert entry.status == LogStatus.DONE and entry.details["occasion"] == "weekly"
    assert {t.name: t.every for t in ticks.registered()}["archive.restore_drill"] == dt.timedelta(days=7)


def test_each_holidays_backup_is_drilled_at_once(filled, tmp_path, settings):
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    settings.EJOURNAL_BACKUP_KEY_FILE = ""

    holidays_backup.enqueue()

    made = BackupLogEntry.objects.get(kind=LogKind.BACKUP)
    [entry] = drills()
    assert (entry.where, entry.status, entry.details["occasion"]) == (made.where, LogStatus.DONE, "holidays")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("restore", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_console_drill(filled, tmp_path, monkeypatch):
    monkeypatch.delenv("EJOURNAL_BACKUP_KEY_FILE", raising=False)
    key_file = tmp_path / "backup.key"
    key_file.write_bytes(KEY)
    made = make_backup(to_dir=tmp_path, key=KEY, iso=False)

    printed = run("--drill", "--key-file", str(key_file))

    assert f"из {made.path} во временную базу" in printed and "ok \tjournal_mark\t3\t3" in printed
    assert "Всё совпало с копией. Временная база удалена, рабочая не затронута." in printed
    flip_one_byte(made.path)
    with pytest.raises(CommandError, match="Проверка не пройдена: Резервная копия повреждена"):
        run("--drill", str(made.path), "--key-file", str(key_file))
    assert [e.status for e in drills()] == [LogStatus.DONE, LogStatus.REFUSED]


@pytest.mark.skipif("not is_postgres()", reason="PostgreSQL only")
def test_a_scratch_database_that_cannot_be_made_fails_the_drill(filled, tmp_path, monkeypatch):
    make_backup(to_dir=tmp_path, key=None, iso=False)

    def refused(settings_dict, **options):
        raise psycopg.OperationalError("permission denied to create database")

    monkeypatch.setattr(drill.snapshot, "pg_connect", refused)

    result = run_drill(key=None)

    assert not result.ok and "временную базу" in result.reason and "permission denied" in result.reason
    assert drills()[0].status == LogStatus.FAILED and len(alerts()) == 1
