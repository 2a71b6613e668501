"""Writes of the informing part: putting messages into the outbox, preferences, push, Telegram, retries.

Enqueueing is a handful of indexed reads and two `bulk_create`s, cheap enough for the teacher's request;
sending is the worker's (`delivery.deliver_due`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.core.errors import NotFound, ValidationFailed

from . import channels
from .models import OPTIONAL_EVENTS, Delivery, Digest, Event, Message, Preferences, PushSubscription, Status

TELEGRAM_CODE_LIFETIME = dt.timedelta(days=1)
CANCELLED = "Отменено: изменение убрали, пока уведомление ждало отправки."


def debounce() -> dt.timedelta:
    """NOTIFY_DEBOUNCE: a timedelta or seconds; a change of the same thing within it merges into one message."""
    value = getattr(settings, "NOTIFY_DEBOUNCE", dt.timedelta(minutes=3))
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=float(value))


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str


@dataclass(frozen=True)
class Draft:
    """A message to be: for whom, what, and what makes it the same as a still-pending one."""

    recipient: Recipient
    title: str
    text: str
    url: str = ""
    dedupe_key: str = ""
    # The state before the change; when the final state equals it within the window, nothing is said.
    baseline: Any = None
    final: Any = None
    # Rewrites title and text for a merge: from the baseline of the pending message to this final state.
    describe: Callable[[Any], tuple[str, str]] | None = None
    # Only rewrites or cancels a pending message (an absence removed is no news by itself).
    only_merge: bool = False


def default_preferences(user_id: int, school_id: int) -> Preferences:
    return Preferences(user_id=user_id, school_id=school_id)


def preferences_of(user: User) -> Preferences:
    """The person's preferences, the defaults when they never saved any (not stored until saved)."""
    assert user.school_id is not None
    found = Preferences.objects.filter(school_id=user.school_id, user=user).first()
    return found or default_preferences(user.pk, user.school_id)


def channels_for(prefs: Preferences, email: str) -> list[str]:
    """The channels a message goes to: the inbox always; the others switched on and usable for the person."""
    wanted = ["inapp"]
    for name in prefs.channels:
        channel = channels.REGISTRY.get(name)
        if channel is not None and name not in wanted and channel.usable(prefs, email):
            wanted.append(name)
    return wanted


