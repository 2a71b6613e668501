"""Counts each signed-in person's requests by part of the product for usage monitoring (audit.usage)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ejournal.core.time import school_today

from . import usage

# The URL namespaces that are parts of the product worth monitoring; anything else counts as "other".
SECTIONS = frozenset(
    {"diary", "journal", "reports", "notifications", "schools", "curriculum", "people", "interop", "audit"}
)


class UsageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is not None and user.is_authenticated and user.school_id and match is not None:
            if request.path.startswith("/api/"):
                section = "api"
            else:
                section = match.namespaces[0] if match.namespaces and match.namespaces[0] in SECTIONS else "other"
            usage.count(school_id=user.school_id, user_id=user.pk, day=school_today(), section=section)
        usage.flush_due()
        return response
