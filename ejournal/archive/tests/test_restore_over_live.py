"""Restore over the live database: only with the operator's confirmation (the school count and the word typed at
the terminal, or --yes-i-understand in a script), always after an automatic full backup of the current state
(if that fails nothing starts), then loaded, verified, migrated and logged. Both engines."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from ejournal.archive import restore as restore_module
from ejournal.archive.backup import make_backup
from ejournal.archive.disk import WriteFailed
from ejournal.archive.errors import ArchiveCode
from ejournal.archive.management.commands import restore as command
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.reading import read_backup
from ejournal.archive.restore import installation, restore
from ejournal.archive.tests.conftest import KEY, WEDNESDAY
from ejournal.archive.tests.test_restore import flip_one_byte, rows
from ejournal.core.errors import DomainError
from ejournal.journal import services


def live_marks() -> list:
    return rows(connections["default"].settings_dict, "journal_mark")


@pytest.fixture
def changed_since(filled, tmp_path):
    """A backup of the school, then a day's work after it: one more mark and one more uploaded file."""
    made = make_backup(to_dir=tmp_path, key=KEY, iso=False)
    marks_in_backup = live_marks()
    s = filled.s
    services.set_cell(actor=s.teacher, lesson=filled.lesson_on(WEDNESDAY), student=s.students_5a[2], text="2")
    later = Path(settings.MEDIA_ROOT) / "homework" / str(s.school.pk) / "позже.txt"
    later.write_bytes(b"later")
    assert len(live_marks()) == len(marks_in_backup) + 1
    return made, marks_in_backup, later


def test_a_restore_over_the_live_database_backs_up_first_then_gives_back_the_backup(changed_since, tmp_path):
    made, marks_in_backup, later = changed_since
    before_dir = tmp_path / "before"
    before_dir.mkdir()

    verification = restore(path=made.path, key=KEY, into_empty=False, backup_to=before_dir)

    assert verification.ok and live_marks() == marks_in_backup
    assert not later.exists()
    homework = later.with_name("задание.txt")
    assert homework.read_bytes() == "Упр. 5 на с. 12".encode()
    assert not list(Path(settings.MEDIA_ROOT).parent.glob(f".{Path(settings.MEDIA_ROOT).name}.before-restore-*"))
    # The state before the restore, with the later mark and file, is in the automatic backup.
    [auto] = list(before_dir.iterdir())
    assert verification.backup_before == auto
    manifest = read_backup(auto, KEY)
    assert manifest["tables"]["journal_mark"]["rows"] == len(marks_in_backup) + 1
    assert f"media/homework/{later.parent.name}/позже.txt" in manifest["members"]
    entry = BackupLogEntry.objects.get(kind=LogKind.RESTORE)
    assert entry.status == LogStatus.DONE and entry.details["backup_before"] == str(auto)
    assert "поверх работающей базы" in entry.what


def test_without_the_automatic_backup_nothing_starts(changed_since, tmp_path):
    made, _, later = changed_since
    marks_now = live_marks()
    not_a_folder = tmp_path / "disk"
    not_a_folder.write_text("")

    with pytest.raises(DomainError) as no_folder:
        restore(path=made.path, key=KEY, into_empty=False, backup_to=None)
    with pytest.raises(DomainError) as refused:
        restore(path=made.path, key=KEY, into_empty=False, backup_to=not_a_folder)

    assert "папка для автоматической копии" in no_folder.value.message
    assert refused.value.code == ArchiveCode.WRITE_FAILED
    assert "Автоматическая копия текущего состояния не сделана" in refused.value.message
    assert "база и файлы не изменены" in refused.value.message
    assert live_marks() == marks_now and later.exists()
    restores = BackupLogEntry.objects.filter(kind=LogKind.RESTORE)
    assert [e.status for e in restores] == [LogStatus.REFUSED, LogStatus.REFUSED]


def test_a_full_disk_for_the_automatic_backup_starts_nothing(changed_since, tmp_path, monkeypatch):
    made, _, later = changed_since
    marks_now = live_marks()
    from ejournal.archive import backup

    def disk_full(out, manifest, members):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_write_tar", disk_full)

    with pytest.raises(DomainError, match="на диске нет места"):
        restore(path=made.path, key=KEY, into_empty=False, backup_to=tmp_path)

    assert live_marks() == marks_now and later.exists()


