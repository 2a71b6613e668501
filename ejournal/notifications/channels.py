"""Channels behind one interface: `send(delivery)` either returns (sent) or raises ChannelError with the reason.

A new messenger (MAX, …) is one more subclass registered with `@register`: it says whether it is usable
for a person (`usable`) and how to send (`send`); the outbox, retries, fallback and the admin page stay.
"""

from __future__ import annotations

import json
import re
import smtplib
from abc import ABC, abstractmethod
from typing import ClassVar

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone

from .models import Delivery, Message, Preferences, PushSubscription

HTTP_TIMEOUT = 10
_EMAIL_RE = re.compile(r"[^\s<>@]+@[^\s<>@]+")


class ChannelError(Exception):
    """The channel could not deliver. `permanent`: retrying will not help (a broken address, a blocked bot)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        # Servers echo addresses in their replies; the admin page shows reasons, not addresses.
        self.reason = _EMAIL_RE.sub("<адрес>", reason)[:300]
        self.permanent = permanent


class Channel(ABC):
    name: ClassVar[str]
    title: ClassVar[str]
    # Quiet hours hold back the channels that ring or buzz; the inbox waits silently anyway.
    disturbs: ClassVar[bool] = True
    # Used when another channel failed for good (e-mail bounced → Telegram, push).
    fallback: ClassVar[bool] = True

    def configured(self) -> bool:
        """The school set the channel up (SMTP host, VAPID keys, bot token)."""
        return True

    def usable(self, prefs: Preferences, email: str) -> bool:
        """The person can be reached by it at all (has an address, a linked chat…)."""
        return self.configured()

    def reachable(self, prefs: Preferences, email: str) -> bool:
        """Usable right now even if not chosen: a fallback goes wherever the person can be reached."""
        return self.usable(prefs, email)

    @abstractmethod
    def send(self, delivery: Delivery) -> None:
        """Deliver or raise ChannelError with the reason; every channel class implements it."""


REGISTRY: dict[str, Channel] = {}


def register(cls: type[Channel]) -> type[Channel]:
    REGISTRY[cls.name] = cls()
    return cls


def absolute_url(message: Message) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{message.url}" if message.url else settings.SITE_URL


def _preferences(delivery: Delivery) -> Preferences | None:
    return Preferences.objects.filter(school_id=delivery.school_id, user_id=delivery.message.recipient_id).first()


@register
class InAppChannel(Channel):
    name = "inapp"
    title = "в электронном журнале"
    disturbs = False

    def send(self, delivery: Delivery) -> None:
        Message.objects.filter(school_id=delivery.school_id, pk=delivery.message_id, inbox_at=None).update(
            inbox_at=timezone.now()
        )


@register
class EmailChannel(Channel):
    name = "email"
    title = "электронная почта"
    fallback = False  # the mail is the usual channel that fails; fall back from it, not to it

    def configured(self) -> bool:
        return bool(settings.EMAIL_HOST)

    def usable(self, prefs: Preferences, email: str) -> bool:
        return self.configured() and bool(email)

    def send(self, delivery: Delivery) -> None:
        message = delivery.message
        address = message.recipient.email
        if not address:
            raise ChannelError("У получателя не указан адрес электронной почты.", permanent=True)
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ChannelError("Адрес электронной почты записан с ошибкой.", permanent=True) from exc
        settings_url = f"{settings.SITE_URL.rstrip('/')}{reverse('notifications:preferences')}"
        body = f"{message.text}\n\n{absolute_url(message)}\n\nНастроить уведомления: {settings_url}"
        mail = EmailMessage(subject=message.title, body=body, to=[address])
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise ChannelError(f"Почтовый сервер отклонил адрес: {code} {_text(reply)}", permanent=True) from exc
        except smtplib.SMTPResponseException as exc:
            raise ChannelError(
                f"Почтовый сервер ответил ошибкой: {exc.smtp_code} {_text(exc.smtp_error)}",
                permanent=500 <= exc.smtp_code < 600 and exc.smtp_code not in (421, 451, 452),
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"Почтовый сервер недоступен: {exc.__class__.__name__} {exc}") from exc


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


@register
class WebPushChannel(Channel):
    name = "push"
    title = "push-уведомления в браузере"

    def configured(self) -> bool:
        return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)

    def reachable(self, prefs: Preferences, email: str) -> bool:
        return (
            self.configured()
            and PushSubscription.objects.filter(school_id=prefs.school_id, user_id=prefs.user_id).exists()
        )

    def send(self, delivery: Delivery) -> None:
        from pywebpush import WebPushException, webpush

        if not self.configured():
            raise ChannelError("Push-уведомления не настроены: нет ключей VAPID.", permanent=True)
        message = delivery.message
        subs = list(PushSubscription.objects.filter(school_id=delivery.school_id, user_id=message.recipient_id))
        if not subs:
            raise ChannelError("Нет браузеров, подписанных на push-уведомления.", permanent=True)
        payload = json.dumps({"title": message.title, "body": message.text, "url": message.url or "/"})
        errors = []
        for sub in subs:
            try:
                webpush(
                    subscription_info={"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
                    data=payload,
                    vapid_private_key=settings.VAPID_PRIVATE_KEY,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=24 * 3600,
                    timeout=HTTP_TIMEOUT,
                )
            except WebPushException as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in (404, 410):
                    sub.delete()  # the browser withdrew the subscription
                    errors.append(f"подписка браузера больше не действует ({status})")
                else:
                    errors.append(f"сервис push ответил ошибкой {status or ''}".strip())
            except (requests.RequestException, ValueError) as exc:
                errors.append(f"сервис push недоступен: {exc.__class__.__name__}")
            else:
                return  # one browser reached is enough
        still_subscribed = PushSubscription.objects.filter(
            school_id=delivery.school_id, pk__in=[s.pk for s in subs]
        ).exists()
        raise ChannelError("; ".join(errors).capitalize(), permanent=not still_subscribed)


def telegram_send(chat_id: str, text: str) -> None:
    """POST sendMessage to the Bot API; raises ChannelError with the bot API's own description."""
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise ChannelError("Бот Telegram не настроен: нет токена.", permanent=True)
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/sendMessage"
    try:
        response = requests.post(
            url, json={"chat_id": chat_id, "text": text, "disable_web_page_preview": True}, timeout=HTTP_TIMEOUT
        )
    except requests.RequestException as exc:
        raise ChannelError(f"Сервер Telegram недоступен: {exc.__class__.__name__}") from None
    if response.status_code == 200:
        return
    try:
        description = str(response.json().get("description", ""))
    except ValueError:
        description = ""
    # 400 chat not found, 403 bot blocked by the user: the chat is gone. 429 and 5xx pass.
    permanent = response.status_code in (400, 401, 403, 404)
    raise ChannelError(
        f"Telegram ответил ошибкой {response.status_code}: {description}".strip(": "), permanent=permanent
    )


@register
class TelegramChannel(Channel):
    name = "telegram"
    title = "Telegram"

    def configured(self) -> bool:
        return bool(settings.TELEGRAM_BOT_TOKEN)

    def usable(self, prefs: Preferences, email: str) -> bool:
        return self.configured() and bool(prefs.telegram_chat_id)

    def send(self, delivery: Delivery) -> None:
        prefs = _preferences(delivery)
        if prefs is None or not prefs.telegram_chat_id:
            raise ChannelError("Telegram не подключён.", permanent=True)
        message = delivery.message
        telegram_send(prefs.telegram_chat_id, f"{message.title}\n{message.text}\n{absolute_url(message)}")
