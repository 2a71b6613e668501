"""archive.restore.restore: a backup restored into an empty database gives back every mark, attendance record
and period mark, verified table by table and file by file; a damaged, cut, foreign or wrongly keyed file and a
non-empty installation are refused before anything is touched."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connections

from ejournal.archive import backup, snapshot
from ejournal.archive.backup import make_backup
from ejournal.archive.errors import ArchiveCode
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.restore import Target, installation, restore
from ejournal.archive.snapshot import pg_connect
from ejournal.archive.tests.conftest import KEY, is_postgres  # noqa: F401 - named in skipif conditions
from ejournal.core.errors import DomainError
from ejournal.curriculum.models import TeachingAssignment
from ejournal.demo.generator import generate
from ejournal.journal import period_marks
from ejournal.journal.tests.conftest import set_clock
from ejournal.schools.models import Enrolment, Period

COMPARED = ["journal_mark", "journal_attendance", "journal_periodmark", "journal_changerecord", "accounts_user"]


def rows(settings_dict: dict[str, Any], table: str) -> list[tuple[Any, ...]]:
    """A table's rows read the same plain way from both databases."""
    if settings_dict["ENGINE"].endswith("postgresql"):
        with pg_connect(settings_dict) as conn:
            return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    db = sqlite3.connect(settings_dict["NAME"])
    try:
        return db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        db.close()


def has_schools(settings_dict: dict[str, Any]) -> bool:
    try:
        return bool(rows(settings_dict, "schools_school"))
    except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
        return False


@pytest.fixture
def target(scratch, tmp_path) -> Target:
    return Target(settings_dict=scratch, media_root=tmp_path / "media")


@pytest.mark.parametrize("key", [KEY, None])
def test_restore_into_an_empty_database_gives_back_every_mark_attendance_and_period_mark(filled, target, tmp_path, key):
    made = make_backup(to_dir=tmp_path, key=key)

    verification = restore(path=made.path, key=key, target=target)

    assert verification.ok and verification.migrations_applied == []
    checked = {t.name: t for t in verification.tables}
    assert checked["journal_mark"].found_rows == 3 and checked["journal_periodmark"].found_rows == 1
    assert checked["journal_attendance"].found_rows == 1
    live = connections["default"].settings_dict
    for table in COMPARED:
        assert rows(target.settings_dict, table) == rows(live, table) != [], table
    homework = f"homework/{filled.s.school.pk}/задание.txt"
    assert (target.media_root / homework).read_bytes() == "Упр. 5 на с. 12".encode()
    assert [f.name for f in verification.files] == [f"media/{homework}"] and verification.files[0].ok
    entry = BackupLogEntry.objects.filter(kind=LogKind.DRILL).get()
    assert entry.status == LogStatus.DONE and entry.details["rows"] == verification.rows


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def cut_in_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("key", [KEY, None])
@pytest.mark.parametrize("spoil", [flip_one_byte, cut_in_half])
def test_a_tampered_or_truncated_file_is_refused_and_nothing_is_restored(filled, target, tmp_path, key, spoil):
    made = make_backup(to_dir=tmp_path, key=key)
    spoil(made.path)

    with pytest.raises(DomainError) as refused:
        restore(path=made.path, key=key, target=target)

    assert refused.value.code == ArchiveCode.DAMAGED_FILE and "повреждена" in refused.value.message
    assert not has_schools(target.settings_dict) and not target.media_root.exists()
    assert BackupLogEntry.objects.filter(kind=LogKind.DRILL).get().status == LogStatus.REFUSED


def test_a_wrong_key_or_no_key_is_refused(filled, target, tmp_path):
    made = make_backup(to_dir=tmp_path, key=KEY)

    with pytest.raises(DomainError) as wrong:
        restore(path=made.path, key=b"another-key-of-the-school-000000", target=target)
    with pytest.raises(DomainError) as missing:
        restore(path=made.path, key=None, target=target)

    assert wrong.value.code == ArchiveCode.WRONG_KEY and "Ключ не подходит" in wrong.value.message
    assert missing.value.code == ArchiveCode.KEY_NEEDED
    assert not has_schools(target.settings_dict)


