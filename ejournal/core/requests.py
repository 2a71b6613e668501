"""The signed-in person of a request, typed as the project's User (login is required before any call)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request

    from ejournal.accounts.models import User


def current_user(request: HttpRequest | Request) -> User:
    return cast("User", request.user)
