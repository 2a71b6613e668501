"""`ejournal backup --to DIR` and `ejournal restore FILE`: the key from a file (option or environment), never
from the command line; the backup's path and SHA-256 printed; the restore's verification printed."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from ejournal.archive.tests.conftest import KEY
from ejournal.journal.models import Mark, PeriodMark


def run(*args, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def test_backup_prints_the_file_and_its_sha256_and_restore_verifies_it_into_an_empty_installation(
    filled, tmp_path, monkeypatch
):
    key_file = tmp_path / "backup.key"
    key_file.write_bytes(KEY + b"\n")
    monkeypatch.setenv("EJOURNAL_BACKUP_KEY_FILE", str(key_file))
    to_dir = tmp_path / "disk"
    to_dir.mkdir()
    marks = list(Mark.objects.filter(school_id=filled.s.school.pk).order_by("pk").values_list("pk", "value"))

    printed = run("backup", "--to", str(to_dir))

    path, sha_line = printed.splitlines()[:2]
    assert path.endswith(".tar.gz.enc") and sha_line == "SHA-256 " + hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert "НЕ зашифрована" not in printed
    image = to_dir / (Path(path).name.removesuffix(".tar.gz.enc") + ".iso")
    assert f"Образ ISO для записи на диск: {image}" in printed
    assert f"SHA-256 образа {hashlib.sha256(image.read_bytes()).hexdigest()}" in printed

    # The installation is emptied as a new server would be: an empty database and no files.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    printed = run("restore", path)

    assert "Всё совпало с копией" in printed and "ok \tjournal_mark\t3\t3" in printed
    assert list(Mark.objects.filter(school_id=filled.s.school.pk).order_by("pk").values_list("pk", "value")) == marks
    assert PeriodMark.objects.filter(school_id=filled.s.school.pk).count() == 1


def test_restore_refuses_with_the_russian_reason(filled, tmp_path, monkeypatch):
    monkeypatch.delenv("EJOURNAL_BACKUP_KEY_FILE", raising=False)
    key_file = tmp_path / "backup.key"
    key_file.write_bytes(KEY)
    run("backup", "--to", str(tmp_path), "--key-file", str(key_file))
    made = next(tmp_path.glob("*.tar.gz.enc"))

    with pytest.raises(CommandError, match="зашифрована: укажите файл ключа"):
        run("restore", str(made))
    with pytest.raises(CommandError, match="пустую установку"):
        run("restore", str(made), "--key-file", str(key_file))


def test_a_short_key_file_is_refused_and_no_key_warns(filled, tmp_path, monkeypatch):
    monkeypatch.delenv("EJOURNAL_BACKUP_KEY_FILE", raising=False)
    short = tmp_path / "short.key"
    short.write_bytes(b"1234")

    with pytest.raises(CommandError, match="короче 16 байт"):
        run("backup", "--to", str(tmp_path), "--key-file", str(short))
    assert "НЕ зашифрована" in run("backup", "--to", str(tmp_path), "--no-iso")
    assert not list(tmp_path.glob("*.iso"))
