"""Limits on guessing passwords, kept in the database so that every app server sees the same counts.

Sign-in failures are counted twice, under separate keys and limits:

* **per account** (the login typed, known or not — an unknown login behaves exactly like a known one, so
  the answers tell nothing about which logins exist). The first EJOURNAL_LOCKOUT_FAILURES failures are
  free; after that every further attempt on the account must wait a delay that doubles with each failure
  (30 s, 60 s, 120 s … up to EJOURNAL_LOCKOUT_MAX_DELAY_SECONDS), counted from the last failure. An
  attempt within the delay is refused without checking the password and is not counted. Failures are
  remembered EJOURNAL_LOCKOUT_ACCOUNT_HOURS. Why a delay and not a lock: a lock on the account is
  something anyone who knows a login could put on its owner (a classmate on the teacher) over and over;
  a delay costs the owner seconds to minutes and still holds a guesser to a few dozen tries a day.
  The owner's **known device** — a browser that signed into this account before and carries the signed
  long-lived cookie set then — is not delayed at all, so an attack on an account does not keep its owner
  out. The cookie holds salted hashes of the logins only.
* **per client address** (core.clientip, the real address behind a trusted proxy): more than
  EJOURNAL_LOCKOUT_CLIENT_FAILURES failures within EJOURNAL_LOCKOUT_WINDOW_MINUTES block that address for
  the window whatever login it tries — four passwords on each of many accounts no longer go unnoticed.
  The limit is higher than the account's because a school behind one NAT address shares it.

A successful sign-in forgets the account's failures, never the client's (a guesser signing into an own
account between guesses would otherwise reset the count). A key is a salted hash of what is counted: no
login or address is kept readable. Password reset requests (per client) and two-factor codes (per person)
use the plain windowed lock of `locked`/`register_failure`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ejournal.accounts.models import LoginFailure, User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.clientip import client_ip

LOGIN = "login"  # ESIA link codes per client (the scope name predates the split below)
ACCOUNT = "account"
CLIENT = "client"
RESET = "reset"
TOTP = "totp"

DEVICE_COOKIE = "ej_device"
DEVICE_SALT = "ejournal.lockout.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_ACCOUNTS = 10  # a family computer: a few children and parents


def _limit(scope: str) -> int:
    if scope == RESET:
        return int(settings.EJOURNAL_RESET_REQUESTS)
    if scope == CLIENT:
        return int(settings.EJOURNAL_LOCKOUT_CLIENT_FAILURES)
    return int(settings.EJOURNAL_LOCKOUT_FAILURES)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.EJOURNAL_LOCKOUT_WINDOW_MINUTES)


def _account_memory() -> dt.timedelta:
    return max(dt.timedelta(hours=settings.EJOURNAL_LOCKOUT_ACCOUNT_HOURS), _window())


def key_for(*parts: object) -> str:
    raw = "\x1f".join(str(p).strip().lower() for p in parts)
    return hashlib.sha256(f"{settings.SECRET_KEY}\x1e{raw}".encode()).hexdigest()


def account_key(username: str) -> str:
    return key_for("account", username)


def client_key(request: HttpRequest | None) -> str:
    return key_for("client", client_ip(request))


def client_tag(ip: str | None) -> str:
    """A short name of a client address for the administrator's page: the same address, the same tag."""
    return key_for("client", ip)[:8]


def seconds_ru(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} секунду"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} секунды"
    return f"{n} секунд"


