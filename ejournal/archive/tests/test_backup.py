"""archive.backup.make_backup: a verified file with its manifest, encrypted with a key; a failed write leaves
nothing that looks like a backup and is logged."""

from __future__ import annotations

import errno
import hashlib
import json
import tarfile

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ejournal.archive import backup
from ejournal.archive.backup import WriteFailed, make_backup
from ejournal.archive.container import MAGIC, damaged
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.reading import read_backup
from ejournal.archive.tests.conftest import KEY, is_postgres


def test_a_plain_backup_holds_the_database_and_the_files_with_their_checksums(filled, tmp_path):
    result = make_backup(to_dir=tmp_path, key=None, actor=filled.s.admin)

    assert result.path.parent == tmp_path and result.path.name.endswith(".tar.gz")
    # No partial file, no staging folder: the backup and its ISO image only.
    assert result.iso is not None and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [result.path.name, result.iso.path.name]
    )
    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    with tarfile.open(result.path) as tar:
        names = tar.getnames()
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.load(member)
    assert names[0] == "manifest.json"
    database = "database.pgdump" if is_postgres() else "database.sqlite3"
    assert manifest["vendor"] == ("postgresql" if is_postgres() else "sqlite") and manifest["database"] == database
    assert f"media/homework/{filled.s.school.pk}/задание.txt" in manifest["members"]
    assert set(names) == {"manifest.json", *manifest["members"]}
    assert manifest["tables"]["journal_mark"]["rows"] == 3
    assert manifest["tables"]["journal_periodmark"]["rows"] == 1
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["archive"] == max(name for app, name in applied if app == "archive")
    entry = BackupLogEntry.objects.get(kind=LogKind.BACKUP)
    assert (entry.kind, entry.status, entry.sha256, entry.size) == (
        LogKind.BACKUP,
        LogStatus.DONE,
        result.sha256,
        result.path.stat().st_size,
    )
    assert entry.actor == filled.s.admin and entry.school is None and entry.where == str(result.path)


def test_an_encrypted_backup_is_not_readable_without_its_key(filled, tmp_path):
    result = make_backup(to_dir=tmp_path, key=KEY)

    data = result.path.read_bytes()
    assert result.encrypted and result.path.name.endswith(".tar.gz.enc") and data.startswith(MAGIC)
    assert "задание".encode() not in data and b"journal_mark" not in data
    assert read_backup(result.path, KEY)["tables"]["journal_mark"]["rows"] == 3


def test_a_missing_or_unwritable_folder_is_a_russian_error_and_leaves_no_file(filled, tmp_path):
    not_a_folder = tmp_path / "disk"
    not_a_folder.write_text("")

    with pytest.raises(WriteFailed) as refused:
        make_backup(to_dir=not_a_folder, key=KEY)

    assert "не записана" in refused.value.message and "Файла копии не осталось" in refused.value.message
    assert refused.value.status == 507
    assert [p.name for p in tmp_path.iterdir()] == ["disk"]
    entry = BackupLogEntry.objects.get()
    assert entry.status == LogStatus.FAILED and entry.sha256 == "" and "не записана" in entry.details["error"]


def test_a_full_disk_in_the_middle_leaves_no_file(filled, tmp_path, monkeypatch):
    def write_half_then_fail(out, manifest, members):
        out.write(b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_write_tar", write_half_then_fail)

    with pytest.raises(WriteFailed, match="на диске нет места"):
        make_backup(to_dir=tmp_path, key=None)

    assert list(tmp_path.iterdir()) == []
    assert BackupLogEntry.objects.get().status == LogStatus.FAILED


def test_a_file_that_does_not_read_back_is_never_reported_done(filled, tmp_path, monkeypatch):
    def fails(path, key):
        raise damaged()

    monkeypatch.setattr(backup, "read_backup", fails)

    with pytest.raises(Exception, match="повреждена"):
        make_backup(to_dir=tmp_path, key=KEY)

    assert list(tmp_path.iterdir()) == []
    assert BackupLogEntry.objects.get().status == LogStatus.FAILED


def test_an_interruption_in_the_middle_leaves_no_file(filled, tmp_path, monkeypatch):
    def interrupted(out, manifest, members):
        out.write(b"x" * 1000)
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "_write_tar", interrupted)

    with pytest.raises(KeyboardInterrupt):
        make_backup(to_dir=tmp_path, key=KEY)

    assert list(tmp_path.iterdir()) == []
