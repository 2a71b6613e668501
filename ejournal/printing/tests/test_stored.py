"""printing.stored: books made by the tick at period ends, kept with SHA-256, listed for management."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import SmallSchool
from ejournal.core import ticks
from ejournal.journal import periods
from ejournal.printing import stored
from ejournal.printing.models import StoredBook

from .conftest import Printed, pdf_pages

URL = reverse("printing:stored")


def _after_q1(printed: Printed) -> dt.datetime:
    end = printed.j.q1.end + dt.timedelta(days=2)
    return dt.datetime(end.year, end.month, end.day, 10, tzinfo=ZoneInfo("UTC"))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_tick_is_registered() -> None:
    assert {t.name: t.every for t in ticks.registered()}["printing.books"] == dt.timedelta(hours=1)


def test_tick_stores_the_books_of_the_band_once(printed: Printed) -> None:
    j = printed.j
    periods.close_period(actor=j.s.admin, period=j.q1, class_group=j.s.class_5a)
    assert stored.enqueue_due(_after_q1(printed)) >= 1  # the immediate backend runs the task at once
    books = list(StoredBook.objects.filter(period=j.q1))
    # 5А has lessons; 10А is of the half-year band (and has none): one book.
    assert [b.class_group_id for b in books] == [j.s.class_5a.pk]
    book = books[0]
    content = bytes(book.pdf)
    assert book.sha256 == hashlib.sha256(content).hexdigest() and book.size == len(content) and not book.draft
    text = " ".join(pdf_pages(content))
    assert all(student.last_name in text for student in j.students) and "ЧЕРНОВИК" not in text
    assert stored.enqueue_due(_after_q1(printed)) == 0
    assert StoredBook.objects.filter(period=j.q1).count() == 1


def test_no_books_before_the_period_ends(printed: Printed) -> None:
    before = dt.datetime(2026, 10, 1, 10, tzinfo=ZoneInfo("UTC"))
    assert stored.enqueue_due(before) == 0 and not StoredBook.objects.exists()


def test_listed_and_downloaded_by_management_only(printed: Printed, other_school: SmallSchool) -> None:
    j = printed.j
    stored.store_books(period=j.q1)
    book = StoredBook.objects.get(period=j.q1)
    for user in (j.s.admin, j.s.director, j.s.deputy):
        page = _client(user).get(URL)
        assert page.status_code == 200 and book.sha256 in page.content.decode()
        answer = _client(user).get(URL, {"book": book.pk})
        assert answer.status_code == 200 and answer.content == bytes(book.pdf)
        assert SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_EXPORT, actor=user).exists()
    for user in (j.s.class_teacher, j.teacher, j.students[0]):
        assert _client(user).get(URL).status_code == 404
    foreign = _client(other_school.admin)
    assert foreign.get(URL).status_code == 200 and book.sha256 not in foreign.get(URL).content.decode()
    assert foreign.get(URL, {"book": book.pk}).status_code == 404