def load_preferences(school_id: int, user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Stored preferences of these people (one query); those without a row are absent: use the defaults."""
    return {p.user_id: p for p in Preferences.objects.filter(school_id=school_id, user_id__in=list(user_ids))}


@transaction.atomic
def enqueue(
    *,
    school_id: int,
    event: str,
    drafts: Sequence[Draft],
    delay: dt.timedelta | None = None,
    prefs: dict[int, Preferences] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Put messages into the outbox by the recipients' preferences, merging with pending ones of the same key.

    `delay` holds the message back (the debounce window) so that a quick correction rewrites it; `at` is
    when the thing happened (the worker turns journal events into messages a little later); `prefs` are
    the recipients' preferences when the caller has read them already.
    """
    if not drafts:
        return
    now = at or timezone.now()
    ready_at = now + (delay or dt.timedelta())
    user_ids = {d.recipient.user_id for d in drafts}
    if prefs is None:
        prefs = load_preferences(school_id, user_ids)
    keys = {d.dedupe_key for d in drafts if d.dedupe_key}
    pending: dict[tuple[int, str], Message] = {}
    if keys:
        for m in Message.objects.filter(
            school_id=school_id, recipient_id__in=user_ids, dedupe_key__in=keys, ready_at__gt=now, event=event
        ):
            pending[(m.recipient_id, m.dedupe_key)] = m
    new_messages: list[Message] = []
    new_channels: list[list[str]] = []
    for draft in drafts:
        uid = draft.recipient.user_id
        p = prefs.get(uid) or default_preferences(uid, school_id)
        if event in OPTIONAL_EVENTS and event not in p.events:
            continue
        existing = pending.get((uid, draft.dedupe_key)) if draft.dedupe_key else None
        if existing is not None:
            if draft.final is not None and draft.final == existing.baseline:
                # Set and undone within the window: nothing happened for the family. Kept as skipped, not
                # deleted, so that the outbox still shows what was withdrawn and why.
                Message.objects.filter(school_id=school_id, pk=existing.pk).update(dedupe_key="")
                Delivery.objects.filter(school_id=school_id, message_id=existing.pk).update(
                    status=Status.SKIPPED, next_attempt_at=None, last_error=CANCELLED
                )
                continue
            title, text = draft.describe(existing.baseline) if draft.describe else (draft.title, draft.text)
            Message.objects.filter(school_id=school_id, pk=existing.pk, ready_at__gt=now).update(
                title=title[:200], text=text, url=draft.url
            )
            continue
        if draft.only_merge or (draft.final is not None and draft.final == draft.baseline):
            continue
        via_digest = p.digest != Digest.NONE and event in OPTIONAL_EVENTS
        new_messages.append(
            Message(
                school_id=school_id,
                recipient_id=uid,
                event=event,
                title=draft.title[:200],
                text=draft.text,
                url=draft.url[:300],
                dedupe_key=draft.dedupe_key[:100],
                baseline=draft.baseline,
                created_at=now,
                ready_at=ready_at,
                awaits_digest=via_digest,
            )
        )
        new_channels.append(["inapp"] if via_digest else channels_for(p, draft.recipient.email))
    if not new_messages:
        return
    Message.objects.bulk_create(new_messages)
    Delivery.objects.bulk_create(
        Delivery(school_id=school_id, message=m, channel=name, next_attempt_at=ready_at)
        for m, names in zip(new_messages, new_channels, strict=True)
        for name in names
    )


def notify(*, recipient: User, event: str, title: str, text: str, url: str = "", dedupe_key: str = "") -> None:
    """Tell one person something through their channels (inbox always, e-mail/push/Telegram by preferences).

    For other parts of the product: `notify(recipient=director, event="report_ready", title=..., text=...,
    url=reverse(...))`. A message with the same `dedupe_key` still waiting in the debounce window is
    rewritten instead of a second one. Texts must carry no personal data beyond what the person needs;
    `url` is a path of this site with ids only. Sent later by the worker.
    """
    if recipient.school_id is None:
        raise ValidationFailed("Уведомления получают только люди школы.")
    if event not in Event.values:
        raise ValidationFailed(f"Неизвестный вид уведомления «{event}».")
    enqueue(
        school_id=recipient.school_id,
        event=event,
        drafts=[Draft(Recipient(recipient.pk, recipient.email), title, text, url, dedupe_key)],
        delay=debounce() if dedupe_key else None,
    )


# --- preferences -------------------------------------------------------------------------------------------


@transaction.atomic
def save_preferences(
    *,
    user: User,
    channels_on: Sequence[str],
    events: Sequence[str],
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
    average_threshold: Decimal | None,
    digest: str,
    digest_hour: int,
    digest_weekday: int,
) -> Preferences:
    """Store the person's choices; unknown channels or events, half-set quiet hours are refused."""
    if user.school_id is None:
        raise NotFound()
    unknown = [c for c in channels_on if c not in channels.REGISTRY]
    if unknown:
        raise ValidationFailed(f"Неизвестный канал «{unknown[0]}».", field="channels")
    bad_events = [e for e in events if e not in OPTIONAL_EVENTS]
    if bad_events:
        raise ValidationFailed(f"Неизвестное событие «{bad_events[0]}».", field="events")
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationFailed("Укажите и начало, и конец тихих часов — или ни то, ни другое.", field="quiet_start")
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationFailed("Начало и конец тихих часов совпадают.", field="quiet_end")
    if average_threshold is not None and not Decimal("1") <= average_threshold <= Decimal("5"):
        raise ValidationFailed("Порог среднего балла — число от 1 до 5.", field="average_threshold")
    if digest not in Digest.values:
        raise ValidationFailed("Неизвестный вид сводки.", field="digest")
    if not 0 <= digest_hour <= 23:
        raise ValidationFailed("Час сводки — от 0 до 23.", field="digest_hour")
    if not 0 <= digest_weekday <= 6:
        raise ValidationFailed("День недели сводки — от 0 (понедельник) до 6 (воскресенье).", field="digest_weekday")
    prefs = Preferences.objects.select_for_update().filter(school_id=user.school_id, user=user).first()
    if prefs is None:
        prefs = default_preferences(user.pk, user.school_id)
    if digest != Digest.NONE and prefs.digest == Digest.NONE:
        prefs.last_digest_at = timezone.now()  # the first digest covers from now on, not the whole past
    prefs.channels = [c for c in channels.REGISTRY if c in channels_on and c != "inapp"]
    prefs.events = [e.value for e in OPTIONAL_EVENTS if e in events]
    prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
    prefs.average_threshold = average_threshold
    prefs.digest, prefs.digest_hour, prefs.digest_weekday = digest, digest_hour, digest_weekday
    prefs.save()
    return prefs


def _switch_channel(user: User, name: str, on: bool) -> None:
    prefs = Preferences.objects.select_for_update().filter(school_id=user.school_id, user=user).first()
    if prefs is None:
        assert user.school_id is not None
        prefs = default_preferences(user.pk, user.school_id)
    listed = name in prefs.channels
    if on and not listed:
        prefs.channels = [*prefs.channels, name]
    elif not on and listed:
        prefs.channels = [c for c in prefs.channels if c != name]
    prefs.save()


# --- the inbox ---------------------------------------------------------------------------------------------


def mark_read(*, user: User, message_ids: Sequence[int] | None = None) -> int:
    """Mark the person's own messages read (all when `message_ids` is None); returns how many changed."""
    qs = Message.objects.filter(school_id=user.school_id, recipient=user, inbox_at__isnull=False, read_at=None)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    return qs.update(read_at=timezone.now())


# --- web push ----------------------------------------------------------------------------------------------


@transaction.atomic
def subscribe_push(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Remember a browser's push subscription and switch the push channel on for the person."""
    if user.school_id is None:
        raise NotFound()
    if not push_endpoint_allowed(endpoint):
        raise ValidationFailed("Адрес подписки должен быть адресом службы push (https://…).", field="endpoint")
    if not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100 or len(endpoint) > 500:
        raise ValidationFailed("Подписка браузера неполная: нет ключей p256dh и auth.", field="keys")
    sub, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "school_id": user.school_id, "p256dh": p256dh, "auth": auth},
    )
    _switch_channel(user, "push", True)
    return sub


