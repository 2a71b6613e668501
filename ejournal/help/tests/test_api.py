"""GET /api/v1/help/?q= — the same search and the same audiences as the help centre page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = "/api/v1/help/"


def test_url_name() -> None:
    assert reverse("api-help") == URL


def test_anonymous_is_refused(client: Client) -> None:
    assert client.get(URL, {"q": "отметк"}).status_code in (401, 403)


def test_teacher_searches(client: Client, small_school) -> None:
    client.force_login(small_school.teacher)
    body = client.get(URL, {"q": "Отметку"}).json()
    assert body["q"] == "Отметку" and body["results"]
    first = body["results"][0]
    assert set(first) == {"title", "document", "kind", "url", "snippet", "score"}
    assert first["url"].startswith("/help/") and "#r" in first["url"]
    assert [r["score"] for r in body["results"]] == sorted((r["score"] for r in body["results"]), reverse=True)
    assert {"title": "Журнал предмета (сетка отметок)", "kind": "topic", "url": "/help/page/journal-grid/"} in body[
        "documents"
    ]


def test_parent_gets_no_staff_help(client: Client, small_school) -> None:
    client.force_login(small_school.parent)
    body = client.get(URL, {"q": "резервн"}).json()
    assert not any("/backups/" in r["url"] for r in body["results"])
    assert not any(d["url"] == "/help/page/backups/" for d in body["documents"])
    assert client.get(URL).json()["results"] == []


def test_bad_query_is_a_422(client: Client, small_school) -> None:
    client.force_login(small_school.parent)
    response = client.get(URL, {"q": "а" * 201})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "core.invalid" and body["fields"] and "200 знаков" in body["message"]
