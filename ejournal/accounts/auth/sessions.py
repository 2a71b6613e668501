"""«Мои сеансы»: each signed-in session of a person, ended from any device; the idle timeout.

The session data stays in Django's session store (database now, Redis later): a `UserSession` row only
names the session by its key, so ending it deletes it from whichever store is configured.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ejournal.accounts.models import STAFF_ROLES, User, UserSession
from ejournal.core.clientip import client_ip

SEEN = "ej_seen"  # when the session last made a request (epoch seconds)
STAFF = "ej_staff"  # staff have the short idle timeout
TOUCH_EVERY = 60  # seconds between writes of "last active"


def session_store(key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def is_staff(user: User) -> bool:
    return bool(user.roles & STAFF_ROLES) or user.is_staff


def idle_limit(*, staff: bool) -> dt.timedelta:
    minutes = settings.EJOURNAL_IDLE_MINUTES_STAFF if staff else settings.EJOURNAL_IDLE_MINUTES_OTHERS
    return dt.timedelta(minutes=minutes)


def start(request: HttpRequest, user: User) -> None:
    """Called at sign-in, after Django gave the session a new key."""
    staff = is_staff(user)
    request.session[STAFF] = staff
    request.session[SEEN] = int(time.time())
    key = request.session.session_key
    now = timezone.now()
    longest = max(idle_limit(staff=True), idle_limit(staff=False))
    UserSession.objects.filter(user=user, last_active_at__lt=now - longest).delete()
    if key:
        UserSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user": user,
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
                "ip": client_ip(request),
                "started_at": now,
                "last_active_at": now,
            },
        )


def rename(old_key: str, new_key: str) -> None:
    """The session got a new key (update_session_auth_hash cycles it): its row follows."""
    UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def idle_expired(request: HttpRequest) -> bool:
    """True when the signed-in session was idle too long; otherwise notes the activity (once a minute)."""
    session = request.session
    now = int(time.time())
    seen = session.get(SEEN)
    if seen is not None and now - seen > idle_limit(staff=session.get(STAFF, True)).total_seconds():
        return True
    if seen is None or now - seen >= TOUCH_EVERY:
        session[SEEN] = now
        UserSession.objects.filter(session_key=session.session_key).update(last_active_at=timezone.now())
    return False


def own_sessions(user: User) -> list[UserSession]:
    """The person's live sessions, most recently active first (one query)."""
    since = timezone.now() - idle_limit(staff=is_staff(user))
    return list(UserSession.objects.filter(user=user, last_active_at__gte=since).order_by("-last_active_at"))


@transaction.atomic
def end_session(*, user: User, session_id: int) -> bool:
    """End one of the person's own sessions; False if it is not theirs (or already ended)."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    session_store(row.session_key).delete(row.session_key)
    row.delete()
    return True


@transaction.atomic
def end_all(*, user: User, keep: str | None = None) -> int:
    """Sign the person out everywhere, this device included unless its session key is `keep` (a password
    change ends the other sessions only)."""
    return _end(UserSession.objects.filter(user=user).exclude(session_key=keep or ""))


def end_all_of(*, user_ids: Iterable[int]) -> int:
    """Sign many people out everywhere at once (one-time passwords given to a class's families)."""
    return _end(UserSession.objects.filter(user_id__in=list(user_ids)))


def _end(sessions: QuerySet[UserSession]) -> int:
    rows = list(sessions)
    store = session_store()
    for row in rows:
        store.delete(row.session_key)
    UserSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


_BROWSERS = (
    ("YaBrowser", "Яндекс Браузер"),
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS", "macOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str) -> str:
    """«Chrome, Android» from a User-Agent header; «неизвестное устройство» when nothing is recognised."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    return ", ".join(p for p in (browser, system) if p) or "неизвестное устройство"
