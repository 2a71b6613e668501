"""Lockout after repeated failures, kept in the database so that every app server sees the same counts.

A key is a hash of what is counted (login and IP address for sign-in, IP address for password reset, the
person's id for two-factor codes): nothing readable is kept. While a key is locked, attempts are refused
without checking the password and are not counted, so an attacker cannot extend someone's lock forever.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ejournal.accounts.models import LoginFailure

LOGIN = "login"
RESET = "reset"
TOTP = "totp"


def _limit(scope: str) -> int:
    return settings.EJOURNAL_RESET_REQUESTS if scope == RESET else settings.EJOURNAL_LOCKOUT_FAILURES


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.EJOURNAL_LOCKOUT_WINDOW_MINUTES)


def key_for(*parts: object) -> str:
    raw = "\x1f".join(str(p).strip().lower() for p in parts)
    return hashlib.sha256(f"{settings.SECRET_KEY}\x1e{raw}".encode()).hexdigest()


@dataclass(frozen=True)
class Lock:
    until: dt.datetime

    def message(self, what: str = "Вход временно заблокирован") -> str:
        minutes = max(1, int((self.until - timezone.now()).total_seconds() + 59) // 60)
        at = timezone.localtime(self.until).strftime("%H:%M")
        return f"Слишком много попыток. {what}: попробуйте снова в {at} (через {minutes} мин)."


def locked(scope: str, key: str) -> Lock | None:
    """The lock on a key, if the failures within the window reached the limit."""
    since = timezone.now() - _window()
    times = list(
        LoginFailure.objects.filter(scope=scope, key=key, at__gt=since).order_by("-at").values_list("at", flat=True)
    )
    limit = _limit(scope)
    if len(times) < limit:
        return None
    # Unlocked when the limit-th most recent failure leaves the window.
    return Lock(until=times[limit - 1] + _window())


def register_failure(scope: str, key: str) -> Lock | None:
    """Count one failure; returns the lock if this failure reached the limit."""
    now = timezone.now()
    LoginFailure.objects.create(scope=scope, key=key, at=now)
    LoginFailure.objects.filter(at__lt=now - _window()).delete()
    return locked(scope, key)


def clear(scope: str, key: str) -> None:
    LoginFailure.objects.filter(scope=scope, key=key).delete()
