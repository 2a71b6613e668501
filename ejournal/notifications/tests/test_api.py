"""The REST API of informing under /api/v1/notifications/: inbox, read, preferences, push, Telegram code,
the administrator's undelivered list and retry; allowed and denied users."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ejournal.notifications import services
from ejournal.notifications.delivery import deliver_due
from ejournal.notifications.models import Delivery, Message, Preferences, PushSubscription, Status


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def delivered(user, text="Отчёт готов"):
    services.notify(recipient=user, event="message", title="Сообщение", text=text, url="/diary/")
    deliver_due(timezone.now())
    return Message.objects.filter(recipient=user).latest("pk")


def test_inbox_lists_own_messages_and_marks_them_read(api, journal):
    parent = journal.s.parent
    mine, other = delivered(parent), delivered(journal.s.teacher, "чужое")
    api.force_authenticate(parent)
    data = api.get(reverse("api-notifications-inbox")).json()
    assert [m["id"] for m in data["results"]] == [mine.pk]
    assert (data["results"][0]["text"], data["results"][0]["read"]) == ("Отчёт готов", False)
    r = api.post(reverse("api-notifications-read"), {"ids": [mine.pk, other.pk]}, format="json")
    assert r.json() == {"updated": 1, "unread": 0}
    other.refresh_from_db()
    assert other.read_at is None
    assert api.post(reverse("api-notifications-read"), {}, format="json").status_code == 422


def test_preferences_get_and_put(api, journal):
    api.force_authenticate(journal.s.parent)
    url = reverse("api-notifications-preferences")
    assert api.get(url).json()["channels"] == ["email"]
    body = {"channels": ["email"], "events": ["mark"], "quiet_start": "22:00", "quiet_end": "07:00", "digest": "daily"}
    r = api.put(url, body, format="json")
    assert r.status_code == 200 and r.json()["quiet_start"] == "22:00:00"
    assert Preferences.objects.get(user=journal.s.parent).digest == "daily"
    bad = api.put(url, {**body, "quiet_end": None}, format="json")
    assert bad.status_code == 422 and "тихих часов" in bad.json()["message"]
    assert api.put(url, {**body, "events": ["spam"]}, format="json").status_code == 422


def test_push_subscription_create_and_delete(api, journal):
    api.force_authenticate(journal.s.parent)
    url = reverse("api-notifications-push")
    body = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "B" * 87, "auth": "a" * 22}}
    r = api.post(url, body, format="json")
    assert r.status_code == 201 and r.json()["count"] == 1
    assert api.post(url, {"endpoint": "https://push.example/x"}, format="json").status_code == 422
    api.force_authenticate(journal.s.teacher)
    assert api.delete(url, {"endpoint": body["endpoint"]}, format="json").status_code == 404
    api.force_authenticate(journal.s.parent)
    assert api.delete(url, {"endpoint": body["endpoint"]}, format="json").status_code == 204
    assert not PushSubscription.objects.exists()


def test_telegram_code(api, journal):
    api.force_authenticate(journal.s.parent)
    r = api.post(reverse("api-notifications-telegram-code"))
    assert r.status_code == 201 and r.json()["code"] == Preferences.objects.get(user=journal.s.parent).telegram_code


def test_undelivered_and_retry_for_the_admin_only(api, journal, other_school):
    m = delivered(journal.s.parent)
    d = Delivery.objects.get(message=m, channel="email")
    Delivery.objects.filter(pk=d.pk).update(status=Status.FAILED, last_error="Почтовый сервер недоступен")
    api.force_authenticate(journal.s.admin)
    data = api.get(reverse("api-notifications-undelivered"), {"channel": "email"}).json()
    assert [(x["id"], x["last_error"], x["recipient_id"]) for x in data["results"]] == [
        (d.pk, "Почтовый сервер недоступен", journal.s.parent.pk)
    ]
    retry = reverse("api-notifications-retry", args=[d.pk])
    for outsider in (journal.s.teacher, other_school.admin):
        api.force_authenticate(outsider)
        assert api.post(retry).status_code == 404
    api.force_authenticate(journal.s.teacher)
    assert api.get(reverse("api-notifications-undelivered")).status_code == 404
    api.force_authenticate(journal.s.admin)
    r = api.post(retry)
    assert r.status_code == 200 and r.json()["status"] == "pending"
    assert api.post(retry).status_code == 422  # already pending: nothing to retry


@pytest.mark.parametrize(
    "name", ["api-notifications-inbox", "api-notifications-preferences", "api-notifications-undelivered"]
)
def test_anonymous_is_refused(api, db, name):
    assert api.get(reverse(name)).status_code == 403  # DRF: not signed in
