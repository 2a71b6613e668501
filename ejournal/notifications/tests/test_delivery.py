"""The worker against real parts on 127.0.0.1: SMTP, the bot API, a push endpoint; quiet hours, retries,
fallback, digests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from ejournal.notifications import services
from ejournal.notifications.delivery import BACKOFF, deliver_due
from ejournal.notifications.models import Delivery, Digest, Event, Message, Preferences, Status

TZ = ZoneInfo("Asia/Yekaterinburg")


def later(minutes: float = 4) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def tell(user, text="Отчёт за ноябрь готов", event=Event.REPORT_READY, key=""):
    services.notify(recipient=user, event=event, title="Отчёт готов", text=text, url="/reports/7/", dedupe_key=key)
    return Message.objects.filter(recipient=user).latest("pk")


def prefs(user, **fields):
    base = {"channels": ["email"], "events": ["mark", "absence", "period_mark", "homework", "low_average"]}
    return Preferences.objects.update_or_create(user=user, defaults={"school": user.school, **base, **fields})[0]


def status(message, channel):
    return Delivery.objects.get(message=message, channel=channel)


def test_email_arrives_at_the_smtp_server_and_inbox_shows_it(journal, smtp_server):
    parent = journal.s.parent
    m = tell(parent)
    assert deliver_due(later()) == 2
    assert smtp_server.recipients == ["parent@school.test"]
    mail = smtp_server.messages[0]
    assert mail["Subject"] == "Отчёт готов"
    assert "Отчёт за ноябрь готов" in mail.get_content()
    assert "http://school.test/reports/7/" in mail.get_content()
    d = status(m, "email")
    assert (d.status, d.attempts, d.last_error) == (Status.SENT, 1, "")
    m.refresh_from_db()
    assert m.inbox_at is not None


def test_nothing_is_sent_before_the_debounce_window_ends(journal, smtp_server):
    m = tell(journal.s.parent, key="report:7")
    assert deliver_due(timezone.now()) == 0
    assert smtp_server.messages == []
    assert status(m, "email").status == Status.PENDING


def test_broken_address_fails_at_once_with_reason_and_falls_back_to_telegram(journal, smtp_server, bot_api):
    parent = journal.s.parent
    parent.email = "broken@school.test"
    parent.save(update_fields=["email"])
    prefs(parent, channels=["email"], telegram_chat_id="4242")  # Telegram linked but not chosen: still a fallback
    m = tell(parent)
    deliver_due(later())
    email = status(m, "email")
    assert email.status == Status.FAILED
    assert email.last_error.startswith("Почтовый сервер отклонил адрес: 550")
    assert "broken@" not in email.last_error
    fallback = status(m, "telegram")
    assert fallback.fallback_for_id == email.pk
    deliver_due(later(5))
    fallback.refresh_from_db()
    assert fallback.status == Status.SENT
    assert bot_api.sent() == [
        {"chat_id": "4242", "text": "Отчёт готов\nОтчёт за ноябрь готов\nhttp://school.test/reports/7/",
         "disable_web_page_preview": True}
    ]  # fmt: skip


def test_unreachable_smtp_server_is_retried_with_backoff_then_failed(journal, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    m = tell(journal.s.parent)
    now = later()
    for n, wait in enumerate(BACKOFF, start=1):
        deliver_due(now)
        d = status(m, "email")
        assert (d.status, d.attempts) == (Status.PENDING, n)
        assert d.next_attempt_at == now + wait
        assert d.last_error.startswith("Почтовый сервер недоступен")
        now += wait
    deliver_due(now)
    d = status(m, "email")
    assert (d.status, d.attempts, d.next_attempt_at) == (Status.FAILED, 4, None)


def test_quiet_hours_delay_until_their_end_in_the_schools_time_zone(journal, smtp_server):
    parent = journal.s.parent
    prefs(parent, quiet_start=dt.time(21, 0), quiet_end=dt.time(7, 30))
    m = tell(parent)
    night = dt.datetime(2026, 12, 25, 23, 10, tzinfo=TZ)
    deliver_due(night)
    d = status(m, "email")
    assert (d.status, d.next_attempt_at) == (Status.DELAYED, dt.datetime(2026, 12, 26, 7, 30, tzinfo=TZ))
    assert smtp_server.messages == []
    m.refresh_from_db()
    assert m.inbox_at is not None  # the inbox does not ring: it is filled at once
    deliver_due(dt.datetime(2026, 12, 26, 7, 29, tzinfo=TZ))
    assert smtp_server.messages == []
    deliver_due(dt.datetime(2026, 12, 26, 7, 31, tzinfo=TZ))
    assert status(m, "email").status == Status.SENT
    assert len(smtp_server.messages) == 1


def test_telegram_blocked_by_user_fails_with_the_bot_apis_reason(journal, bot_api):
    parent = journal.s.parent
    prefs(parent, channels=["telegram"], telegram_chat_id="77")
    bot_api.fail(403, "Forbidden: bot was blocked by the user")
    m = tell(parent)
    deliver_due(later())
    d = status(m, "telegram")
    assert (d.status, d.last_error) == (
        Status.FAILED,
        "Telegram ответил ошибкой 403: Forbidden: bot was blocked by the user",
    )


def test_push_reaches_the_browser_signed_and_encrypted(journal, push_service, vapid, settings):
    parent = journal.s.parent
    browser = push_service.browser()
    services.subscribe_push(user=parent, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth)
    m = tell(parent)
    assert sorted(Delivery.objects.filter(message=m).values_list("channel", flat=True)) == ["email", "inapp", "push"]
    Delivery.objects.filter(message=m, channel="email").delete()
    deliver_due(later())
    assert status(m, "push").status == Status.SENT
    [request] = push_service.requests
    assert request.path == browser.endpoint.removeprefix(push_service.url)
    push_service.verify(request, vapid[1], settings.VAPID_SUBJECT)
    assert browser.decrypt(request.body) == {
        "title": "Отчёт готов",
        "body": "Отчёт за ноябрь готов",
        "url": "/reports/7/",
    }


def test_push_subscription_gone_is_removed_and_failed(journal, push_service):
    parent = journal.s.parent
    browser = push_service.browser()
    services.subscribe_push(user=parent, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth)
    push_service.status = 410
    m = tell(parent)
    deliver_due(later())
    d = status(m, "push")
    assert d.status == Status.FAILED and "больше не действует (410)" in d.last_error


def test_daily_digest_is_one_message_at_the_chosen_hour(journal, smtp_server):
    parent = journal.s.parent
    prefs(parent, digest=Digest.DAILY, digest_hour=19, last_digest_at=dt.datetime(2026, 12, 24, 19, 0, tzinfo=TZ))
    for text in ("Маша: 5 по предмету «Математика»", "Маша: 4 по предмету «Русский язык»"):
        tell(parent, text=text, event=Event.MARK)
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"inapp"}
    deliver_due(dt.datetime(2026, 12, 25, 18, 0, tzinfo=TZ) + dt.timedelta(days=3650))  # far later, before 19:00
    assert smtp_server.messages == []
    evening = dt.datetime(2026, 12, 25, 19, 5, tzinfo=TZ)
    deliver_due(evening + dt.timedelta(days=3650))
    assert len(smtp_server.messages) == 1
    body = smtp_server.messages[0].get_content()
    assert "• Маша: 5 по предмету «Математика»" in body and "• Маша: 4 по предмету «Русский язык»" in body
    assert Message.objects.filter(event=Event.DIGEST).count() == 1
    assert not Message.objects.filter(awaits_digest=True).exists()
