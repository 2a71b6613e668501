"""Tell Telegram where the bot's updates go: `manage.py notifications_telegram_webhook` (setWebhook)."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from ejournal.notifications.telegram import webhook_secret


class Command(BaseCommand):
    help = "Зарегистрировать адрес webhook бота Telegram (SITE_URL + секретный путь) через setWebhook."

    def handle(self, *args: Any, **options: Any) -> None:
        secret = webhook_secret()
        if not secret:
            raise CommandError("Не задан EJOURNAL_TELEGRAM_BOT_TOKEN.")
        url = settings.SITE_URL.rstrip("/") + reverse("notifications:telegram_webhook", args=[secret])
        api = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/setWebhook"
        try:
            response = requests.post(api, json={"url": url, "allowed_updates": ["message"]}, timeout=10)
            reply = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise CommandError(f"Telegram недоступен: {exc.__class__.__name__}") from exc
        if not reply.get("ok"):
            raise CommandError(f"Telegram ответил ошибкой: {reply.get('description', response.status_code)}")
        self.stdout.write(self.style.SUCCESS("Webhook зарегистрирован."))