@dataclass(frozen=True)
class Lock:
    until: dt.datetime

    def message(self, what: str = "Вход временно заблокирован") -> str:
        minutes = max(1, int((self.until - timezone.now()).total_seconds() + 59) // 60)
        at = timezone.localtime(self.until).strftime("%H:%M")
        return f"Слишком много попыток. {what}: попробуйте снова в {at} (через {minutes} мин)."


@dataclass(frozen=True)
class Delay:
    until: dt.datetime

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    def message(self) -> str:
        return (
            "Слишком много попыток входа в эту учётную запись: "
            f"подождите {seconds_ru(self.seconds)} и попробуйте снова."
        )


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
    _add(scope, key)
    return locked(scope, key)


def _add(scope: str, key: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(scope=scope, key=key, at=now)
    LoginFailure.objects.filter(at__lt=now - _account_memory()).delete()


def clear(scope: str, key: str) -> None:
    LoginFailure.objects.filter(scope=scope, key=key).delete()


# --- per account ---------------------------------------------------------------------------------------


def account_failures(key: str) -> list[dt.datetime]:
    since = timezone.now() - _account_memory()
    return list(
        LoginFailure.objects.filter(scope=ACCOUNT, key=key, at__gt=since).order_by("-at").values_list("at", flat=True)
    )


def delay_after(failures: int) -> dt.timedelta:
    """The wait after this many failures on an account: none below the limit, then doubling to the maximum."""
    limit = int(settings.EJOURNAL_LOCKOUT_FAILURES)
    if failures < limit:
        return dt.timedelta()
    base = int(settings.EJOURNAL_LOCKOUT_DELAY_SECONDS)
    top = int(settings.EJOURNAL_LOCKOUT_MAX_DELAY_SECONDS)
    doublings = min(failures - limit, 30)  # 2**30 s is far beyond any maximum
    return dt.timedelta(seconds=min(base * 2**doublings, top))


def account_delay(key: str) -> Delay | None:
    """The wait still owed before the next attempt on the account, if any."""
    times = account_failures(key)
    if not times:
        return None
    until = times[0] + delay_after(len(times))
    return Delay(until=until) if until > timezone.now() else None


def register_account_failure(key: str) -> tuple[int, Delay | None]:
    """Count one failure on the account: how many it has now, and the wait that starts."""
    _add(ACCOUNT, key)
    times = account_failures(key)
    wait = delay_after(len(times))
    return len(times), (Delay(until=times[0] + wait) if wait else None)


def count_failure(*, request: HttpRequest | None, username: str, known_device: bool) -> str | None:
    """Count a wrong password on the account and from the client, with the security event when either limit
    is reached by this failure. Returns what to say instead of «wrong password» when the client is now
    blocked or the account delayed (None otherwise). The login form and the password change use it."""
    client_lock = register_failure(CLIENT, client_key(request))
    failures, delay = register_account_failure(account_key(username))
    account_limit = failures == int(settings.EJOURNAL_LOCKOUT_FAILURES)
    if account_limit or client_lock is not None:
        subject = User.objects.filter(username=username).first()
        tag = client_tag(client_ip(request))
        if account_limit:
            record(
                kind=EventKind.LOCKOUT,
                summary=f"Вход в учётную запись замедлен после {failures} неудачных попыток",
                subject=subject,
                request=request,
                details={"scope": ACCOUNT, "failures": failures, "client": tag},
            )
        if client_lock is not None:
            record(
                kind=EventKind.LOCKOUT,
                summary="Адрес заблокирован: слишком много неудачных входов с него",
                subject=subject,
                request=request,
                details={"scope": CLIENT, "client": tag},
            )
    if client_lock is not None:
        return client_lock.message()
    if delay is not None and not known_device:
        return delay.message()
    return None


# --- known devices -------------------------------------------------------------------------------------


def _device_tag(username: str) -> str:
    return key_for("device", username)[:20]


def _device_tags(request: HttpRequest | None) -> list[str]:
    if request is None:
        return []
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        value: Any = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return []
    return [str(t) for t in value] if isinstance(value, list) else []


def known_device(request: HttpRequest | None, username: str) -> bool:
    """Whether this browser signed into the account before (the signed cookie set at that sign-in)."""
    return _device_tag(username) in _device_tags(request)


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Mark this browser as a known device of the account (set at a successful sign-in with the password)."""
    tag = _device_tag(username)
    tags = [tag, *(t for t in _device_tags(request) if t != tag)][:DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(tags, salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
