"""The API of the backups and the period archive (api/v1/archive.py): the same rules as the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.accounts.models import User
from ejournal.archive.models import ArchiveJob, BackupLogEntry, JobStatus, LogKind, LogStatus
from ejournal.archive.overview import fingerprint
from ejournal.archive.period_archive import verify_container
from ejournal.archive.services import log_entry
from ejournal.conftest import build_small_school
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock
from ejournal.printing.tests.conftest import pdf_pages

from .conftest import KEY

CODE = "длинный код архива"


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def journal(db: None, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Journal:
    (tmp_path / "disk").mkdir()
    key = tmp_path / "backup.key"
    key.write_bytes(KEY)
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path / "disk")
    settings.EJOURNAL_BACKUP_KEY_FILE = str(key)
    set_clock(monkeypatch, TODAY)
    return build_journal(build_small_school())


def test_backups_status_and_log(journal: Journal) -> None:
    s = journal.s
    other = build_small_school(name="Школа №2")
    log_entry(kind=LogKind.ARCHIVE, status=LogStatus.DONE, what="Чужой", school=other.school, sha256="2" * 64)
    mine = log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what="Копия", where="/d/x", sha256="1" * 64, size=5)
    for reader in (s.admin, s.director):
        answer = _api(reader).get(reverse("api-backups"))
        assert answer.status_code == 200
        data = answer.json()
        assert data["key"] == {"configured": True, "fingerprint": fingerprint(KEY), "problem": ""}
        assert KEY.decode() not in answer.content.decode()
        assert [e["id"] for e in data["log"]] == [mine.pk] and data["last_backup"]["sha256"] == "1" * 64
        assert data["several_schools"] is True and data["may_order"] is False
        assert isinstance(data["free_bytes"], int)
    refused = _api(s.admin).post(reverse("api-backups"))
    assert refused.status_code == 409 and refused.json()["code"] == "archive.several_schools"
    assert _api(s.director).post(reverse("api-backups")).status_code == 404
    for other_user in (s.deputy, s.teacher):
        assert _api(other_user).get(reverse("api-backups")).status_code == 404
    assert APIClient().get(reverse("api-backups")).status_code in (401, 403)


def test_copy_out_and_its_act(journal: Journal) -> None:
    s = journal.s
    source = log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what="Копия", where="/d/x.enc", sha256="e" * 64)
    url = reverse("api-backup-copy-outs")
    no_label = _api(s.admin).post(url, {"entry": source.pk, "recipient": "Директор"}, format="json")
    assert no_label.status_code == 422 and no_label.json()["code"] == "archive.no_label"
    assert "label" in no_label.json()["fields"]
    unknown = _api(s.admin).post(url, {"entry": 10**9, "label": "Д1", "recipient": "Директор"}, format="json")
    assert unknown.status_code == 422 and unknown.json()["code"] == "archive.unknown_file"
    assert _api(s.deputy).post(url, {"entry": source.pk, "label": "Д1"}, format="json").status_code == 404
    made = _api(s.director).post(url, {"entry": source.pk, "label": "Д1", "recipient": "Секретарь"}, format="json")
    assert made.status_code == 201 and made.json()["kind"] == "copy_out" and made.json()["sha256"] == "e" * 64
    act = _api(s.admin).get(reverse("api-backup-act", args=[made.json()["id"]]))
    assert act.status_code == 200 and "Секретарь" in " ".join(pdf_pages(act.content))
    log = _api(s.director).get(reverse("api-backup-log-pdf"))
    assert log.status_code == 200 and "Д1" in " ".join(pdf_pages(log.content))


def test_the_backup_is_made_through_the_api(journal: Journal, transactional_db: None) -> None:
    answer = _api(journal.s.admin).post(reverse("api-backups"))
    assert answer.status_code == 202 and answer.json()["status"] == JobStatus.DONE
    job = ArchiveJob.objects.get()
    assert job.entry is not None and Path(job.entry.where).exists()
    status = _api(journal.s.admin).get(reverse("api-backups")).json()
    assert status["jobs"][0]["entry"] == job.entry.pk and status["last_backup"]["id"] == job.entry.pk


def test_period_archive_through_the_api(journal: Journal) -> None:
    s = journal.s
    listed = _api(s.deputy).get(reverse("api-period-archives"))
    assert listed.status_code == 200 and journal.q1.pk in [row["period"] for row in listed.json()]
    url = reverse("api-period-archive-order", args=[journal.q1.pk])
    assert _api(s.admin).post(url, {"code": CODE, "repeated": CODE}, format="json").status_code == 404
    wrong = _api(s.director).post(url, {"code": CODE, "repeated": "другой код архива"}, format="json")
    assert wrong.status_code == 422 and "code" in wrong.json()["fields"] and CODE not in wrong.content.decode()
    not_text = _api(s.director).post(url, {"code": ["x"] * 9, "repeated": CODE}, format="json")
    assert not_text.status_code == 422
    # The code in a query string is not read: the order is refused as without a code.
    query = _api(s.director).post(f"{url}?code={CODE}&repeated={CODE}", {}, format="json")
    assert query.status_code == 422 and not ArchiveJob.objects.exists()

    made = _api(s.director).post(url, {"code": CODE, "repeated": CODE}, format="json")
    assert made.status_code == 202 and made.json()["status"] == JobStatus.DONE and CODE not in made.content.decode()
    entry_id = made.json()["entry"]
    row = next(r for r in _api(s.director).get(reverse("api-period-archives")).json() if r["period"] == journal.q1.pk)
    assert row["archives"][0]["id"] == entry_id
    entry = BackupLogEntry.objects.get(pk=entry_id)
    assert verify_container(Path(entry.where), code=CODE)
    file = _api(s.director).get(reverse("api-period-archive-file", args=[entry_id]))
    assert file.status_code == 200 and file.content == Path(entry.where).read_bytes()
    assert BackupLogEntry.objects.filter(kind=LogKind.COPY_OUT, details__source=entry_id).count() == 1
    assert _api(s.deputy).get(reverse("api-period-archive-file", args=[entry_id])).status_code == 404
    undertaking = _api(s.director).get(reverse("api-period-archive-undertaking", args=[entry_id]))
    assert undertaking.status_code == 200 and s.director.full_name in " ".join(pdf_pages(undertaking.content))
