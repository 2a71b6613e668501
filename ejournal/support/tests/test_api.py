"""The support API under /api/v1/support/: asking (with a refused 50 MB file), own requests only, the
administrator's answer, escalation and FAQ, a closed request, training sign-ups; allowed and denied users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.core import time as clock
from ejournal.support.models import Audience, FaqEntry, SignUp, Ticket

NOW = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs=kwargs)


def test_ask_answer_close_and_faq(api, small_school, other_school):
    s = small_school
    api.force_authenticate(s.teacher)
    r = api.post(url("api-support-tickets"), {"text": "Где КТП?", "page": "/curriculum/plans/?x=1"}, format="json")
    assert r.status_code == 201
    ticket_id = r.json()["id"]
    assert r.json()["page"] == "/curriculum/plans/" and r.json()["status"] == "new"
    # Another user of the school and the other school's administrator do not see it.
    api.force_authenticate(s.parent)
    assert api.get(url("api-support-ticket", ticket_id=ticket_id)).status_code == 404
    assert api.get(url("api-support-tickets")).json() == {"tickets": []}
    assert (
        api.post(url("api-support-ticket-reply", ticket_id=ticket_id), {"text": "x"}, format="json").status_code == 404
    )
    api.force_authenticate(other_school.admin)
    assert api.get(url("api-support-ticket", ticket_id=ticket_id)).status_code == 404
    # The administrator answers, sees the prepared escalation, publishes to the FAQ.
    api.force_authenticate(s.admin)
    assert [t["id"] for t in api.get(url("api-support-tickets")).json()["tickets"]] == [ticket_id]
    detail = api.get(url("api-support-ticket", ticket_id=ticket_id)).json()
    assert "Версия ЭЖ" in detail["escalation"]["prepared"]
    r = api.post(url("api-support-ticket-reply", ticket_id=ticket_id), {"text": "В меню «КТП»."}, format="json")
    assert r.json()["status"] == "answered"
    r = api.post(url("api-support-ticket-escalate", ticket_id=ticket_id), {"text": "x", "how": "fax"}, format="json")
    assert r.status_code == 422 and r.json()["fields"] == {"how": ["Поле «how»: email или copy."]}
    r = api.post(
        url("api-support-ticket-publish", ticket_id=ticket_id),
        {"category": "КТП", "question": "Где КТП?", "answer": "В меню «КТП»."},
        format="json",
    )
    assert r.status_code == 200 and FaqEntry.objects.count() == 1
    # The author sees the answer and closes; a message to a closed request is refused.
    api.force_authenticate(s.teacher)
    detail = api.get(url("api-support-ticket", ticket_id=ticket_id)).json()
    assert [m["text"] for m in detail["messages"] if m["is_answer"]] == ["В меню «КТП»."]
    assert "escalation" not in detail
    assert api.post(url("api-support-ticket-publish", ticket_id=ticket_id), {}, format="json").status_code == 404
    api.post(url("api-support-ticket-close", ticket_id=ticket_id), {}, format="json")
    r = api.post(url("api-support-ticket-reply", ticket_id=ticket_id), {"text": "Ещё"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "support.closed"
    assert api.get(url("api-support-faq"), {"q": "ктп"}).json()["entries"][0]["category"] == "КТП"
    api.force_authenticate(None)
    assert api.get(url("api-support-faq")).status_code in (401, 403)


def test_a_50_mb_file_is_refused(api, small_school):
    api.force_authenticate(small_school.parent)
    big = SimpleUploadedFile("скан.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    r = api.post(url("api-support-tickets"), {"text": "Вопрос", "file": big}, format="multipart")
    assert r.status_code == 422
    assert r.json()["code"] == "support.file_too_large" and "не больше 10,0 МБ" in r.json()["message"]
    assert not Ticket.objects.exists()


def test_trainings_sign_up_full_and_attendance(api, small_school, monkeypatch):
    s = small_school
    monkeypatch.setattr(clock, "now", lambda: NOW)
    api.force_authenticate(s.teacher)
    data = {
        "title": "Журнал",
        "day": "2026-11-20",
        "time": "15:00",
        "place": "к. 5",
        "audience": "teachers",
        "capacity": 1,
    }
    assert api.post(url("api-support-trainings"), data, format="json").status_code == 404
    api.force_authenticate(s.admin)
    r = api.post(url("api-support-trainings"), data, format="json")
    assert r.status_code == 201 and r.json()["audience"] == Audience.TEACHERS
    training_id = r.json()["id"]
    assert api.post(url("api-support-trainings"), {**data, "capacity": "много"}, format="json").status_code == 422
    api.force_authenticate(s.parent)
    assert api.get(url("api-support-trainings")).json() == {"trainings": []}  # not the parents' audience
    assert (
        api.post(url("api-support-training-signup", training_id=training_id)).json()["code"] == "support.not_audience"
    )
    api.force_authenticate(s.teacher)
    r = api.post(url("api-support-training-signup", training_id=training_id))
    assert r.status_code == 200 and r.json()["signed_up"] is True and r.json()["taken"] == 1
    api.force_authenticate(s.teacher2)
    r = api.post(url("api-support-training-signup", training_id=training_id))
    assert r.status_code == 409 and r.json()["code"] == "support.session_full"
    assert api.get(url("api-support-training-attendance", training_id=training_id)).status_code == 404
    api.force_authenticate(s.admin)
    r = api.post(
        url("api-support-training-attendance", training_id=training_id), {"present": [s.teacher.pk]}, format="json"
    )
    assert r.json()["signups"][0]["attended"] is True
    api.force_authenticate(s.teacher)
    assert api.delete(url("api-support-training-signup", training_id=training_id)).json()["signed_up"] is False
    assert not SignUp.objects.exists()
