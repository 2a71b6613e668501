"""journal.cell_requests: the one adapter of "save a cell" behind the grid page and the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.core.errors import ValidationFailed
from ejournal.journal.cell_requests import MarkRequest, parse_cell_request
from ejournal.journal.models import Attendance, Mark

MONDAY = dt.date(2026, 12, 21)


# --- reading the body (no database) ----------------------------------------------------------------------


def test_grid_body_is_read_once_with_spaces_dropped():
    request = parse_cell_request({"text": " 5/4 ", "kind": "3", "version": "abc", "reason": " опечатка "})
    assert (request.text, request.kind_id, request.version, request.reason) == ("5/4", 3, "abc", "опечатка")
    assert request.marks is None and request.attendance is None


def test_panel_body_keeps_a_missing_comment_as_none():
    request = parse_cell_request({"marks": [{"value": 5, "kind": None}, {"value": "4", "comment": ""}]})
    assert request.marks == (MarkRequest("5", None, None), MarkRequest("4", None, ""))
    assert request.text is None and request.version is None and request.reason == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], None),
        ({"text": True}, "text"),
        ({"text": "5" * 61}, "text"),
        ({"text": {"a": 1}}, "text"),
        ({"kind": "x"}, "kind"),
        ({"kind": 2**63}, "kind"),
        ({"kind": False}, "kind"),
        ({"version": "v" * 17}, "version"),
        ({"marks": "5"}, "marks"),
        ({"marks": [{"value": "5"}] * 11}, "marks"),
        ({"marks": [{"value": ["5"]}]}, "value"),
        ({"marks": [{"kind": 1}]}, "marks"),
        ({"attendance": "прогул"}, "attendance"),
    ],
)
def test_a_wrong_field_is_refused_naming_it(body, field):
    with pytest.raises(ValidationFailed) as refused:
        parse_cell_request(body)
    assert refused.value.status == 422 and refused.value.field == field


# --- the page and the API answer alike -------------------------------------------------------------------


def test_attendance_alone_sets_the_attendance_on_the_page_as_in_the_api(client, journal):
    """The page used to read a body without "text" as an empty cell: {"attendance": "оп"} erased the marks."""
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    url = reverse("journal:cell", args=[lesson.pk, student.pk])
    saved = client.post(url, data=json.dumps({"text": "5"}), content_type="application/json").json()
    body = {"attendance": "оп", "version": saved["cell"]["version"]}
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["cell"]["text"] == "оп 5"
    assert list(Mark.objects.filter(lesson=lesson, student=student).values_list("value", flat=True)) == ["5"]
    assert Attendance.objects.get(lesson=lesson, student=student).code == "оп"


def test_page_and_api_refuse_the_same_body_alike(client, journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    api = APIClient()
    api.force_authenticate(journal.teacher)
    page_url = reverse("journal:cell", args=[lesson.pk, student.pk])
    for body in ({"text": "5" * 61}, {"marks": [{"value": "5"}] * 11}, {"text": "5", "kind": "x"}):
        page = client.post(page_url, data=json.dumps(body), content_type="application/json")
        rest = api.put(reverse("api-journal-cell", args=[lesson.pk, student.pk]), body, format="json")
        assert page.status_code == rest.status_code == 422
        # One error shape on both surfaces (core.errors.error_body), so the bodies are equal.
        assert page.json() == rest.json() and page.json()["code"] == "core.invalid" and page.json()["fields"]
    assert not Mark.objects.filter(lesson=lesson, student=student).exists()
