"""archive.iso: every full backup also as an ISO 9660 image (Joliet + Rock Ridge names, a Russian README, the
date in the volume label, SHA256SUMS.txt), written as .partial, read back and hashed, then renamed and logged
with its own SHA-256; a full disk, an unwritable folder, an interruption or a tampered image leave nothing that
looks done."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
from pathlib import Path

import pycdlib
import pytest

from ejournal.archive import iso
from ejournal.archive.backup import make_backup
from ejournal.archive.disk import WriteFailed
from ejournal.archive.drill import run_drill
from ejournal.archive.errors import ArchiveCode
from ejournal.archive.iso import README, SUMS, is_image, joliet_name, verify_iso, write_iso
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.tests.conftest import KEY
from ejournal.core.errors import DomainError


def read_from_image(image: Path, **path: str) -> bytes:
    disc = pycdlib.PyCdlib()
    disc.open(str(image))
    try:
        out = io.BytesIO()
        disc.get_file_from_iso_fp(out, **path)
        return out.getvalue()
    finally:
        disc.close()


def test_a_backup_comes_with_its_image_holding_the_file_a_readme_and_the_sums(filled, tmp_path):
    made = make_backup(to_dir=tmp_path, key=KEY)

    image = made.iso
    assert image is not None and made.iso_error == ""
    assert image.path == tmp_path / (made.path.name.removesuffix(".tar.gz.enc") + ".iso")
    assert image.sha256 == hashlib.sha256(image.path.read_bytes()).hexdigest()
    inside = read_from_image(image.path, joliet_path="/" + made.path.name)
    assert inside == made.path.read_bytes()  # the same bytes under its long name (Joliet)
    assert read_from_image(image.path, rr_path="/" + made.path.name) == inside  # and Rock Ridge
    readme = read_from_image(image.path, joliet_path=f"/{README}").decode()
    assert "ЗАШИФРОВАНА" in readme and made.sha256 in readme and "ejournal restore" in readme
    sums = read_from_image(image.path, rr_path=f"/{SUMS}").decode()
    assert f"{made.sha256}  {made.path.name}\n" in sums
    disc = pycdlib.PyCdlib()
    disc.open(str(image.path))
    label = disc.pvds[0].volume_identifier.decode().strip()
    disc.close()
    assert label == image.label == f"EJ_{made.path.name[9:17]}"
    entry = BackupLogEntry.objects.get(kind=LogKind.ISO)
    assert (entry.status, entry.sha256, entry.size, entry.where) == (
        LogStatus.DONE,
        image.sha256,
        image.path.stat().st_size,
        str(image.path),
    )
    assert entry.details["of"] == "backup" and entry.details["source_sha256"] == made.sha256
    assert verify_iso(image.path) == {made.path.name: made.sha256, README: hashlib.sha256(readme.encode()).hexdigest()}


def test_cyrillic_and_long_names_survive_in_joliet_and_rock_ridge(db, tmp_path):
    source = tmp_path / "архив_2026-2027_2_четверть_5-9кл_20261230-030000.7z"
    source.write_bytes(b"7z" + bytes(range(256)) * 10)

    image = write_iso(source=source, readme="Прочтите", of=LogKind.ARCHIVE, made=dt.datetime(2026, 12, 30))

    assert image.path.name == "архив_2026-2027_2_четверть_5-9кл_20261230-030000.iso"
    shortened = joliet_name(source.name)  # Windows' 64-byte limit; Linux and macOS (Rock Ridge) see it whole
    assert shortened.startswith("архив_2026-2027_2_") and shortened.endswith(".7z") and len(shortened.encode()) <= 64
    assert read_from_image(image.path, joliet_path="/" + shortened) == source.read_bytes()
    assert read_from_image(image.path, rr_path="/" + source.name) == source.read_bytes()
    assert read_from_image(image.path, joliet_path="/ПРОЧТИТЕ.txt") == "Прочтите".encode()
    assert image.label == "EJ_20261230"


def test_a_tampered_or_cut_image_is_refused(filled, tmp_path):
    made = make_backup(to_dir=tmp_path, key=None)
    assert made.iso is not None
    data = bytearray(made.iso.path.read_bytes())
    start = data.find(made.path.read_bytes()[:64])  # the backup's bytes inside the image
    assert start > 0
    data[start + 100] ^= 0x01
    tampered = tmp_path / "tampered.iso"
    tampered.write_bytes(bytes(data))
    cut = tmp_path / "cut.iso"
    cut.write_bytes(made.iso.path.read_bytes()[:40000])

    for bad in (tampered, cut):
        with pytest.raises(DomainError) as refused:
            verify_iso(bad)
        assert refused.value.code == ArchiveCode.DAMAGED_FILE and "повреждена" in refused.value.message, bad


def only_backup_left(folder: Path, backup: Path) -> None:
    assert [p.name for p in folder.iterdir()] == [backup.name]


def test_a_full_disk_while_writing_the_image_leaves_the_backup_done_and_no_image(filled, tmp_path, monkeypatch):
    def disk_fills(self, outfp, *args, **kwargs):
        outfp.write(b"\0" * 50000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pycdlib.PyCdlib, "write_fp", disk_fills)

    made = make_backup(to_dir=tmp_path, key=KEY)

    assert made.iso is None and "на диске нет места" in made.iso_error and "Файла образа не осталось" in made.iso_error
    only_backup_left(tmp_path, made.path)
    assert BackupLogEntry.objects.get(kind=LogKind.BACKUP).status == LogStatus.DONE
    failed = BackupLogEntry.objects.get(kind=LogKind.ISO)
    assert failed.status == LogStatus.FAILED and failed.sha256 == "" and "нет места" in failed.details["error"]


def test_an_unwritable_folder_is_reported_and_leaves_nothing(filled, tmp_path, monkeypatch):
    made = make_backup(to_dir=tmp_path, key=None, iso=False)
    real_open = open

    def refused(path, mode="r", *args, **kwargs):
        if str(path).endswith(".iso.partial"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refused)  # root ignores chmod: the refusal is simulated

    with pytest.raises(WriteFailed, match="нет прав на запись"):
        write_iso(source=made.path, readme="", of=LogKind.BACKUP, made=dt.datetime(2026, 12, 30))

    only_backup_left(tmp_path, made.path)


def test_an_image_that_does_not_read_back_is_never_renamed(filled, tmp_path, monkeypatch):
    made = make_backup(to_dir=tmp_path, key=None, iso=False)
    real_write = iso._write

    def spoiled(partial, entries, label):
        real_write(partial, entries, label)
        data = bytearray(partial.read_bytes())
        start = data.find(made.path.read_bytes()[:64])
        data[start + 10] ^= 0x01
        partial.write_bytes(bytes(data))

    monkeypatch.setattr(iso, "_write", spoiled)

    with pytest.raises(WriteFailed, match="Не сходится контрольная сумма"):
        write_iso(source=made.path, readme="", of=LogKind.BACKUP, made=dt.datetime(2026, 12, 30))

    only_backup_left(tmp_path, made.path)
    assert BackupLogEntry.objects.get(kind=LogKind.ISO).status == LogStatus.FAILED


def test_an_interruption_while_writing_the_image_leaves_no_partial_file(filled, tmp_path, monkeypatch):
    made = make_backup(to_dir=tmp_path, key=None, iso=False)

    def interrupted(self, outfp, *args, **kwargs):
        outfp.write(b"\0" * 50000)
        raise KeyboardInterrupt

    monkeypatch.setattr(pycdlib.PyCdlib, "write_fp", interrupted)

    with pytest.raises(KeyboardInterrupt):
        write_iso(source=made.path, readme="", of=LogKind.BACKUP, made=dt.datetime(2026, 12, 30))

    only_backup_left(tmp_path, made.path)


def test_a_backup_is_restored_straight_from_its_image_and_a_tampered_image_is_refused(filled, tmp_path):
    made = make_backup(to_dir=tmp_path, key=KEY)
    assert made.iso is not None and is_image(made.iso.path) and not is_image(made.path)

    drilled = run_drill(path=made.iso.path, key=KEY)

    assert drilled.ok and drilled.verification is not None
    assert {t.name: t.found_rows for t in drilled.verification.tables}["journal_mark"] == 3
    data = bytearray(made.iso.path.read_bytes())
    data[data.find(made.path.read_bytes()[:64]) + 100] ^= 0x01
    made.iso.path.write_bytes(bytes(data))
    refused = run_drill(path=made.iso.path, key=KEY)
    assert not refused.ok and "в образе" in refused.reason
