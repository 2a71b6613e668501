"""The worker's side: send due deliveries, hold them in quiet hours, retry with backoff, fall back, digest.

Nothing here runs in a user's request: the tick `notifications.deliver` enqueues `tasks.deliver_batch`,
which calls `deliver_due`.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ejournal.core.time import ru_date

from .channels import REGISTRY, ChannelError
from .events import process_events
from .models import Delivery, Digest, Event, JournalEvent, Message, Preferences, Status
from .services import channels_for, default_preferences

log = logging.getLogger(__name__)

# Waits before the 2nd, 3rd and 4th attempt; after the 4th failure the delivery is failed.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claimed delivery is invisible to other workers this long (a crashed worker's claim expires).
LEASE = dt.timedelta(minutes=5)
BATCH = 500
DIGEST_LINES = 40


def due(now: dt.datetime) -> Q:
    return Q(status__in=(Status.PENDING, Status.DELAYED), next_attempt_at__lte=now)


def has_due(now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return JournalEvent.objects.exists() or Delivery.objects.filter(due(now)).exists() or digests_due(now).exists()


def deliver_due(now: dt.datetime | None = None, *, limit: int = BATCH) -> int:
    """Turn journal events into messages, build the digests whose hour has come, then try every due delivery
    once; returns how many deliveries were tried."""
    now = now or timezone.now()
    process_events()
    build_digests(now)
    rows = list(
        Delivery.objects.filter(due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "school_id", "next_attempt_at")[:limit]
    )
    tried = 0
    # The sweep over every school above is the worker's; each claim and read then names the delivery's school.
    for pk, school_id, at in rows:
        # The claim is one conditional UPDATE: of two workers only one moves the time forward.
        claim = Delivery.objects.filter(school_id=school_id, pk=pk, next_attempt_at=at)
        if not claim.update(next_attempt_at=now + LEASE):
            continue
        delivery = Delivery.objects.select_related("message__recipient", "school").get(school_id=school_id, pk=pk)
        attempt(delivery, now)
        tried += 1
    return tried


def quiet_until(prefs: Preferences | None, tz_name: str, now: dt.datetime) -> dt.datetime | None:
    """The end of the person's quiet hours if `now` is inside them (school's local time), else None."""
    if prefs is None or prefs.quiet_start is None or prefs.quiet_end is None:
        return None
    local = now.astimezone(ZoneInfo(tz_name))
    t, start, end = local.time(), prefs.quiet_start, prefs.quiet_end
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    until = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if until <= local:
        until += dt.timedelta(days=1)
    return until


def attempt(delivery: Delivery, now: dt.datetime) -> None:
    """One try through the delivery's channel; the outcome is written to the delivery, never swallowed."""
    channel = REGISTRY.get(delivery.channel)
    prefs = Preferences.objects.filter(school_id=delivery.school_id, user_id=delivery.message.recipient_id).first()
    if channel is None:
        _finish(delivery, now, ChannelError(f"Канал «{delivery.channel}» не поддерживается.", permanent=True), prefs)
        return
    if channel.disturbs:
        until = quiet_until(prefs, delivery.school.timezone, now)
        if until is not None:
            delivery.status = Status.DELAYED
            delivery.next_attempt_at = until
            delivery.save(update_fields=["status", "next_attempt_at"])
            return
    try:
        channel.send(delivery)
    except ChannelError as exc:
        _finish(delivery, now, exc, prefs)
    except Exception as exc:  # a bug in a channel must not lose the message: retried and shown to the admin
        log.exception("channel %s failed on delivery %s", delivery.channel, delivery.pk)
        _finish(delivery, now, ChannelError(f"Внутренняя ошибка канала: {exc.__class__.__name__}"), prefs)
    else:
        _finish(delivery, now, None, prefs)


def _finish(delivery: Delivery, now: dt.datetime, error: ChannelError | None, prefs: Preferences | None) -> None:
    delivery.attempts += 1
    if error is None:
        delivery.status, delivery.sent_at, delivery.next_attempt_at, delivery.last_error = Status.SENT, now, None, ""
    elif error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.last_error = Status.FAILED, None, error.reason
    else:
        delivery.status, delivery.last_error = Status.PENDING, error.reason
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    with transaction.atomic():
        delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
        if delivery.status == Status.FAILED:
            fall_back(delivery, now, prefs)


