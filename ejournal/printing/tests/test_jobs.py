"""printing.stored jobs: a period's books made in the worker with progress; a draft replaced by the final book."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.conftest import SmallSchool
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.journal import periods
from ejournal.journal.tests.conftest import TODAY, set_clock
from ejournal.printing import stored
from ejournal.printing.models import BookJob, JobStatus, StoredBook
from ejournal.schools import services as schools

from .conftest import Printed, pdf_pages


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_period_books_job_counts_every_class_of_the_band(printed: Printed) -> None:
    j = printed.j
    # A second class of the band without lessons: counted in the progress, no book, named in the outcome.
    schools.create_class(actor=j.s.admin, year=j.s.year, grade=6, letter="Б")
    job = stored.request_books(actor=j.s.admin, period=j.q1)  # the immediate backend runs it at once
    assert (job.status, job.total, job.done, job.made, job.percent) == (JobStatus.DONE, 2, 2, 1, 100)
    assert job.message == "Сделано книг: 1. Без уроков за период (книги нет): 6Б."
    book = StoredBook.objects.get(period=j.q1)
    assert book.draft and "ЧЕРНОВИК" in pdf_pages(bytes(book.pdf))[0]
    # Asked again: the journal may have changed, so made anew; the earlier book stays, marked replaced.
    stored.request_books(actor=j.s.admin, period=j.q1, class_group=j.s.class_5a)
    old, new = StoredBook.objects.filter(period=j.q1).order_by("made_at", "pk")
    assert old.superseded_at is not None and old.superseded_by_id == new.pk and new.superseded_at is None


def test_the_tick_replaces_a_draft_when_the_period_is_closed(printed: Printed, monkeypatch: pytest.MonkeyPatch) -> None:
    j = printed.j
    after = dt.datetime.combine(j.q1.end + dt.timedelta(days=2), dt.time(10), tzinfo=ZoneInfo("UTC"))
    assert stored.enqueue_due(after) == 1
    draft = StoredBook.objects.get(period=j.q1)
    assert draft.draft and stored.enqueue_due(after) == 0  # nothing needed while the period is open
    set_clock(monkeypatch, TODAY + dt.timedelta(days=1))  # the deputy closes the quarter the next day
    periods.close_period(actor=j.s.admin, period=j.q1, class_group=j.s.class_5a)
    # Long after the look-back: a draft is still made final when its period closes.
    later = after + stored.LOOKBACK * 3
    assert stored.enqueue_due(later) >= 1  # the second quarter and the first half-year have ended too
    final = StoredBook.objects.get(period=j.q1, superseded_at__isnull=True)
    assert not final.draft and "ЧЕРНОВИК" not in " ".join(pdf_pages(bytes(final.pdf)))
    draft.refresh_from_db()
    assert draft.superseded_by_id == final.pk and bytes(draft.pdf).startswith(b"%PDF")
    assert stored.enqueue_due(later) == 0
    jobs = list(BookJob.objects.filter(period=j.q1).order_by("pk"))
    assert [(job.requested_by_id, job.status, job.made) for job in jobs] == [(None, JobStatus.DONE, 1)] * 2
    page = _client(j.s.admin).get(reverse("printing:stored")).content.decode()
    assert final.sha256 in page and draft.sha256 in page and "черновик, заменена" in page and "чистовой" in page


def test_only_management_asks_and_only_for_its_school(printed: Printed, other_school: SmallSchool) -> None:
    j = printed.j
    for user in (j.s.class_teacher, j.teacher, other_school.admin):
        with pytest.raises(NotFound):
            stored.request_books(actor=user, period=j.q1)
    half = stored.classes_of(j.q1).model.objects.get(pk=j.s.class_10a.pk)
    with pytest.raises(ValidationFailed, match="не из учебных периодов класса 10А"):
        stored.request_books(actor=j.s.admin, period=j.q1, class_group=half)
    assert not BookJob.objects.exists()


def test_the_page_asks_and_shows_the_progress(printed: Printed, other_school: SmallSchool) -> None:
    j = printed.j
    url = reverse("printing:make")
    answer = _client(j.s.deputy).post(url, {"period": j.q1.pk})
    assert answer.status_code == 302 and answer["Location"] == reverse("printing:stored")
    page = _client(j.s.deputy).get(reverse("printing:stored")).content.decode()
    assert "все классы ступени" in page and "готово: 1 из 1" in page and "Сделано книг: 1." in page
    assert 'http-equiv="refresh"' not in page  # nothing running: the page stays still
    for user in (j.s.class_teacher, j.teacher, j.students[0]):
        assert _client(user).post(url, {"period": j.q1.pk}).status_code == 404
    assert _client(other_school.admin).post(url, {"period": j.q1.pk}).status_code == 400  # not a period of theirs
    assert _client(j.s.admin).post(url, {"period": j.q1.pk, "class_group": other_school.class_5a.pk}).status_code == 404
    assert BookJob.objects.count() == 1


def test_a_running_job_refreshes_the_page_and_is_not_asked_twice(printed: Printed) -> None:
    j = printed.j
    running = BookJob.objects.create(
        school=j.s.school,
        period=j.q1,
        requested_by=j.s.admin,
        created_at=after_q1(printed),
        status="running",
        total=4,
        done=1,
    )
    assert stored.request_books(actor=j.s.admin, period=j.q1) == running
    page = _client(j.s.admin).get(reverse("printing:stored")).content.decode()
    assert 'http-equiv="refresh"' in page and "выполняется: 1 из 4" in page and 'value="25"' in page


def after_q1(printed: Printed) -> dt.datetime:
    return dt.datetime.combine(printed.j.q1.end + dt.timedelta(days=2), dt.time(10), tzinfo=ZoneInfo("UTC"))


def test_the_stored_page_reads_a_fixed_number_of_queries(
    printed: Printed, django_assert_max_num_queries: object
) -> None:
    j = printed.j
    schools.create_class(actor=j.s.admin, year=j.s.year, grade=6, letter="Б")
    for _ in range(3):  # three jobs, three books of 5А (two of them replaced)
        stored.request_books(actor=j.s.admin, period=j.q1)
    client = _client(j.s.admin)
    client.get(reverse("printing:stored"))  # the session and the menu's caches warm
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        page = client.get(reverse("printing:stored"))
    assert page.content.decode().count("Скачать PDF") == 3
