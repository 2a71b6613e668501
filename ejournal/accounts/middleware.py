from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .auth import events, sessions, totp


class SessionActivityMiddleware:
    """Signs out a session idle longer than the timeout (staff 30 minutes by default) and notes activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and sessions.idle_expired(request):
            setattr(request, events.LOGOUT_REASON, "idle")
            logout(request)
            messages.info(request, "Сеанс завершён: долго не было действий. Войдите снова.")
        return self.get_response(request)


class TwoFactorMiddleware:
    """A person who owes a two-factor code (or must set 2FA up) sees nothing else first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            state = totp.pending(request)
            if state is not None:
                target = reverse("two_factor_verify" if state == totp.VERIFY else "two_factor_setup")
                if request.path not in (target, reverse("logout")) and not request.path.startswith("/static/"):
                    return redirect(target)
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """A one-time password issued by the school works only to set one's own password."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect(reverse("password_change"))
        return self.get_response(request)
