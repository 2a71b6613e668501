"""The retention register: terms from the school settings, copies with their disk labels, warnings before the
end of a term (page and the administrator's inbox), and deletion only by the administrator, confirmed, logged."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.core import time as clock
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.notifications.models import Message
from ejournal.printing.models import StoredBook
from ejournal.reports.models import StoredReport
from ejournal.retention import services
from ejournal.retention.models import Deletion
from ejournal.retention.register import register
from ejournal.schools.models import Period
from ejournal.schools.settings import update_school_settings

TZ = ZoneInfo("Asia/Yekaterinburg")


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def set_today(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(clock, "now", lambda: at(day))


@pytest.fixture
def kept(small_school, monkeypatch):
    """A book and a period report of the first quarter, a period archive copied to the disk «ДИСК-7»."""
    s = small_school
    set_today(monkeypatch, dt.date(2026, 11, 2))
    q1 = Period.objects.filter(scheme__year=s.year, scheme__grade_from=1).order_by("start")[0]
    pdf = b"%PDF-1.7 book"
    book = StoredBook.objects.create(
        school=s.school,
        class_group=s.class_5a,
        period=q1,
        made_at=at(dt.date(2026, 10, 28)),
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        pdf=pdf,
    )
    report = StoredReport.objects.create(
        school=s.school,
        key=f"period:{q1.pk}",
        occasion="period",
        grouping="class",
        period=q1,
        as_of=q1.end,
        title="Сводный отчёт",
        subtitle="по классам",
        created_at=at(dt.date(2026, 11, 1)),
        xlsx=b"x",
        pdf=b"p",
        sha256="ab" * 32,
    )
    archive = BackupLogEntry.objects.create(
        school=s.school,
        kind=LogKind.ARCHIVE,
        at=at(dt.date(2026, 11, 1)),
        actor=s.director,
        what="Архив периода «1 четверть»",
        where="/srv/archive/q1.7z",
        size=10,
        sha256="cd" * 32,
        status=LogStatus.DONE,
        details={"period_id": q1.pk},
    )
    BackupLogEntry.objects.create(
        school=s.school,
        kind=LogKind.COPY_OUT,
        at=at(dt.date(2026, 11, 2)),
        actor=s.admin,
        what="записана на диск",
        where="ДИСК-7",
        size=10,
        sha256="cd" * 32,
        status=LogStatus.DONE,
        details={"source": archive.pk, "holder": "Админова А.", "recipient": "Директору в сейф"},
    )
    return s, book, report, archive


def _item(data, kind, pk):
    return next(i for i in data.items if i.kind == kind and i.id == pk)


def test_terms_follow_the_school_settings(kept):
    s, book, report, archive = kept
    year_end = s.year.end
    data = register(user=s.admin)
    assert _item(data, "book", book.pk).until == year_end.replace(year=year_end.year + 5)
    assert _item(data, "report", report.pk).until == year_end.replace(year=year_end.year + 25)
    assert _item(data, "report", report.pk).category == "сводные ведомости"
    copy = _item(data, "archive", archive.pk).copies[0]
    assert (copy.label, copy.holder, copy.recipient) == ("ДИСК-7", "Админова А.", "Директору в сейф")
    update_school_settings(actor=s.admin, school=s.school, changes={"retention_journal_years": 10})
    s.school.refresh_from_db()
    assert _item(register(user=s.admin), "book", book.pk).until == year_end.replace(year=year_end.year + 10)
    with pytest.raises(ValidationFailed):
        update_school_settings(actor=s.admin, school=s.school, changes={"retention_journal_years": 30})


def test_a_disk_label_narrows_and_an_unknown_one_is_said(kept):
    s, _book, _report, archive = kept
    data = register(user=s.director, label="диск-7")
    assert [(i.kind, i.id) for i in data.items] == [("archive", archive.pk)]
    with pytest.raises(ValidationFailed) as refusal:
        register(user=s.director, label="ДИСК-99")
    assert "Диска с меткой «ДИСК-99»" in refusal.value.message


def test_warned_before_the_end_and_nothing_deleted_by_itself(kept, monkeypatch):
    s, book, _report, _archive = kept
    until = _item(register(user=s.admin), "book", book.pk).until
    set_today(monkeypatch, until - dt.timedelta(days=30))
    assert _item(register(user=s.admin), "book", book.pk).status == "expiring"
    assert services.warn_all(clock.now()) >= 1
    told = Message.objects.filter(school=s.school, title__startswith="Реестр хранения")
    assert {m.recipient_id for m in told} == {s.admin.pk}
    set_today(monkeypatch, until + dt.timedelta(days=1))
    services.warn_all(clock.now())
    assert _item(register(user=s.admin), "book", book.pk).status == "expired"
    assert StoredBook.objects.filter(pk=book.pk).exists()


def test_deletion_only_by_the_administrator_confirmed_and_logged(kept, monkeypatch):
    s, book, report, archive = kept
    args = {"kind": "book", "item_id": book.pk, "confirmed": True, "reason": "акт №3"}
    with pytest.raises(ValidationFailed, match="не истёк"):
        services.delete_expired(actor=s.admin, **args)
    until = _item(register(user=s.admin), "book", book.pk).until
    set_today(monkeypatch, until + dt.timedelta(days=1))
    with pytest.raises(NotFound):
        services.delete_expired(actor=s.director, **args)
    with pytest.raises(ValidationFailed, match="Подтвердите"):
        services.delete_expired(actor=s.admin, **{**args, "confirmed": False})
    with pytest.raises(ValidationFailed, match="основание"):
        services.delete_expired(actor=s.admin, **{**args, "reason": " "})
    with pytest.raises(ValidationFailed, match="не истёк"):  # the report keeps 25 years
        services.delete_expired(actor=s.admin, **{**args, "kind": "report", "item_id": report.pk})
    with pytest.raises(ValidationFailed):  # files on disks are not deleted from here
        services.delete_expired(actor=s.admin, **{**args, "kind": "archive", "item_id": archive.pk})
    assert StoredBook.objects.filter(pk=book.pk).exists()
    done = services.delete_expired(actor=s.admin, **args)
    assert not StoredBook.objects.filter(pk=book.pk).exists()
    logged = Deletion.objects.get(pk=done.pk)
    assert (logged.actor_id, logged.sha256, logged.reason, logged.until) == (s.admin.pk, book.sha256, "акт №3", until)
    with pytest.raises(PermissionError):
        logged.delete()


def test_the_page_and_the_api(kept, client, monkeypatch):
    s, book, _report, _archive = kept
    url = reverse("retention:register")
    client.force_login(s.director)
    page = client.get(url)
    assert (
        page.status_code == 200
        and "ДИСК-7" in page.content.decode()
        and "Подтверждаю удаление" not in page.content.decode()
    )
    unknown = client.get(url, {"label": "ДИСК-99"})
    assert unknown.status_code == 422 and "Диска с меткой «ДИСК-99»" in unknown.content.decode()
    assert client.post(reverse("retention:delete"), {"kind": "book", "id": book.pk}).status_code == 404
    client.force_login(s.teacher)
    assert client.get(url).status_code == 404
    assert client.get(reverse("api-retention")).status_code == 404

    set_today(monkeypatch, _item(register(user=s.admin), "book", book.pk).until + dt.timedelta(days=1))
    client.force_login(s.admin)
    page = client.get(url).content.decode()
    assert "Подтверждаю удаление" in page and "Срок хранения истёк: 1" in page
    refused = client.post(reverse("retention:delete"), {"kind": "book", "id": book.pk, "reason": "акт"}, follow=True)
    assert "Подтвердите удаление" in refused.content.decode() and StoredBook.objects.filter(pk=book.pk).exists()
    body = client.get(reverse("api-retention"), {"label": "ДИСК-7"}).json()
    assert [i["kind"] for i in body["items"]] == ["archive"] and body["terms"]["summaries_years"] == 25
    api_delete = reverse("api-retention-delete")
    answer = client.post(
        api_delete,
        {"kind": "book", "id": book.pk, "confirm": True, "reason": "акт №4"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and not StoredBook.objects.filter(pk=book.pk).exists()
    again = client.post(
        api_delete, {"kind": "book", "id": book.pk, "confirm": True, "reason": "акт"}, content_type="application/json"
    )
    assert again.status_code == 422 and again.json()["message"] == "Такой записи в реестре хранения нет."
    assert "акт №4" in client.get(url).content.decode()


def test_the_settings_page_shows_the_terms(small_school, client):
    client.force_login(small_school.admin)
    page = client.get(reverse("schools:settings")).content.decode()
    for field in ("retention_journal_years", "retention_summary_years", "retention_warn_days"):
        assert f'id="id_{field}"' in page


def test_the_page_reads_in_a_fixed_number_of_queries(kept, client, django_assert_max_num_queries):
    s = kept[0]
    client.force_login(s.admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("retention:register")).status_code == 200
