"""What the curriculum endpoints share: the user, write access, query parameters, scoped related ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from ejournal.access import roles
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.requests import current_user as user_of


def require_manager(request: Request) -> User:
    """Writes of the curriculum are the administrator's and deputy's; to others the action does not exist,
    whatever their input (so checked before the input is)."""
    user = user_of(request)
    roles.require(roles.manages_structure(user))
    return user


def int_param(request: Request, name: str) -> int | None:
    return inputs.parse_id(request.query_params.get(name), name)


def date_param(request: Request, name: str) -> dt.date | None:
    return inputs.parse_date(request.query_params.get(name), name)


def param(name: str, kind: Any, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, description=description)


class ScopedSerializer(serializers.Serializer):
    """Related ids are looked up only among what the user sees: another school's id is "not found"."""

    scopes: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for name, scope in self.scopes.items():
            self.fields[name].queryset = scope(request.user)  # type: ignore[attr-defined]
