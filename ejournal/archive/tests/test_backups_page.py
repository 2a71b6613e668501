"""«Резервные копии» (archive.views): the key status by fingerprint, the log scoped to the school and the
installation, «Сделать копию сейчас» through the worker (one-school installation only), copy-out records and the
printed act and log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.archive.models import ArchiveJob, BackupLogEntry, JobStatus, LogKind, LogStatus
from ejournal.archive.overview import fingerprint
from ejournal.archive.reading import read_backup
from ejournal.archive.services import log_entry
from ejournal.conftest import build_small_school
from ejournal.journal.tests.conftest import Journal
from ejournal.printing.tests.conftest import pdf_pages
from ejournal.schools.models import Holiday, HolidayKind

from .conftest import KEY

PAGE = reverse("archive:backups")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def configured(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "disk"
    folder.mkdir()
    key_file = tmp_path / "backup.key"
    key_file.write_bytes(KEY)
    settings.EJOURNAL_BACKUP_DIR = str(folder)
    settings.EJOURNAL_BACKUP_KEY_FILE = str(key_file)
    return folder


def test_the_administrator_makes_a_backup_now_and_the_page_shows_it(filled: Journal, configured: Path) -> None:
    admin = filled.s.admin
    answer = _client(admin).post(reverse("archive:order_backup"))
    assert answer.status_code == 302
    job = ArchiveJob.objects.get()
    assert job.status == JobStatus.DONE and job.entry is not None and job.ordered_by == admin
    made = Path(job.entry.where)
    assert made.parent == configured and made.exists()
    assert read_backup(made, KEY)  # a real, complete, encrypted backup
    page = _client(admin).get(PAGE).content.decode()
    assert fingerprint(KEY) in page and KEY.decode() not in page
    assert job.entry.sha256 in page and "Сделать копию сейчас" in page and "готово" in page
    assert "Без ключа копию не откроет никто" in page


def test_the_director_reads_the_page_and_cannot_order(filled: Journal, configured: Path) -> None:
    s = filled.s
    log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what="Полная резервная копия", where="/x", sha256="a" * 64)
    page = _client(s.director).get(PAGE)
    assert page.status_code == 200 and "a" * 64 in page.content.decode()
    assert "Сделать копию сейчас</button>" not in page.content.decode()
    assert _client(s.director).post(reverse("archive:order_backup")).status_code == 404
    for other in (s.deputy, s.teacher, s.students_5a[0]):
        assert _client(other).get(PAGE).status_code == 404
    assert not ArchiveJob.objects.exists()


@pytest.mark.django_db
def test_several_schools_the_operator_makes_copies_and_no_other_schools_entries(configured: Path) -> None:
    s = build_small_school()
    other = build_small_school(name="Школа №2")
    mine = log_entry(kind=LogKind.ARCHIVE, status=LogStatus.DONE, what="Мой архив", school=s.school, sha256="1" * 64)
    log_entry(kind=LogKind.ARCHIVE, status=LogStatus.DONE, what="Чужой архив", school=other.school, sha256="2" * 64)
    log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what="Копия установки", sha256="3" * 64)
    page = _client(s.admin).get(PAGE).content.decode()
    assert "полные копии делает" in page and "Сделать копию сейчас</button>" not in page
    assert "1" * 64 in page and "3" * 64 in page and "2" * 64 not in page and "Чужой архив" not in page
    refused = _client(s.admin).post(reverse("archive:order_backup"))
    assert refused.status_code == 409 and "несколько школ" in refused.content.decode()
    assert not ArchiveJob.objects.exists()
    # The other school's file is not one of ours to hand over either.
    other_entry = BackupLogEntry.objects.get(what="Чужой архив")
    answer = _client(s.admin).post(
        reverse("archive:copy_out"), {"entry": other_entry.pk, "label": "Диск 1", "recipient": "Завуч"}
    )
    assert answer.status_code == 422 and "Такого файла нет" in answer.content.decode()
    assert mine.pk  # ours is listed for a copy-out
    assert f'value="{mine.pk}"' in page


@pytest.mark.django_db
def test_without_a_key_the_page_warns_and_refuses(settings: Any, configured: Path) -> None:
    settings.EJOURNAL_BACKUP_KEY_FILE = ""
    s = build_small_school()
    page = _client(s.admin).get(PAGE).content.decode()
    assert "Ключ резервных копий не задан или не читается" in page
    refused = _client(s.admin).post(reverse("archive:order_backup"))
    assert refused.status_code == 422 and "без него копия" in refused.content.decode()
    assert not ArchiveJob.objects.exists()


@pytest.mark.django_db
def test_next_holidays_backup_comes_from_the_calendar(configured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ejournal.journal.tests.conftest import set_clock

    s = build_small_school()
    set_clock(monkeypatch, dt.date(2026, 12, 25))
    Holiday.objects.filter(school=s.school).delete()
    Holiday.objects.create(
        school=s.school, year=s.year, kind=HolidayKind.VACATION, start=dt.date(2026, 12, 29), end=dt.date(2027, 1, 8)
    )
    page = _client(s.director).get(PAGE).content.decode()
    assert "30.12.2026" in page


@pytest.mark.django_db
def test_copy_out_is_recorded_refused_in_russian_and_printed_as_an_act(configured: Path) -> None:
    s = build_small_school()
    backup = log_entry(
        kind=LogKind.BACKUP,
        status=LogStatus.DONE,
        what="Полная резервная копия (база данных и файлы)",
        where=str(configured / "ejournal-20261230-030000.tar.gz.enc"),
        size=123456,
        sha256="ab" * 32,
        details={"encrypted": True},
    )
    failed = log_entry(kind=LogKind.BACKUP, status=LogStatus.FAILED, what="Полная резервная копия", where="/x")
    url = reverse("archive:copy_out")
    admin = _client(s.admin)
    empty = admin.post(url, {"entry": backup.pk, "label": "  ", "recipient": "Директор"})
    assert empty.status_code == 422 and "Укажите метку диска" in empty.content.decode()
    for unknown in (failed.pk, 999999, "abc"):
        answer = admin.post(url, {"entry": unknown, "label": "Диск 3", "recipient": "Директор"})
        assert answer.status_code == 422 and "Такого файла нет" in answer.content.decode()
    assert not BackupLogEntry.objects.filter(kind=LogKind.COPY_OUT).exists()

    done = admin.post(url, {"entry": backup.pk, "label": "Диск № 3", "recipient": "Директор Петрова А. А."})
    assert done.status_code == 302
    copy = BackupLogEntry.objects.get(kind=LogKind.COPY_OUT)
    assert copy.where == "Диск № 3" and copy.sha256 == "ab" * 32 and copy.size == 123456 and copy.actor == s.admin
    assert copy.details["source"] == backup.pk and copy.details["holder"] == s.admin.full_name

    act = admin.get(reverse("archive:act_pdf", args=[copy.pk]))
    assert act.status_code == 200 and act["Content-Type"] == "application/pdf"
    text = " ".join(pdf_pages(act.content))
    for expected in ("АКТ", "Диск № 3", "Директор Петрова А. А.", s.admin.full_name, "ab" * 32, "123456 байт"):
        assert expected in text.replace("\u00ad", ""), expected
    assert "Ключ резервных копий хранится отдельно" in text
    # The act of another school's entry, or of an entry that is no copy-out, is a 404.
    assert admin.get(reverse("archive:act_pdf", args=[backup.pk])).status_code == 404
    assert _client(s.deputy).get(reverse("archive:act_pdf", args=[copy.pk])).status_code == 404
    other = build_small_school(name="Школа №2")
    assert _client(other.admin).get(reverse("archive:act_pdf", args=[copy.pk])).status_code == 404


@pytest.mark.django_db
def test_the_log_prints_with_a_signature_column(configured: Path) -> None:
    s = build_small_school()
    log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what="Копия А", where="/a", sha256="c" * 64, size=10)
    log_entry(kind=LogKind.RESTORE, status=LogStatus.FAILED, what="Восстановление Б", details={"error": "x"})
    answer = _client(s.director).get(reverse("archive:log_pdf"))
    assert answer.status_code == 200
    text = " ".join(pdf_pages(answer.content))
    assert "ЖУРНАЛ ПОЛЬЗОВАНИЯ РЕЗЕРВНОЙ КОПИЕЙ" in text and "Подпись" in text
    assert "Копия А" in text and "Восстановление Б" in text and "ошибка" in text
    assert _client(s.teacher).get(reverse("archive:log_pdf")).status_code == 404


@pytest.mark.django_db
def test_the_page_reads_a_fixed_number_of_queries_and_is_in_the_menu(
    configured: Path, django_assert_max_num_queries: Any
) -> None:
    s = build_small_school()
    for n in range(40):
        log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what=f"Копия {n}", actor=s.admin, sha256="f" * 64)
    client = _client(s.director)
    with django_assert_max_num_queries(14):
        page = client.get(PAGE)
    assert page.content.decode().count("f" * 64) >= 40
    assert "Резервные копии" in _client(s.admin).get(reverse("home")).content.decode()
    assert "Резервные копии" not in _client(s.deputy).get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_disk_that_is_gone_fails_the_job_with_the_reason(configured: Path, settings: Any) -> None:
    settings.EJOURNAL_BACKUP_DIR = str(configured / "not-mounted")
    s = build_small_school()
    assert _client(s.admin).post(reverse("archive:order_backup")).status_code == 302
    job = ArchiveJob.objects.get()
    assert job.status == JobStatus.FAILED and job.entry is None and "папки нет" in job.error
    assert BackupLogEntry.objects.get(kind=LogKind.BACKUP).status == LogStatus.FAILED
    page = _client(s.admin).get(PAGE).content.decode()
    assert "не выполнено" in page and "папки нет" in page and 'http-equiv="refresh"' not in page
