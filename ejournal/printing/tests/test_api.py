"""/api/v1/printing/: the book, one journal, the stored books and the jobs — the pages' functions and rules."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.conftest import SmallSchool
from ejournal.printing.models import BookJob, JobStatus, StoredBook

from .conftest import TOPICS, Printed, pdf_pages

BOOK = reverse("api-printing-book")
STORED = reverse("api-printing-stored")
JOBS = reverse("api-printing-jobs")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_what_may_be_printed_then_the_book(printed: Printed) -> None:
    j = printed.j
    client = _client(j.s.class_teacher)
    listing = client.get(BOOK).json()
    assert [c["name"] for c in listing["classes"]] == ["5А"]
    assert j.q1.pk in [p["id"] for p in listing["periods"]] and set(listing["parts"]) == {"book", "summary"}
    answer = client.get(BOOK, {"class_group": j.s.class_5a.pk, "period": j.q1.pk})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pages = pdf_pages(answer.content)
    text = " ".join(pages)
    assert all(topic in text for topic in TOPICS) and all(f" {m} " in text for m in printed.marks)
    assert f"скреплено печатью {len(pages)} страниц" in pages[-1]
    summary = client.get(BOOK, {"class_group": str(j.s.class_5a.pk), "period": str(j.q1.pk), "part": "summary"})
    assert "Сводная ведомость отметок" in pdf_pages(summary.content)[0]
    lessons = j.in_period(j.q1)
    ranged = {"class_group": str(j.s.class_5a.pk), "date_from": f"{lessons[0].date}", "date_to": f"{lessons[0].date}"}
    assert TOPICS[1] not in " ".join(pdf_pages(client.get(BOOK, ranged).content))


def test_bad_input_is_a_russian_4xx(printed: Printed) -> None:
    j = printed.j
    client = _client(j.s.admin)
    bad_date = client.get(
        BOOK, {"class_group": str(j.s.class_5a.pk), "date_from": "31.12.2026", "date_to": "2027-01-10"}
    )
    assert bad_date.status_code == 400 and bad_date.json()["fields"] and "date_from" in bad_date.json()["message"]
    neither = client.get(BOOK, {"class_group": j.s.class_5a.pk})
    assert neither.status_code == 422 and "Укажите период или даты" in neither.json()["message"]
    bad_id = client.get(BOOK, {"class_group": "5А"})
    assert bad_id.status_code == 400
    part = client.get(BOOK, {"class_group": str(j.s.class_5a.pk), "period": str(j.q1.pk), "part": "x"})
    assert part.status_code == 422 and "Неизвестная часть" in part.json()["message"]


def test_the_book_for_others_is_404(printed: Printed, other_school: SmallSchool) -> None:
    s = printed.j.s
    query = {"class_group": s.class_5a.pk, "period": printed.j.q1.pk}
    for user in (s.teacher, s.students_5a[0], other_school.admin):
        assert _client(user).get(BOOK, query).status_code == 404
    assert _client(s.teacher).get(BOOK).status_code == 404  # no class to print: no list either
    assert Client().get(BOOK).status_code == 403


def test_one_journal_for_its_teacher(printed: Printed) -> None:
    j = printed.j
    url = reverse("api-printing-journal", args=[j.assignment.pk])
    periods = _client(j.teacher).get(url).json()
    assert periods["subject"]["name"] == "Математика" and j.q1.pk in [p["id"] for p in periods["periods"]]
    answer = _client(j.teacher).get(url, {"period": j.q1.pk})
    assert answer.status_code == 200 and "Русский язык" not in " ".join(pdf_pages(answer.content))
    assert _client(j.s.teacher2).get(url).status_code == 404
    assert _client(j.s.teacher2).get(url, {"period": j.q1.pk}).status_code == 404


def test_jobs_and_stored_books_for_management(printed: Printed, other_school: SmallSchool) -> None:
    j = printed.j
    client = _client(j.s.director)
    asked = client.post(JOBS, {"period": j.q1.pk}, content_type="application/json")
    assert asked.status_code == 202 and asked.json()["status"] == JobStatus.DONE  # the immediate backend ran it
    [job] = client.get(JOBS).json()
    assert (job["done"], job["total"], job["percent"], job["made"]) == (1, 1, 100, 1)
    [book] = client.get(STORED).json()
    stored = StoredBook.objects.get()
    assert book["sha256"] == stored.sha256 and book["draft"] and book["superseded_at"] is None
    assert client.get(book["download"]).content == bytes(stored.pdf)
    for user in (j.s.class_teacher, j.teacher):
        assert _client(user).get(JOBS).status_code == 404 and _client(user).get(STORED).status_code == 404
        assert _client(user).post(JOBS, {"period": j.q1.pk}, content_type="application/json").status_code == 404
    foreign = _client(other_school.admin)
    assert foreign.get(STORED).json() == [] and foreign.get(JOBS).json() == []
    assert foreign.post(JOBS, {"period": j.q1.pk}, content_type="application/json").status_code == 404
    missing = client.post(JOBS, {}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["fields"]
    assert BookJob.objects.count() == 1
