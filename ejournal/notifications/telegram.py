"""Linking a person's Telegram chat: a one-time code in a deep link, `/start <code>` to the bot's webhook.

The webhook path carries a secret derived from the bot token and the site's SECRET_KEY, so only who
knows the token (Telegram, after `manage.py notifications_telegram_webhook`) can post there.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from typing import Any

from django.conf import settings

from . import services
from .channels import ChannelError, telegram_send
from .models import Preferences

LINKED_TEXT = "Готово: уведомления электронного журнала будут приходить в этот чат."
UNKNOWN_CODE_TEXT = "Код не подошёл или устарел. Получите новый в настройках уведомлений журнала."


def webhook_secret() -> str:
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"telegram:{token}".encode(), hashlib.sha256).hexdigest()[:40]


def secret_matches(secret: str) -> bool:
    expected = webhook_secret()
    return bool(expected) and hmac.compare_digest(expected, secret)


def deep_link(code: str) -> str:
    """t.me/<bot>?start=<code> when the bot's name is set (TELEGRAM_BOT_USERNAME); else the code is typed."""
    username = getattr(settings, "TELEGRAM_BOT_USERNAME", "")
    return f"https://t.me/{username}?start={code}" if username else ""


def handle_update(update: dict[str, Any]) -> Preferences | None:
    """`/start <code>` links the chat (and the bot answers); anything else is ignored. Returns what was linked."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    text = str(message.get("text", ""))
    chat = message.get("chat")
    if not text.startswith("/start") or not isinstance(chat, dict) or "id" not in chat:
        return None
    chat_id = str(chat["id"])
    prefs = services.link_telegram_chat(code=text.removeprefix("/start").strip(), chat_id=chat_id)
    # The link holds even if the greeting fails: the next notification will show any problem.
    with contextlib.suppress(ChannelError):
        telegram_send(chat_id, LINKED_TEXT if prefs else UNKNOWN_CODE_TEXT)
    return prefs
