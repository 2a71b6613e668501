"""Who may see what of informing: everyone their own inbox and settings; the responsible administrator
(and the director) the school's deliveries that did not arrive, with their reasons."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import Role, User
from ejournal.notifications.models import Delivery, JournalEvent, Message, PushSubscription

from .roles import in_school, require


def has_inbox(user: User) -> bool:
    """Every person of a school has an inbox and notification settings (people of the region have none)."""
    return in_school(user)


def require_inbox(user: User) -> None:
    require(has_inbox(user))


def own_messages(user: User) -> QuerySet[Message]:
    """Messages shown in the person's inbox: their own, already delivered to the inbox."""
    if not has_inbox(user):
        return Message.objects.none()
    return Message.objects.filter(school_id=user.school_id, recipient=user, inbox_at__isnull=False)


def own_push_subscriptions(user: User) -> QuerySet[PushSubscription]:
    if not has_inbox(user):
        return PushSubscription.objects.none()
    return PushSubscription.objects.filter(school_id=user.school_id, user=user)


def watches_deliveries(user: User) -> bool:
    """What was not delivered and why: the responsible administrator and the director of the school."""
    return in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def require_watches_deliveries(user: User) -> None:
    require(watches_deliveries(user))


def school_deliveries(user: User) -> QuerySet[Delivery]:
    """Every delivery of the user's school, for the administrator's page; none for others."""
    if not watches_deliveries(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(school_id=user.school_id)


def school_journal_events(user: User) -> QuerySet[JournalEvent]:
    """Journal changes of the school still waiting to become messages (failing ones show on the same page)."""
    if not watches_deliveries(user):
        return JournalEvent.objects.none()
    return JournalEvent.objects.filter(school_id=user.school_id)
