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


PUBLIC = "203.0.113.5"


def test_the_public_learns_only_whether_it_answers(client, db):
    body = client.get(reverse("healthz"), REMOTE_ADDR=PUBLIC).json()
    assert body == {"ok": True}


def test_a_proxy_on_the_same_machine_does_not_make_a_request_local(client, db):
    # nginx in front on 127.0.0.1 passes the public's requests on with a forwarded header.
    body = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=PUBLIC).json()
    assert body == {"ok": True}
    assert "database" in client.get(reverse("healthz"), REMOTE_ADDR="::1").json()


def test_a_failing_database_is_a_bare_503_for_the_public(client, db, monkeypatch):
    monkeypatch.setattr("ejournal.core.health.database_state", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get(reverse("healthz"), REMOTE_ADDR=PUBLIC)
    assert response.status_code == 503 and response.json() == {"ok": False}


def test_a_signed_in_administrator_reads_the_details_from_anywhere(client, small_school):
    client.force_login(small_school.admin)
    body = client.get(reverse("healthz"), REMOTE_ADDR=PUBLIC).json()
    assert body["database"]["ok"] is True and "last_beat_seconds_ago" in body["worker"]


def test_other_signed_in_people_get_only_ok(client, small_school):
    for who in ("teacher", "director", "parent"):
        client.force_login(getattr(small_school, who))
        assert client.get(reverse("healthz"), REMOTE_ADDR=PUBLIC).json() == {"ok": True}
