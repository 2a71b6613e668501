"""The bot's webhook: `/start <code>` links the chat and the bot answers through the (local) Bot API."""

from __future__ import annotations

import json

from django.urls import reverse

from ejournal.audit.models import SecurityEvent
from ejournal.notifications import services, telegram
from ejournal.notifications.models import Preferences


def post(client, secret, text, chat_id=31337):
    body = {"update_id": 1, "message": {"message_id": 5, "chat": {"id": chat_id, "type": "private"}, "text": text}}
    return client.post(
        reverse("notifications:telegram_webhook", args=[secret]), json.dumps(body), content_type="application/json"
    )


def test_start_with_code_links_the_chat_and_the_bot_answers(client, journal, bot_api):
    parent = journal.s.parent
    code = services.telegram_link_code(user=parent)
    assert post(client, telegram.webhook_secret(), f"/start {code}").status_code == 200
    assert Preferences.objects.get(user=parent).telegram_chat_id == "31337"
    assert bot_api.sent() == [{"chat_id": "31337", "text": telegram.LINKED_TEXT, "disable_web_page_preview": True}]
    assert SecurityEvent.objects.filter(kind="telegram_linked", subject=parent).exists()


def test_unknown_code_links_nothing_and_says_so(client, journal, bot_api):
    assert post(client, telegram.webhook_secret(), "/start nonsense").status_code == 200
    assert not Preferences.objects.exclude(telegram_chat_id="").exists()
    assert bot_api.sent()[0]["text"] == telegram.UNKNOWN_CODE_TEXT


def test_wrong_secret_is_404(client, journal, bot_api):
    code = services.telegram_link_code(user=journal.s.parent)
    assert post(client, "0" * 40, f"/start {code}").status_code == 404
    assert Preferences.objects.get(user=journal.s.parent).telegram_chat_id == ""
    assert bot_api.requests == []


def test_without_a_bot_token_there_is_no_webhook(client, db, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    assert post(client, "x" * 40, "/start x").status_code == 404
