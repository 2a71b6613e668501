"""What the school structure pages share: who may open them, the school's day, services' errors in forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest

from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.refusals import refused
from ejournal.core.time import school_today


def require_reader(user: User) -> None:
    """Management reads the structure; for anyone else the page does not exist."""
    roles.require(access_schools.reads_structure(user))


def require_manager(user: User) -> None:
    roles.require(access_schools.reads_structure(user) and roles.manages_structure(user))


def school_day(user: User) -> dt.date:
    return school_today(user.school.timezone)  # type: ignore[union-attr]


def parse_grade(value: str | None, default: int = 1) -> int:
    grade = inputs.count_or_none(value, low=1, high=11)
    return default if grade is None else grade


def parse_date(value: str | None) -> dt.date | None:
    return inputs.date_or_none(value)


def year_id_or_404(request: HttpRequest) -> int | None:
    """The `?year=` of a page: none given is None; anything that is not an id is a missing page."""
    raw = request.GET.get("year", "")
    if not raw:
        return None
    year_id = inputs.id_or_none(raw)
    if year_id is None:
        raise Http404
    return year_id


def submit(request: HttpRequest, form: forms.BaseForm, action: Callable[[dict[str, Any]], str]) -> int | None:
    """Validate the form and call the service; on success say so and return None. A rule the service
    refused is shown in the form and its status returned (nothing was saved: services are atomic).
    A 404 stays a 404: the object is out of the user's scope."""
    if not form.is_valid():
        return 422
    with refused(form) as refusal:
        message = action(form.cleaned_data)
    if refusal.error is not None:
        return refusal.status
    messages.success(request, message)
    return None
