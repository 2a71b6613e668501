import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ejournal.core.models import WorkerBeat


def test_healthz_reports_database_and_missing_worker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False


def test_healthz_sees_a_beating_worker_and_a_stale_one(client, db):
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", started_at=now, beat_at=now)
    assert client.get(reverse("healthz")).json()["worker"]["ok"] is True
    WorkerBeat.objects.update(beat_at=now - dt.timedelta(minutes=5))
    assert client.get(reverse("healthz")).json()["worker"]["ok"] is False


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    monkeypatch.setattr("ejournal.core.health.database_state", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
