"""The administrator's page of what did not arrive and why: filters, retry, the scope of the school."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from ejournal.audit.models import SecurityEvent
from ejournal.core.errors import Conflict, NotFound
from ejournal.notifications import services
from ejournal.notifications.events import process_events
from ejournal.notifications.models import Delivery, JournalEvent, Message, Status

URL = reverse("notifications:undelivered")


def failed(user, reason="Почтовый сервер отклонил адрес: 550", channel="email"):
    services.notify(recipient=user, event="message", title="t", text="x")
    message = Message.objects.filter(recipient=user).latest("pk")
    return Delivery.objects.update_or_create(
        message=message,
        channel=channel,
        defaults={"school": user.school, "status": Status.FAILED, "attempts": 1, "last_error": reason},
    )[0]


def test_admin_sees_failures_of_own_school_with_reasons(client, journal, other_school):
    failed(journal.s.parent)
    failed(other_school.parent, reason="чужая школа")
    client.force_login(journal.s.admin)
    html = client.get(URL).content.decode()
    assert "Почтовый сервер отклонил адрес: 550" in html and "чужая школа" not in html
    assert journal.s.parent.last_name in html


def test_journal_events_that_keep_failing_are_shown(client, journal, other_school):
    JournalEvent.objects.create(school=journal.s.school, kind="mark", payload={}, at=timezone.now())
    JournalEvent.objects.create(school=other_school.school, kind="mark", payload={}, at=timezone.now())
    process_events()
    client.force_login(journal.s.admin)
    html = client.get(URL).content.decode()
    assert "не удалось превратить в уведомления: 1." in html and "TypeError" in html


def test_filters_by_channel(client, journal):
    failed(journal.s.parent)
    failed(journal.s.teacher, reason="Telegram ответил ошибкой 403", channel="telegram")
    client.force_login(journal.s.director)
    html = client.get(URL, {"channel": "telegram", "since": timezone.localdate().isoformat()}).content.decode()
    assert "Telegram ответил ошибкой 403" in html and "550" not in html


def test_retry_sets_pending_and_is_audited(client, journal):
    d = failed(journal.s.parent)
    client.force_login(journal.s.admin)
    r = client.post(reverse("notifications:retry", args=[d.pk]), {"back": "channel=email"})
    assert r.status_code == 302 and r["Location"].endswith("?channel=email")
    d.refresh_from_db()
    assert d.status == Status.PENDING
    event = SecurityEvent.objects.get(kind="notification_retry")
    assert (event.actor_id, event.subject_id) == (journal.s.admin.pk, journal.s.parent.pk)


def test_teacher_parent_and_other_schools_admin_get_404(client, journal, other_school):
    d = failed(journal.s.parent)
    for user in (journal.s.teacher, journal.s.parent):
        client.force_login(user)
        assert client.get(URL).status_code == 404
    client.force_login(other_school.admin)
    assert client.post(reverse("notifications:retry", args=[d.pk])).status_code == 404
    d.refresh_from_db()
    assert d.status == Status.FAILED


def test_anonymous_goes_to_login(client, db):
    assert client.get(URL).status_code == 302


def test_query_count_is_constant(client, journal, django_assert_max_num_queries):
    for student in journal.students:
        failed(student)
    client.force_login(journal.s.admin)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_a_refused_retry_is_shown_on_the_list_and_not_found_stays_a_404(client, journal, monkeypatch):
    """Only ValidationFailed was shown on the list; any other refusal of the service was the bare error page."""
    d = failed(journal.s.parent)
    client.force_login(journal.s.admin)

    def busy(**kwargs):
        raise Conflict("Доставку уже повторяет другой администратор.")

    monkeypatch.setattr(services, "retry_delivery", busy)
    shown = client.post(reverse("notifications:retry", args=[d.pk]), follow=True)
    assert shown.status_code == 200 and "уже повторяет другой администратор" in shown.content.decode()
    assert not SecurityEvent.objects.filter(kind="notification_retry").exists()

    def missing(**kwargs):
        raise NotFound()

    monkeypatch.setattr(services, "retry_delivery", missing)
    assert client.post(reverse("notifications:retry", args=[d.pk])).status_code == 404
