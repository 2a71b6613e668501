"""Reads of the informing part, one query per list whatever its length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ejournal.access import notifications as access
from ejournal.accounts.models import User

from .channels import REGISTRY
from .models import Delivery, Event, Message, Status

INBOX_PAGE = 50
FAILED_PAGE = 100


def inbox(user: User, *, unread_only: bool = False) -> QuerySet[Message]:
    """The person's inbox, newest first."""
    qs = access.own_messages(user)
    if unread_only:
        qs = qs.filter(read_at=None)
    return qs.order_by("-inbox_at", "-pk")


def unread_count(user: User) -> int:
    return access.own_messages(user).filter(read_at=None).count()


# What the administrator's page can show: not delivered for good, still being retried, waiting for quiet hours.
PROBLEMS = {
    "failed": ("не доставлено", Q(status=Status.FAILED)),
    "retrying": ("повторные попытки", Q(status=Status.PENDING, attempts__gt=0)),
    "delayed": ("отложено (тихие часы)", Q(status=Status.DELAYED)),
    "all": ("все недоставленные", Q(status=Status.FAILED) | Q(status=Status.PENDING, attempts__gt=0)),
}


@dataclass(frozen=True)
class DeliveryFilter:
    problem: str = "failed"
    channel: str = ""
    event: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class StuckEvents:
    count: int
    last_error: str


def stuck_events(user: User) -> StuckEvents | None:
    """Journal changes the worker failed to turn into messages (retried every run), for the admin's page."""
    failing = access.school_journal_events(user).filter(attempts__gt=0)
    latest = failing.order_by("-pk").values_list("last_error", flat=True).first()
    return None if latest is None else StuckEvents(failing.count(), latest)


def parse_filter(params: Mapping[str, Any]) -> DeliveryFilter:
    """The filter from query parameters; an unknown value means «any» (or «failed» for the state)."""

    def day(raw: object) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(raw or ""))
        except ValueError:
            return None

    problem, channel, event = (str(params.get(k) or "") for k in ("problem", "channel", "event"))
    return DeliveryFilter(
        problem=problem if problem in PROBLEMS else "failed",
        channel=channel if channel in REGISTRY else "",
        event=event if event in Event.values else "",
        since=day(params.get("since")),
        until=day(params.get("until")),
    )


def problem_deliveries(user: User, f: DeliveryFilter) -> QuerySet[Delivery]:
    """Deliveries of the school matching the filter, with message and recipient (one query), newest first."""
    qs = access.school_deliveries(user).filter(PROBLEMS.get(f.problem, PROBLEMS["failed"])[1])
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.event:
        qs = qs.filter(message__event=f.event)
    if f.since:
        qs = qs.filter(message__created_at__date__gte=f.since)
    if f.until:
        qs = qs.filter(message__created_at__date__lte=f.until)
    return qs.select_related("message__recipient").order_by("-message__created_at", "-pk")