def fall_back(delivery: Delivery, now: dt.datetime, prefs: Preferences | None) -> list[Delivery]:
    """Route a message whose channel failed for good to every other channel that can reach the person now,
    chosen or not (a linked Telegram, a subscribed browser); the inbox always has it."""
    message = delivery.message
    prefs = prefs or default_preferences(message.recipient_id, delivery.school_id)
    present = set(
        Delivery.objects.filter(school_id=delivery.school_id, message=message).values_list("channel", flat=True)
    )
    extra = [
        Delivery(
            school_id=delivery.school_id, message=message, channel=name, next_attempt_at=now, fallback_for=delivery
        )
        for name, channel in REGISTRY.items()
        if name not in present and channel.fallback and channel.reachable(prefs, message.recipient.email)
    ]
    return Delivery.objects.bulk_create(extra)


# --- digests -------------------------------------------------------------------------------------------------


def digests_due(now: dt.datetime) -> QuerySet[Preferences]:
    """Preferences that may be due for a digest (the exact local hour is checked per person)."""
    return Preferences.objects.exclude(digest=Digest.NONE).filter(
        Q(last_digest_at__isnull=True)
        | Q(digest=Digest.DAILY, last_digest_at__lte=now - dt.timedelta(hours=12))
        | Q(digest=Digest.WEEKLY, last_digest_at__lte=now - dt.timedelta(days=6))
    )


def _digest_is_due(prefs: Preferences, tz_name: str, now: dt.datetime) -> bool:
    local = now.astimezone(ZoneInfo(tz_name))
    if local.hour < prefs.digest_hour:
        return False
    if prefs.digest == Digest.WEEKLY and local.weekday() != prefs.digest_weekday:
        return False
    last = prefs.last_digest_at
    return last is None or last.astimezone(ZoneInfo(tz_name)).date() < local.date()


def build_digests(now: dt.datetime) -> int:
    """One message per person whose digest hour has come, summing up what waited since the last digest."""
    made = 0
    for prefs in digests_due(now).select_related("user__school"):
        tz_name = prefs.user.school.timezone if prefs.user.school else "UTC"
        if _digest_is_due(prefs, tz_name, now):
            made += _build_digest(prefs, now, tz_name)
    return made


@transaction.atomic
def _build_digest(prefs: Preferences, now: dt.datetime, tz_name: str) -> int:
    waiting = list(
        Message.objects.select_for_update()
        .filter(school_id=prefs.school_id, recipient_id=prefs.user_id, awaits_digest=True, ready_at__lte=now)
        .order_by("created_at", "pk")
    )
    prefs.last_digest_at = now
    prefs.save(update_fields=["last_digest_at"])
    if not waiting:
        return 0
    today = now.astimezone(ZoneInfo(tz_name)).date()
    title = f"Сводка за {ru_date(today)}" if prefs.digest == Digest.DAILY else f"Сводка за неделю по {ru_date(today)}"
    lines = [f"• {m.text}" for m in waiting[:DIGEST_LINES]]
    if len(waiting) > DIGEST_LINES:
        lines.append(f"…и ещё {len(waiting) - DIGEST_LINES}. Все уведомления — во входящих.")
    digest = Message.objects.create(
        school_id=prefs.school_id,
        recipient_id=prefs.user_id,
        event=Event.DIGEST,
        title=title,
        text="\n".join(lines),
        url="/notifications/",
        created_at=now,
        ready_at=now,
    )
    Delivery.objects.bulk_create(
        Delivery(school_id=prefs.school_id, message=digest, channel=name, next_attempt_at=now)
        for name in channels_for(prefs, prefs.user.email)
    )
    Message.objects.filter(school_id=prefs.school_id, pk__in=[m.pk for m in waiting]).update(
        awaits_digest=False, digest=digest
    )
    return 1
