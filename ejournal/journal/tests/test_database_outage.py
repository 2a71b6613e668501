"""The database going away in the middle of a teacher's save: a friendly 503, nothing half-written, and the
next request (the grid resends its queued edit) succeeds."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import OperationalError
from django.urls import reverse

from ejournal.journal.models import ChangeRecord, Mark

MONDAY = dt.date(2026, 12, 21)


@pytest.fixture
def outage(monkeypatch):
    """The connection drops after the mark row is written, when the history row is being written."""
    manager = ChangeRecord.objects
    originals = {"bulk_create": manager.bulk_create, "create": manager.create}

    def dropped(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    for name in originals:
        monkeypatch.setattr(manager, name, dropped)

    def back() -> None:
        for name, method in originals.items():
            monkeypatch.setattr(manager, name, method)

    return back


def save(client, lesson, student, text):
    return client.post(
        reverse("journal:cell", args=[lesson.pk, student.pk]),
        data=json.dumps({"text": text}),
        content_type="application/json",
    )


def test_a_save_during_an_outage_is_a_503_without_traceback_and_without_partial_write(client, journal, outage):
    client.raise_request_exception = False
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    response = save(client, lesson, student, "5")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "База данных временно недоступна" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert not Mark.objects.filter(lesson=lesson, student=student).exists()
    assert not ChangeRecord.objects.filter(lesson=lesson, student=student).exists()

    outage()  # the database is back: the queued edit is sent again
    assert save(client, lesson, student, "5").status_code == 200
    assert Mark.objects.filter(lesson=lesson, student=student).count() == 1
    assert ChangeRecord.objects.filter(lesson=lesson, student=student).count() == 1


def test_the_api_answers_json_during_an_outage(client, journal, outage):
    client.raise_request_exception = False
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    response = client.put(
        f"/api/v1/journal/lessons/{lesson.pk}/cells/{student.pk}/",
        data=json.dumps({"text": "4"}),
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response.json() == {
        "code": "core.unavailable",
        "message": "База данных временно недоступна. Изменения не потеряны: повторите через минуту.",
        "fields": {},
    }


def test_a_bug_is_a_plain_500_page_without_details(client, journal, monkeypatch):
    client.raise_request_exception = False
    monkeypatch.setattr("ejournal.home.views.selectors.home_page", lambda *a: 1 / 0)
    client.force_login(journal.teacher)
    response = client.get("/")
    assert response.status_code == 500
    assert "На сервере произошла ошибка" in response.content.decode()
    assert "ZeroDivisionError" not in response.content.decode()
