"""«Состояние системы» page and GET /api/v1/status/: the administrator and the director read it; others 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus

pytestmark = pytest.mark.django_db


def failed_backup():
    BackupLogEntry.objects.create(
        kind=LogKind.BACKUP,
        at=timezone.now(),
        what="Полная резервная копия",
        status=LogStatus.FAILED,
        details={"error": "нет места"},
    )


@pytest.mark.parametrize("who", ["admin", "director"])
def test_the_page_for_admin_and_director(small_school, client, who, django_assert_max_num_queries):
    failed_backup()
    client.force_login(getattr(small_school, who))
    with django_assert_max_num_queries(40):
        response = client.get("/status/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Состояние системы" in body and 'data-key="backup" data-state="problem"' in body and "нет места" in body


@pytest.mark.parametrize("who", ["teacher", "deputy"])
def test_the_page_is_404_to_others(small_school, client, who):
    client.force_login(getattr(small_school, who))
    assert client.get("/status/").status_code == 404
    assert client.get("/api/v1/status/").status_code == 404


def test_the_api(small_school, client):
    failed_backup()
    client.force_login(small_school.admin)
    data = client.get("/api/v1/status/").json()
    assert data["state"] == "problem"
    backup = next(i for i in data["items"] if i["key"] == "backup")
    assert backup["state"] == "problem" and backup["advice"] and backup["url"] == "/archive/backups/"
    assert {i["key"] for i in data["items"]} >= {
        "database",
        "worker",
        "queue",
        "drill",
        "archive",
        "disk",
        "notifications",
        "errors",
    }


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/status/").status_code == 302