def test_a_foreign_file_is_refused(db, target, tmp_path):
    random = tmp_path / "photo.jpg"
    random.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    other_tar = tmp_path / "other.tar.gz"
    with tarfile.open(other_tar, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))

    for path in (random, other_tar):
        with pytest.raises(DomainError) as refused:
            restore(path=path, key=None, target=target)
        assert refused.value.code == ArchiveCode.FOREIGN_FILE, path
        assert "не резервная копия" in refused.value.message


def test_a_live_installation_with_schools_is_refused(filled, tmp_path):
    made = make_backup(to_dir=tmp_path, key=KEY)
    marks_before = rows(connections["default"].settings_dict, "journal_mark")

    with pytest.raises(DomainError) as refused:
        restore(path=made.path, key=KEY, target=installation())

    assert refused.value.code == ArchiveCode.NOT_EMPTY and "пустую установку" in refused.value.message
    assert rows(connections["default"].settings_dict, "journal_mark") == marks_before
    assert BackupLogEntry.objects.filter(kind=LogKind.RESTORE).get().status == LogStatus.REFUSED


@pytest.mark.skipif("not is_postgres()", reason="PostgreSQL only")
def test_postgres_backup_is_a_pg_dump_restored_with_pg_restore(filled, target, tmp_path):
    made = make_backup(to_dir=tmp_path, key=None)
    with tarfile.open(made.path) as tar:
        member = tar.extractfile("database.pgdump")
        assert member is not None and member.read(5) == b"PGDMP"
    assert restore(path=made.path, key=None, target=target).ok


@pytest.mark.skipif("is_postgres()", reason="SQLite only")
def test_sqlite_backup_is_a_database_file(filled, target, tmp_path):
    made = make_backup(to_dir=tmp_path, key=None)
    with tarfile.open(made.path) as tar:
        member = tar.extractfile("database.sqlite3")
        assert member is not None and member.read(16) == b"SQLite format 3\x00"
    assert restore(path=made.path, key=None, target=target).ok


@pytest.mark.skipif("is_postgres()", reason="the older schema is made by editing the SQLite snapshot")
def test_a_backup_of_an_older_schema_is_migrated_after_restore(filled, target, tmp_path, monkeypatch):
    real_dump = backup._dump_database

    def older(dest_dir):
        """The snapshot as a version without the archive app would have made it."""
        vendor, dump, _ = real_dump(dest_dir)
        db = sqlite3.connect(dump)
        tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'archive_%'")
        for (table,) in tables.fetchall():
            db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM django_migrations WHERE app = 'archive'")
        db.commit()
        db.close()
        return vendor, dump, snapshot.sqlite_figures(dump)

    monkeypatch.setattr(backup, "_dump_database", older)
    made = make_backup(to_dir=tmp_path, key=KEY)

    verification = restore(path=made.path, key=KEY, target=target)

    assert verification.ok and "archive.0001_initial" in verification.migrations_applied
    assert "archive_backuplogentry" not in {t.name for t in verification.tables}
    assert rows(target.settings_dict, "archive_backuplogentry") == []
    assert rows(target.settings_dict, "journal_mark") == rows(connections["default"].settings_dict, "journal_mark")


def test_the_demo_school_is_restored_with_every_mark_attendance_and_period_mark(
    transactional_db, target, tmp_path, settings, tmp_path_factory, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("demo-media")
    today = dt.date(2027, 1, 20)
    set_clock(monkeypatch, today)
    demo = generate(7, grades=(5, 9), classes_per_parallel=1, students_per_class=5, today=today)
    # The demo writes no period marks: the first quarter's, by each math teacher, for every student.
    for assignment in TeachingAssignment.objects.filter(school_id=demo.school.pk, subject__name="Математика"):
        period = Period.objects.filter(school_id=demo.school.pk, end__lt=today).order_by("start").first()
        students = Enrolment.objects.filter(school_id=demo.school.pk, class_group_id=assignment.class_group_id)
        for enrolment in students.select_related("student"):
            period_marks.set_period_mark(
                actor=assignment.teacher, assignment=assignment, student=enrolment.student, value="4", period=period
            )
    made = make_backup(to_dir=tmp_path, key=KEY)

    verification = restore(path=made.path, key=KEY, target=target)

    assert verification.ok
    live = connections["default"].settings_dict
    for table in ("journal_mark", "journal_attendance", "journal_periodmark"):
        restored = rows(target.settings_dict, table)
        assert restored == rows(live, table) and len(restored) > 0, table