def test_a_tampered_file_is_refused_before_the_automatic_backup(changed_since, tmp_path):
    made, _, later = changed_since
    flip_one_byte(made.path)
    before_dir = tmp_path / "before"
    before_dir.mkdir()
    marks_now = live_marks()

    with pytest.raises(DomainError, match="повреждена"):
        restore(path=made.path, key=KEY, into_empty=False, backup_to=before_dir)

    assert live_marks() == marks_now and later.exists() and list(before_dir.iterdir()) == []


def test_a_failure_in_the_middle_puts_the_files_back_and_names_the_automatic_backup(
    changed_since, tmp_path, monkeypatch
):
    made, _, later = changed_since
    before_dir = tmp_path / "before"
    before_dir.mkdir()

    def disk_gone(manifest, staging, media_root):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(restore_module, "_copy_files", disk_gone)

    with pytest.raises(WriteFailed) as failed:
        restore(path=made.path, key=KEY, into_empty=False, backup_to=before_dir)

    [auto] = list(before_dir.iterdir())
    assert f"сохранено в {auto}" in failed.value.message
    assert later.read_bytes() == b"later"  # the live files are back where they were


def test_an_interruption_during_the_load_puts_the_files_back(changed_since, tmp_path, monkeypatch):
    made, _, later = changed_since
    before_dir = tmp_path / "before"
    before_dir.mkdir()

    def interrupted(target, dump):
        raise KeyboardInterrupt

    monkeypatch.setattr(restore_module, "_load", interrupted)

    with pytest.raises(KeyboardInterrupt):
        restore(path=made.path, key=KEY, into_empty=False, backup_to=before_dir)

    assert later.read_bytes() == b"later" and len(list(before_dir.iterdir())) == 1


def test_over_live_is_only_for_the_installation(changed_since, tmp_path):
    made, _, _ = changed_since
    scratch = restore_module.Target(settings_dict=installation().settings_dict, media_root=tmp_path / "m")
    with pytest.raises(ValueError):
        restore(path=made.path, key=KEY, into_empty=False, target=scratch, backup_to=tmp_path)


# --- the console ---------------------------------------------------------------------------------------------


def console(monkeypatch, *args: str, tty: bool = False, typed: str = "") -> str:
    monkeypatch.setattr(command.sys, "stdin", type("Stdin", (), {"isatty": staticmethod(lambda: tty)})())
    monkeypatch.setattr("builtins.input", lambda prompt: typed)
    out = io.StringIO()
    call_command("restore", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def key_file(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("EJOURNAL_BACKUP_KEY_FILE", raising=False)
    path = tmp_path / "backup.key"
    path.write_bytes(KEY)
    return str(path)


def test_the_console_asks_for_the_school_count_and_the_word(changed_since, tmp_path, monkeypatch, key_file):
    made, marks_in_backup, _ = changed_since
    before_dir = tmp_path / "before"
    before_dir.mkdir()
    args = (str(made.path), "--over-live", "--key-file", key_file, "--backup-to", str(before_dir))
    marks_now = live_marks()

    with pytest.raises(CommandError, match="подтвердить в терминале"):
        console(monkeypatch, *args)
    with pytest.raises(CommandError, match="Подтверждение не совпало"):
        console(monkeypatch, *args, tty=True, typed="да")
    with pytest.raises(CommandError, match="Подтверждение не совпало"):
        console(monkeypatch, *args, tty=True, typed="2 ВОССТАНОВИТЬ")
    assert live_marks() == marks_now and list(before_dir.iterdir()) == []

    printed = console(monkeypatch, *args, tty=True, typed="1 ВОССТАНОВИТЬ")

    [auto] = list(before_dir.iterdir())
    assert f"Состояние до восстановления сохранено: {auto}" in printed and "Всё совпало с копией" in printed
    assert live_marks() == marks_in_backup


def test_a_script_confirms_with_the_flag_and_the_backup_dir_from_settings(
    changed_since, tmp_path, monkeypatch, key_file, settings
):
    made, marks_in_backup, _ = changed_since
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path / "backups")
    (tmp_path / "backups").mkdir()

    printed = console(monkeypatch, str(made.path), "--over-live", "--yes-i-understand", "--key-file", key_file)

    assert "Всё совпало с копией" in printed and live_marks() == marks_in_backup
    assert len(list((tmp_path / "backups").glob("ejournal-*.tar.gz.enc"))) == 1
