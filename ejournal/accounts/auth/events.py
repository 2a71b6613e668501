"""Sign-in, failed sign-in and sign-out become security events; sign-in also starts the session record and
decides whether a two-factor code is still owed. Connected in AccountsConfig.ready."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record

from . import sessions, totp

LOGIN_METHOD = "_ej_login_method"  # request attribute set by the ESIA/OIDC callback
LOGOUT_REASON = "_ej_logout_reason"


@receiver(user_logged_in, dispatch_uid="ejournal_login")
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    method = getattr(request, LOGIN_METHOD, "password")
    record(kind=EventKind.LOGIN, summary="Вход", actor=user, request=request, details={"method": method})
    if request is None or not hasattr(request, "session"):
        return
    sessions.start(request, user)
    state = totp.state_at_login(user)
    if state:
        request.session[totp.STATE] = state


@receiver(user_login_failed, dispatch_uid="ejournal_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    subject = User.objects.filter(username=username).first() if username else None
    # The login typed is not written down: it may be someone's name; a known person is the subject.
    record(
        kind=EventKind.LOGIN_FAILED,
        summary="Неудачный вход",
        subject=subject,
        request=request,
        details={"known_login": subject is not None},
    )


@receiver(user_logged_out, dispatch_uid="ejournal_logout")
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON, "")
    record(
        kind=EventKind.LOGOUT,
        summary="Выход по бездействию" if reason == "idle" else "Выход",
        actor=user,
        request=request,
    )
    if request is not None and hasattr(request, "session"):
        sessions.forget(request.session.session_key)