def push_endpoint_allowed(endpoint: str) -> bool:
    """An https URL of a named host: the worker POSTs there, so no IP literals and no local names (SSRF).
    PUSH_ALLOW_LOCAL_ENDPOINTS (tests only) lets a push endpoint on 127.0.0.1 in."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if getattr(settings, "PUSH_ALLOW_LOCAL_ENDPOINTS", False) and host == "127.0.0.1":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return parts.scheme == "https" and "." in host and not host.endswith((".local", ".localhost", ".internal"))
    return False


@transaction.atomic
def unsubscribe_push(*, user: User, endpoint: str) -> None:
    """Forget the browser; with no browser left the push channel is switched off."""
    deleted, _ = PushSubscription.objects.filter(school_id=user.school_id, user=user, endpoint=endpoint).delete()
    if not deleted:
        raise NotFound()
    if not PushSubscription.objects.filter(school_id=user.school_id, user=user).exists():
        _switch_channel(user, "push", False)


# --- Telegram ----------------------------------------------------------------------------------------------


@transaction.atomic
def telegram_link_code(*, user: User) -> str:
    """A one-time code for `/start <code>` in the bot, valid for a day; a new one replaces the old."""
    if user.school_id is None:
        raise NotFound()
    prefs = Preferences.objects.select_for_update().filter(school_id=user.school_id, user=user).first()
    if prefs is None:
        prefs = default_preferences(user.pk, user.school_id)
    prefs.telegram_code = secrets.token_urlsafe(12)
    prefs.telegram_code_expires = timezone.now() + TELEGRAM_CODE_LIFETIME
    prefs.save()
    return prefs.telegram_code


@transaction.atomic
def link_telegram_chat(*, code: str, chat_id: str) -> Preferences | None:
    """The bot got `/start <code>`: bind the chat to the person whose code it is (once); None if no such code."""
    if not code or len(code) > 32:
        return None
    prefs = (
        Preferences.objects.select_for_update()
        .filter(telegram_code=code, telegram_code_expires__gt=timezone.now())
        .first()
    )
    if prefs is None:
        return None
    prefs.telegram_chat_id = chat_id[:32]
    prefs.telegram_code = ""
    prefs.telegram_code_expires = None
    if "telegram" not in prefs.channels:
        prefs.channels = [*prefs.channels, "telegram"]
    prefs.save()
    return prefs


@transaction.atomic
def unlink_telegram(*, user: User) -> None:
    prefs = Preferences.objects.select_for_update().filter(school_id=user.school_id, user=user).first()
    if prefs is None:
        return
    prefs.telegram_chat_id = ""
    prefs.channels = [c for c in prefs.channels if c != "telegram"]
    prefs.save()


# --- the administrator -------------------------------------------------------------------------------------


@transaction.atomic
def retry_delivery(*, delivery: Delivery) -> Delivery:
    """Send a failed delivery again at the worker's next run (the administrator fixed the address or server)."""
    if delivery.status != Status.FAILED:
        raise ValidationFailed("Повторить можно только недоставленное уведомление.")
    delivery.status = Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery


def tell_password_changed(sender: object, *, user: User, title: str, text: str, **_: object) -> bool:
    """accounts' `password_changed` (connected in NotificationsConfig.ready()): the notice in the inbox of a
    person with a school. Returns whether it also goes out by e-mail, so accounts does not mail it twice."""
    if user.school_id is None:
        return False
    notify(recipient=user, event="message", title=title, text=text, url="/accounts/sessions/")
    return "email" in channels_for(preferences_of(user), user.email)
