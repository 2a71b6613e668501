"""The journal's codes on both surfaces (issue 14, item 1): the grid's endpoints and the API answer the one
shape {"code", "message", "fields"} (+ "current" on a stale edit), and an error page carries its code."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpResponse
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.core.middleware import DomainErrorMiddleware
from ejournal.journal.errors import JournalLocked
from ejournal.journal.periods import close_period

MONDAY = dt.date(2026, 12, 21)


def _cell(client, lesson, student, **body):
    url = reverse("journal:cell", args=[lesson.pk, student.pk])
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_grid_endpoint_answers_codes_a_client_tells_apart(client, journal):
    s = journal.s
    client.force_login(journal.teacher)
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    bad = _cell(client, lesson, student, text="7").json()
    assert bad["code"] == "journal.bad_mark_value" and "не отметка" in bad["message"]
    empty = _cell(client, lesson, student, text="").json()["cell"]["version"]
    assert _cell(client, lesson, student, text="5", version=empty).status_code == 200
    stale = _cell(client, lesson, student, text="3", version=empty)
    assert stale.status_code == 409
    assert stale.json()["code"] == "journal.stale_edit" and stale.json()["current"]["text"] == "5"
    close_period(actor=s.deputy, period=journal.q1)
    locked = _cell(client, journal.in_period(journal.q1)[0], s.students_5a[0], text="5")
    assert locked.status_code == 423 and locked.json()["code"] == "journal.period_closed"
    client.logout()
    gone = _cell(client, lesson, student, text="5")
    assert gone.status_code == 401 and gone.json()["code"] == "core.not_authenticated"


def test_the_api_answers_the_same_codes_with_current_on_a_stale_edit(journal):
    api = APIClient()
    api.force_authenticate(journal.teacher)
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    url = reverse("api-journal-cell", args=[lesson.pk, student.pk])
    empty = api.put(url, {"text": ""}, format="json").json()["cell"]["version"]
    assert api.put(url, {"text": "5", "version": empty}, format="json").status_code == 200
    stale = api.put(url, {"text": "3", "version": empty}, format="json")
    body = stale.json()
    assert stale.status_code == 409 and body["code"] == "journal.stale_edit" and body["current"]["text"] == "5"
    assert "detail" not in body and body["fields"] == {}
    bad = api.put(url, {"text": "ы"}, format="json").json()
    assert bad["code"] == "journal.bad_mark_value"
    missing = api.put(reverse("api-journal-cell", args=[lesson.pk, 10**12]), {"text": "5"}, format="json")
    assert missing.status_code == 404 and missing.json() == {
        "code": "core.not_found",
        "message": "Не найдено.",
        "fields": {},
    }


def test_an_error_page_carries_its_status_message_and_code(rf, journal):
    """The one page mapping (DomainErrorMiddleware): error.html with the error's status and code."""
    request = rf.get("/")
    request.user = journal.teacher
    middleware = DomainErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, JournalLocked("Период закрыт."))
    assert response is not None and response.status_code == 423
    assert (
        'data-code="journal.period_closed"' in response.content.decode()
        and "Период закрыт." in response.content.decode()
    )
