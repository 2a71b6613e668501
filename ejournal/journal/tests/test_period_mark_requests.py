"""journal.period_mark_requests: the one adapter of "save a period mark" behind the grid/year pages and the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.core.errors import ValidationFailed
from ejournal.journal.models import PeriodMark
from ejournal.journal.period_mark_requests import PeriodMarkRequest, parse_period_mark_request

# --- reading the body (no database) ----------------------------------------------------------------------


def test_body_is_read_once_with_defaults():
    request = parse_period_mark_request({"value": " 4 ", "period": "12", "version": "", "reason": " опечатка "})
    assert request == PeriodMarkRequest(value="4", kind="period", period_id=12, version=None, reason="опечатка")
    assert parse_period_mark_request({"value": 5, "kind": "year"}).kind == "year"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], None),
        ({}, "value"),  # the page read a body without "value" as "remove the mark"
        ({"value": ["5"]}, "value"),
        ({"value": "5" * 11}, "value"),
        ({"value": "5", "kind": "semester"}, "kind"),
        ({"value": "5", "kind": 1}, "kind"),
        ({"value": "5", "period": "x"}, "period"),
        ({"value": "5", "period": 2**63}, "period"),
        ({"value": "5", "period": True}, "period"),
        ({"value": "5", "version": "v" * 17}, "version"),  # the page cut it to 16 and saved
        ({"value": "5", "reason": "r" * 501}, "reason"),  # the page cut it to 500 and saved
    ],
)
def test_a_wrong_field_is_refused_naming_it(body, field):
    with pytest.raises(ValidationFailed) as refused:
        parse_period_mark_request(body)
    assert refused.value.status == 422 and refused.value.field == field


# --- the page and the API answer alike -------------------------------------------------------------------


@pytest.fixture
def surfaces(client, journal):
    """Post one body to the page's endpoint and PUT it to the API, as the same teacher."""
    student = journal.students[0]
    client.force_login(journal.teacher)
    api = APIClient()
    api.force_authenticate(journal.teacher)
    page_url = reverse("journal:period_mark", args=[journal.assignment.pk, student.pk])
    api_url = reverse("api-journal-period-mark", args=[journal.assignment.pk, student.pk])

    def page(body):
        return client.post(page_url, data=json.dumps(body), content_type="application/json")

    def rest(body):
        return api.put(api_url, body, format="json")

    return page, rest


def test_page_and_api_refuse_the_same_body_alike(surfaces, journal):
    page_post, api_put = surfaces
    bodies = (
        {"period": journal.q2.pk},
        {"value": "5", "period": journal.q2.pk, "kind": "term"},
        {"value": "5", "period": "²"},
        {"value": "5", "period": journal.q2.pk, "reason": "r" * 501},
        {"value": "7", "period": journal.q2.pk},  # refused by the service: the same body too
        {"value": "5"},
    )
    for body in bodies:
        page, rest = page_post(body), api_put(body)
        assert page.status_code == rest.status_code == 422, body
        # One error shape on both surfaces (core.errors.error_body), so the bodies are equal.
        assert page.json() == rest.json() and page.json()["message"], body
        assert page.json()["fields"] or body["value"] == "7", body  # a field of the body is named
    assert not PeriodMark.objects.exists()


def test_page_and_api_save_the_same_mark(surfaces, journal):
    page_post, api_put = surfaces
    page = page_post({"value": "4", "period": journal.q2.pk})
    assert page.status_code == 200 and PeriodMark.objects.get().value == "4"
    PeriodMark.objects.all().delete()
    rest = api_put({"value": "4", "period": journal.q2.pk})
    assert rest.status_code == 200 and PeriodMark.objects.get().value == "4"
    # The page wraps the mark as {"mark": …} for its script; the mark itself is the API's answer.
    assert page.json()["mark"] == rest.json()


def test_page_and_api_answer_a_stale_version_alike(surfaces, journal):
    page_post, api_put = surfaces
    saved = api_put({"value": "4", "period": journal.q2.pk}).json()
    stale = {"value": "5", "period": journal.q2.pk, "version": "00000000"}
    page, rest = page_post(stale), api_put(stale)
    assert page.status_code == rest.status_code == 409
    assert page.json() == rest.json() and page.json()["current"] == saved
    assert PeriodMark.objects.get().value == "4"
