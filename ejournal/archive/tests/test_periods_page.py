"""«Архив периода» (archive.views): the director creates the archive with the code typed twice, the worker makes
it (the code sealed only until taken, never stored), the page lists it; download logged as a copy-out; the
non-disclosure undertaking; management reads the list only."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.archive import jobs
from ejournal.archive.models import ArchiveJob, BackupLogEntry, JobStatus, LogKind
from ejournal.archive.period_archive import verify_container
from ejournal.conftest import build_small_school
from ejournal.journal import services
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock
from ejournal.printing.tests.conftest import pdf_pages
from ejournal.schools.models import Period

CODE = "Сейф 2026, полка 3"
PAGE = reverse("archive:periods")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def journal(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Journal:
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path / "disk")
    (tmp_path / "disk").mkdir()
    set_clock(monkeypatch, TODAY)
    j = build_journal(build_small_school())
    lesson = j.in_period(j.q1)[0]
    services.set_cell_content(actor=j.s.teacher, lesson=lesson, student=j.students[0], marks=["5"], attendance="")
    return j


def _order(j: Journal, code: str = CODE, repeated: str = CODE) -> Any:
    url = reverse("archive:order_archive", args=[j.q1.pk])
    return _client(j.s.director).post(url, {"code": code, "repeated": repeated})


def test_the_director_creates_the_archive_and_the_code_is_kept_nowhere(journal: Journal, settings: Any) -> None:
    answer = _order(journal)
    assert answer.status_code == 302
    job = ArchiveJob.objects.get()
    assert job.status == JobStatus.DONE and job.entry is not None and bytes(job.sealed_code) == b""
    made = Path(job.entry.where)
    assert made.parent == Path(settings.EJOURNAL_BACKUP_DIR) / "archives" / f"school-{journal.s.school.pk}"
    assert verify_container(made, code=CODE)  # opens with the code, every file matches its manifest
    assert job.entry.details["period_id"] == journal.q1.pk and job.entry.actor == journal.s.director
    # The code is in no row of the log or the job (nor hashed), nor in the page.
    hashed = hashlib.sha256(CODE.encode()).hexdigest()
    for entry in BackupLogEntry.objects.all():
        assert CODE not in str(entry.details) + entry.what + entry.where and hashed not in str(entry.details)
    assert CODE not in job.error
    page = _client(journal.s.director).get(PAGE).content.decode()
    assert job.entry.sha256 in page and "Скачать (зашифрован)" in page and CODE not in page


def test_codes_that_differ_or_are_short_are_refused_and_nothing_is_queued(journal: Journal) -> None:
    different = _order(journal, repeated=CODE + "!")
    assert different.status_code == 422 and "не совпадают" in different.content.decode()
    short = _order(journal, code="1234", repeated="1234")
    assert short.status_code == 422 and "не короче 8" in short.content.decode()
    assert not ArchiveJob.objects.exists() and not BackupLogEntry.objects.exists()


def test_without_a_folder_the_order_is_refused(journal: Journal, settings: Any) -> None:
    settings.EJOURNAL_BACKUP_DIR = ""
    answer = _order(journal)
    assert answer.status_code == 422 and "Папка резервных копий не задана" in answer.content.decode()


def test_management_reads_the_list_only(journal: Journal) -> None:
    s = journal.s
    for reader in (s.admin, s.deputy):
        page = _client(reader).get(PAGE)
        assert page.status_code == 200 and journal.q1.name in page.content.decode()
        assert 'name="code"' not in page.content.decode()
        answer = _client(reader).post(reverse("archive:order_archive", args=[journal.q1.pk]), {"code": CODE})
        assert answer.status_code == 404
    assert _client(s.teacher).get(PAGE).status_code == 404
    # Another school's period is a 404 to the director too.
    other = build_small_school(name="Школа №2")
    period = Period.objects.filter(school=other.school).first()
    assert period is not None
    url = reverse("archive:order_archive", args=[period.pk])
    assert _client(s.director).post(url, {"code": CODE, "repeated": CODE}).status_code == 404
    assert not ArchiveJob.objects.exists()


def test_download_is_logged_as_a_copy_out_and_the_undertaking_prints(journal: Journal) -> None:
    _order(journal)
    entry = ArchiveJob.objects.get().entry
    assert entry is not None
    director = _client(journal.s.director)
    answer = director.get(reverse("archive:download", args=[entry.pk]))
    assert answer.status_code == 200 and answer.content == Path(entry.where).read_bytes()
    copy = BackupLogEntry.objects.get(kind=LogKind.COPY_OUT)
    assert copy.details == {"source": entry.pk, "file": Path(entry.where).name, "download": True}
    assert copy.sha256 == entry.sha256 and copy.actor == journal.s.director
    for other in (journal.s.admin, journal.s.deputy):
        assert _client(other).get(reverse("archive:download", args=[entry.pk])).status_code == 404
        assert _client(other).get(reverse("archive:undertaking_pdf", args=[entry.pk])).status_code == 404

    pdf = director.get(reverse("archive:undertaking_pdf", args=[entry.pk]))
    assert pdf.status_code == 200
    text = " ".join(pdf_pages(pdf.content))
    s = journal.s
    for expected in ("ПОДПИСКА", s.director.full_name, s.school.name, entry.sha256, "О персональных данных"):
        assert expected in text, expected
    assert CODE not in text

    # A file altered on the disk is not handed out; a file gone is a clear 410.
    Path(entry.where).write_bytes(b"altered")
    altered = director.get(reverse("archive:download", args=[entry.pk]))
    assert altered.status_code == 422 and "изменён" in altered.content.decode()
    Path(entry.where).unlink()
    gone = director.get(reverse("archive:download", args=[entry.pk]))
    assert gone.status_code == 410 and "Файла архива нет" in gone.content.decode()
    assert BackupLogEntry.objects.filter(kind=LogKind.COPY_OUT).count() == 1


def test_the_sealed_code_opens_for_its_job_only_and_expires(journal: Journal) -> None:
    sealed = jobs.seal(CODE, 7)
    assert CODE.encode() not in sealed and jobs.unseal(sealed, 7) == CODE
    with pytest.raises(Exception, match="закажите архив снова"):
        jobs.unseal(sealed, 8)
    # A job the worker never took: the hourly tick erases its sealed code and fails it.
    job = ArchiveJob.objects.create(
        school=journal.s.school,
        kind=LogKind.ARCHIVE,
        period=journal.q1,
        ordered_by=journal.s.director,
        ordered_at=dt.datetime(2026, 12, 20, tzinfo=dt.UTC),
        sealed_code=sealed,
    )
    assert jobs.expire(dt.datetime(2026, 12, 22, tzinfo=dt.UTC)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and bytes(job.sealed_code) == b"" and "стёрт" in job.error
    # A later worker finds nothing to do.
    assert jobs.run(job_id=job.pk, school_id=job.school_id).status == JobStatus.FAILED


def test_a_second_order_while_one_runs_is_refused(journal: Journal) -> None:
    ArchiveJob.objects.create(
        school=journal.s.school,
        kind=LogKind.ARCHIVE,
        period=journal.q1,
        ordered_by=journal.s.director,
        ordered_at=dt.datetime(2026, 12, 25, tzinfo=dt.UTC),
        status=JobStatus.RUNNING,
    )
    answer = _order(journal)
    assert answer.status_code == 409 and "уже делается" in answer.content.decode()
    page = _client(journal.s.director).get(PAGE).content.decode()
    assert 'http-equiv="refresh"' in page and "выполняется" in page


def test_the_list_reads_a_fixed_number_of_queries_and_is_in_the_menu(
    journal: Journal, django_assert_max_num_queries: Any
) -> None:
    _order(journal)
    client = _client(journal.s.deputy)
    with django_assert_max_num_queries(12):
        page = client.get(PAGE)
    assert page.status_code == 200 and "SHA-256" in page.content.decode()
    assert "Архив периода" in client.get(reverse("home")).content.decode()
    assert "Архив периода" not in _client(journal.s.teacher).get(reverse("home")).content.decode()
