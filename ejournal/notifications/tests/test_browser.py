"""End to end in Debian's chromium: a teacher sets a mark in the grid → the worker's tick runs → the parent
gets the e-mail at the local SMTP server and sees the mark in the diary and the inbox; quiet hours chosen
on the settings page hold the e-mail back; a failed channel shows on the administrator's page."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ejournal.conftest import browser_login
from ejournal.notifications.delivery import deliver_due
from ejournal.notifications.models import Delivery, Preferences, PushSubscription, Status

pytestmark = [pytest.mark.browser]

MONDAY = dt.date(2026, 12, 21)


def as_user(chromium, live_server, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, locale="ru-RU")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def teacher_sets_mark(chromium, live_server, journal, value: str) -> None:
    context, page = as_user(chromium, live_server, journal.teacher)
    q2 = [lesson.pk for lesson in journal.in_period(journal.q2)]
    page.goto(f"{reverse('journal:grid', args=[journal.assignment.pk])}?period={journal.q2.pk}")
    column = q2.index(journal.lesson_on(MONDAY).pk)
    page.locator(f"#jr-grid tbody tr:nth-child(1) td:nth-of-type({column + 1})").focus()
    for key in value:
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('#jr-grid td.saving, #jr-grid td.queued')")
    page.wait_for_function("() => document.getElementById('jr-status').textContent.includes('Сохранено')")
    context.close()


def test_mark_reaches_the_parents_mailbox_diary_and_inbox(chromium, live_server, journal, smtp_server, settings):
    settings.NOTIFY_DEBOUNCE = 0
    teacher_sets_mark(chromium, live_server, journal, "5")
    assert smtp_server.messages == []  # nothing is sent inside the teacher's request
    call_command("tick")  # what the worker does every few seconds
    [mail] = [
        m for m, to in zip(smtp_server.messages, smtp_server.recipients, strict=True) if to == "parent@school.test"
    ]
    child = journal.students[0]
    assert mail["Subject"] == "Новая отметка"
    body = mail.get_content()
    assert f"{child.first_name}: 5 по предмету «Математика» за 21.12.2026" in body
    assert child.last_name not in body
    path = re.search(r"http://school\.test(/diary/\d+/\?week=2026-12-21)", body)
    assert path is not None

    context = chromium.new_context(base_url=live_server.url, locale="ru-RU")
    page = context.new_page()
    browser_login(page, journal.s.parent)
    page.goto(path.group(1))  # the link of the e-mail
    assert page.locator("text=Математика").first.is_visible()
    assert "5" in page.locator("main").inner_text()
    page.goto(reverse("notifications:inbox"))
    assert "1 непрочитанное" in page.locator("#nt-unread").inner_text()
    assert f"{child.first_name}: 5 по предмету «Математика»" in page.locator(".nt-unread").inner_text()
    page.click("text=Отметить все прочитанными")
    assert page.locator("#nt-unread").count() == 0
    context.close()


def test_quiet_hours_hold_the_mail_and_the_admin_sees_the_failed_telegram(
    chromium, live_server, journal, smtp_server, bot_api, settings
):
    settings.NOTIFY_DEBOUNCE = 0
    parent = journal.s.parent
    Preferences.objects.create(school=parent.school, user=parent, channels=["email"], telegram_chat_id="555")
    # The parent chooses quiet hours around the school's present hour on the settings page.
    local = timezone.now().astimezone(ZoneInfo(journal.s.school.timezone))
    context, page = as_user(chromium, live_server, parent)
    page.goto(reverse("notifications:preferences"))
    page.check("input[name=channels][value=telegram]")
    page.fill("input[name=quiet_start]", (local - dt.timedelta(hours=1)).strftime("%H:%M"))
    page.fill("input[name=quiet_end]", (local + dt.timedelta(hours=1)).strftime("%H:%M"))
    page.click("button[value=save]")
    assert "Настройки уведомлений сохранены" in page.locator(".messages").inner_text()
    context.close()

    bot_api.fail(403, "Forbidden: bot was blocked by the user")
    teacher_sets_mark(chromium, live_server, journal, "3")
    call_command("tick")
    email = Delivery.objects.get(message__recipient=parent, channel="email")
    until = email.next_attempt_at
    assert email.status == Status.DELAYED and until is not None and until > timezone.now()
    assert "parent@school.test" not in smtp_server.recipients
    deliver_due(until + dt.timedelta(minutes=1))  # the quiet hours are over
    assert "parent@school.test" in smtp_server.recipients

    context, page = as_user(chromium, live_server, journal.s.admin)
    page.goto(reverse("notifications:undelivered"))
    row = page.locator("#nt-undelivered tbody tr").first
    assert "Telegram ответил ошибкой 403: Forbidden: bot was blocked by the user" in row.inner_text()
    assert parent.last_name in row.inner_text()
    row.locator("button", has_text="Повторить").click()
    assert "будет отправлено повторно" in page.locator(".messages").inner_text()
    assert Delivery.objects.get(message__recipient=parent, channel="telegram").status == Status.PENDING
    context.close()


FAKE_PUSH_MANAGER = """
(() => {
  // Chromium without Google's push service cannot subscribe offline: the browser's PushManager answers
  // with the subscription a real one would give, pointing at the local push endpoint of the test.
  const sub = %s;
  let current = null;
  Notification.requestPermission = async () => "granted";
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    window.__vapidKeyLength = options.applicationServerKey.length;
    current = { endpoint: sub.endpoint, toJSON: () => sub, unsubscribe: async () => { current = null; return true; } };
    return current;
  };
})();
"""


def test_parent_switches_push_on_and_the_push_arrives_encrypted(chromium, live_server, journal, push_service, settings):
    import json

    from ejournal.notifications import services

    parent = journal.s.parent
    browser = push_service.browser()
    sub = {"endpoint": browser.endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
    context, page = as_user(chromium, live_server, parent)
    page.add_init_script(FAKE_PUSH_MANAGER % json.dumps(sub))
    page.goto(reverse("notifications:preferences"))
    page.click("#nt-push-on")
    page.wait_for_function("() => document.getElementById('nt-push-status').textContent.includes('включены')")
    assert page.evaluate("() => window.__vapidKeyLength") == 65  # the public key decoded to a P-256 point
    scope = page.evaluate("async () => (await navigator.serviceWorker.getRegistration('/notifications/')).scope")
    assert scope == f"{live_server.url}/notifications/"
    assert PushSubscription.objects.get(user=parent).endpoint == browser.endpoint

    services.notify(recipient=parent, event="message", title="Сообщение", text="Собрание в четверг", url="/diary/")
    deliver_due()
    [request] = push_service.requests
    push_service.verify(request, settings.VAPID_PUBLIC_KEY, settings.VAPID_SUBJECT)
    assert browser.decrypt(request.body) == {"title": "Сообщение", "body": "Собрание в четверг", "url": "/diary/"}

    page.click("#nt-push-off")
    page.wait_for_function("() => document.getElementById('nt-push-status').textContent.includes('отключены')")
    assert not PushSubscription.objects.filter(user=parent).exists()
    context.close()
