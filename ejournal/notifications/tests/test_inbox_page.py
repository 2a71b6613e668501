"""The inbox page: own delivered messages only, unread count, mark read; anonymous to login."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from ejournal.notifications import services
from ejournal.notifications.delivery import deliver_due
from ejournal.notifications.models import Message

URL = reverse("notifications:inbox")


def tell(user, text):
    services.notify(recipient=user, event="message", title="Сообщение", text=text, url="/diary/")


def test_parent_sees_own_delivered_messages_with_unread_count(client, journal):
    parent = journal.s.parent
    tell(parent, "Первое")
    tell(journal.s.teacher, "Чужое")
    deliver_due(timezone.now())
    tell(parent, "Ещё не доставлено")  # not yet through the in-app channel
    client.force_login(parent)
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Первое" in html and "Чужое" not in html and "Ещё не доставлено" not in html
    assert "1 непрочитанное" in html


def test_marking_read_one_and_all(client, journal):
    parent = journal.s.parent
    for text in ("a", "b", "c"):
        tell(parent, text)
    tell(journal.s.teacher, "чужое")
    deliver_due(timezone.now())
    first = Message.objects.filter(recipient=parent).earliest("pk")
    other = Message.objects.get(recipient=journal.s.teacher)
    client.force_login(parent)
    client.post(URL, {"id": [first.pk, other.pk]})
    assert Message.objects.filter(recipient=parent, read_at__isnull=False).count() == 1
    other.refresh_from_db()
    assert other.read_at is None  # someone else's message is not touched
    client.post(URL, {"all": "1"})
    assert not Message.objects.filter(recipient=parent, read_at=None).exists()
    assert 'id="nt-unread"' not in client.get(URL).content.decode()


def test_anonymous_goes_to_login(client, db):
    r = client.get(URL)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_person_without_school_gets_404(client, django_user_model, db):
    client.force_login(django_user_model.objects.create(username="region"))
    assert client.get(URL).status_code == 404


def test_query_count_does_not_grow_with_messages(client, journal, django_assert_max_num_queries):
    parent = journal.s.parent
    for i in range(30):
        tell(parent, f"№{i}")
    deliver_due(timezone.now())
    client.force_login(parent)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
