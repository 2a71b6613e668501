"""notify() for other apps, preferences, push subscriptions, Telegram linking, retry, the average threshold,
period marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.journal import period_marks
from ejournal.journal import services as journal_services
from ejournal.notifications import services
from ejournal.notifications.averages import check_average
from ejournal.notifications.events import process_events
from ejournal.notifications.models import Delivery, Digest, Event, Message, Preferences, PushSubscription, Status

MONDAY = dt.date(2026, 12, 21)


def save(user, **changes):
    fields = {
        "channels_on": ["email"],
        "events": ["mark", "absence"],
        "quiet_start": None,
        "quiet_end": None,
        "average_threshold": None,
        "digest": Digest.NONE,
        "digest_hour": 19,
        "digest_weekday": 6,
    }
    return services.save_preferences(user=user, **{**fields, **changes})


def test_notify_reaches_inbox_and_email_of_the_director(journal):
    director = journal.s.director
    director.email = "director@school.test"
    director.save(update_fields=["email"])
    services.notify(recipient=director, event="report_ready", title="Отчёт готов", text="За ноябрь", url="/r/1/")
    m = Message.objects.get(recipient=director)
    assert (m.event, m.title, m.url, m.ready_at <= timezone.now()) == ("report_ready", "Отчёт готов", "/r/1/", True)
    assert sorted(Delivery.objects.filter(message=m).values_list("channel", flat=True)) == ["email", "inapp"]


def test_notify_with_dedupe_key_merges_within_the_window(journal):
    director = journal.s.director
    for text in ("Черновик", "Итог"):
        services.notify(recipient=director, event="report_ready", title="Отчёт", text=text, dedupe_key="report:11")
    assert list(Message.objects.filter(recipient=director).values_list("text", flat=True)) == ["Итог"]


def test_notify_refuses_unknown_event_and_people_without_school(journal, django_user_model):
    with pytest.raises(ValidationFailed):
        services.notify(recipient=journal.s.director, event="spam", title="x", text="y")
    region = django_user_model.objects.create(username="region")
    with pytest.raises(ValidationFailed):
        services.notify(recipient=region, event="message", title="x", text="y")
    assert not Message.objects.exists()


def test_digest_subscriber_gets_journal_events_in_the_inbox_only_but_reports_at_once(journal):
    director = journal.s.director
    director.email = "d@school.test"
    director.save(update_fields=["email"])
    save(director, digest=Digest.WEEKLY)
    services.notify(recipient=director, event="report_ready", title="Отчёт", text="готов")
    assert Delivery.objects.filter(message__event=Event.REPORT_READY, channel="email").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channels_on": ["pigeon"]}, "channels"),
        ({"events": ["gossip"]}, "events"),
        ({"quiet_start": dt.time(22, 0)}, "quiet_start"),
        ({"quiet_start": dt.time(22, 0), "quiet_end": dt.time(22, 0)}, "quiet_end"),
        ({"average_threshold": Decimal("6")}, "average_threshold"),
        ({"digest": "hourly"}, "digest"),
        ({"digest_hour": 24}, "digest_hour"),
    ],
)
def test_bad_preferences_are_refused_and_nothing_changes(journal, changes, field):
    with pytest.raises(ValidationFailed) as info:
        save(journal.s.parent, **changes)
    assert info.value.field == field
    assert not Preferences.objects.exists()


def test_preferences_are_saved_and_the_inbox_cannot_be_switched_off(journal):
    prefs = save(
        journal.s.parent, channels_on=["inapp", "telegram", "email"], quiet_start=dt.time(22), quiet_end=dt.time(7)
    )
    assert (prefs.channels, prefs.events) == (["email", "telegram"], ["mark", "absence"])
    assert services.channels_for(prefs, "p@school.test") == ["inapp", "email"]  # Telegram not linked yet


def test_push_subscription_switches_push_on_and_the_last_removal_off(journal):
    parent = journal.s.parent
    services.subscribe_push(user=parent, endpoint="https://push.example/1", p256dh="k" * 87, auth="a" * 22)
    assert "push" in Preferences.objects.get(user=parent).channels
    with pytest.raises(ValidationFailed):
        services.subscribe_push(user=parent, endpoint="http://push.example/2", p256dh="k", auth="a")
    with pytest.raises(NotFound):
        services.unsubscribe_push(user=journal.s.teacher, endpoint="https://push.example/1")
    services.unsubscribe_push(user=parent, endpoint="https://push.example/1")
    assert not PushSubscription.objects.exists()
    assert "push" not in Preferences.objects.get(user=parent).channels


def test_telegram_code_is_one_time_and_expires(journal):
    parent = journal.s.parent
    code = services.telegram_link_code(user=parent)
    assert services.link_telegram_chat(code="wrong", chat_id="1") is None
    prefs = services.link_telegram_chat(code=code, chat_id="98765")
    assert prefs is not None and prefs.telegram_chat_id == "98765" and "telegram" in prefs.channels
    assert services.link_telegram_chat(code=code, chat_id="666") is None
    stale = services.telegram_link_code(user=parent)
    Preferences.objects.filter(user=parent).update(telegram_code_expires=timezone.now() - dt.timedelta(seconds=1))
    assert services.link_telegram_chat(code=stale, chat_id="666") is None
    assert Preferences.objects.get(user=parent).telegram_chat_id == "98765"


def test_retry_puts_a_failed_delivery_back(journal):
    services.notify(recipient=journal.s.parent, event="message", title="t", text="x")
    d = Delivery.objects.get(channel="email")
    with pytest.raises(ValidationFailed):
        services.retry_delivery(delivery=d)
    Delivery.objects.filter(pk=d.pk).update(status=Status.FAILED, attempts=4, next_attempt_at=None)
    d.refresh_from_db()
    services.retry_delivery(delivery=d)
    d.refresh_from_db()
    assert (d.status, d.attempts, d.next_attempt_at is not None) == (Status.PENDING, 0, True)


def test_average_falling_below_the_parents_threshold_is_told_once(journal, commit):
    parent, child = journal.s.parent, journal.students[0]
    save(parent, events=["low_average"], average_threshold=Decimal("3.5"))
    lessons = journal.in_period(journal.q2)
    for lesson, value in zip(lessons[:2], ["5", "4"], strict=True):
        commit(journal_services.set_marks, actor=journal.teacher, lesson=lesson, student=child, values=[value])
    process_events()
    assert not Message.objects.filter(event=Event.LOW_AVERAGE).exists()
    commit(journal_services.set_marks, actor=journal.teacher, lesson=lessons[2], student=child, values=["2"])
    commit(journal_services.set_marks, actor=journal.teacher, lesson=lessons[3], student=child, values=["2"])
    process_events()
    [m] = Message.objects.filter(event=Event.LOW_AVERAGE)  # 3.67 → 3.25: once, at the crossing
    assert m.recipient_id == parent.pk
    assert m.text == (
        f"{child.first_name}: средний балл по предмету «Математика» за 2 четверть — 3.25, ниже выбранного порога 3.50"
    )
    assert check_average(school_id=child.school_id, student_id=child.pk, lesson_id=lessons[3].pk, previous=["2"]) == 0


def test_period_mark_is_told_with_the_period(journal, commit):
    child = journal.students[0]
    for lesson in journal.in_period(journal.q2)[:3]:
        commit(journal_services.set_marks, actor=journal.teacher, lesson=lesson, student=child, values=["5"])
    process_events()
    Message.objects.all().delete()
    commit(
        period_marks.set_period_mark,
        actor=journal.teacher,
        assignment=journal.assignment,
        student=child,
        period=journal.q2,
        value="5",
    )
    process_events()
    m = Message.objects.get(event=Event.PERIOD_MARK, recipient=journal.s.parent)
    assert m.text == f"{child.first_name}: отметка за 2 четверть по предмету «Математика»: 5"


@pytest.mark.parametrize(
    "endpoint",
    ["http://push.example/1", "https://10.0.0.5/x", "https://[::1]/x", "https://localhost/x", "https://db.internal/x"],
)
def test_push_endpoint_must_be_a_named_https_service(journal, endpoint, settings):
    with pytest.raises(ValidationFailed):
        services.subscribe_push(user=journal.s.parent, endpoint=endpoint, p256dh="k" * 87, auth="a" * 22)
    settings.PUSH_ALLOW_LOCAL_ENDPOINTS = False
    with pytest.raises(ValidationFailed):
        services.subscribe_push(user=journal.s.parent, endpoint="http://127.0.0.1:8/p", p256dh="k", auth="a")
