from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import DomainError


class DomainErrorMiddleware:
    """The one place where a domain error that escapes a page view becomes a page: the Russian error page with
    its status (its code in the context, for the page's data-code). A view that re-renders its own form with
    the error uses `core.refusals.refused` instead; JSON endpoints answer `core.errors.error_body`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return render(
            request, "error.html", {"message": exception.message, "code": str(exception.code)}, status=exception.status
        )
