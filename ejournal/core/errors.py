"""Domain errors: each carries a stable code, a Russian message for the user and an HTTP status.

The code is what a client branches on (the message may be reworded); it never changes once published.
Each app names its codes in a `StrEnum` in its own `errors.py` ("<app>.<what>"); every class has a default
code, so a plain `raise ValidationFailed("…")` is `core.invalid`, and a raise that a client must tell apart
names its own: `raise ValidationFailed("…", code=JournalCode.BAD_MARK_VALUE, field="value")`.

Errors become responses in one place per surface: `core.middleware.DomainErrorMiddleware` for pages,
`api.v1.errors.exception_handler` for the API, both through `error_body` below for JSON (docs/api-errors.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class CoreCode(StrEnum):
    """Codes of the base classes, and of the refusals the HTTP layer makes before any service runs."""

    REFUSED = "core.refused"
    NOT_FOUND = "core.not_found"
    FORBIDDEN = "core.forbidden"
    INVALID = "core.invalid"
    CONFLICT = "core.conflict"
    BAD_INPUT = "core.bad_input"
    NOT_AUTHENTICATED = "core.not_authenticated"
    METHOD_NOT_ALLOWED = "core.method_not_allowed"
    UNREADABLE = "core.unreadable"
    UNSUPPORTED_MEDIA_TYPE = "core.unsupported_media_type"
    NOT_ACCEPTABLE = "core.not_acceptable"
    THROTTLED = "core.throttled"
    SERVER_ERROR = "core.server_error"
    UNAVAILABLE = "core.unavailable"


class DomainError(Exception):
    """A rule of the school was broken; nothing was saved."""

    status = 400
    code: StrEnum = CoreCode.REFUSED

    def __init__(self, message: str, *, code: StrEnum | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
        # Keys a client needs beside the standard three (a stale edit's "current" value), put into the body.
        self.extra: dict[str, Any] = {}


class NotFound(DomainError):
    """Outside the user's scope: shown as 404 so that existence is not revealed."""

    status = 404
    code: StrEnum = CoreCode.NOT_FOUND

    def __init__(self, message: str = "Не найдено.", *, code: StrEnum | None = None) -> None:
        super().__init__(message, code=code)


class Forbidden(DomainError):
    status = 403
    code: StrEnum = CoreCode.FORBIDDEN


class ValidationFailed(DomainError):
    status = 422
    code: StrEnum = CoreCode.INVALID


class Conflict(DomainError):
    status = 409
    code: StrEnum = CoreCode.CONFLICT


def body(code: StrEnum, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The one JSON shape of every refusal: {"code", "message", "fields"} (fields: name -> messages, or {})."""
    return {"code": str(code), "message": message, "fields": fields or {}}


def error_body(error: DomainError) -> dict[str, Any]:
    """A domain error as JSON: the one shape, the field at fault in "fields", then the error's extra keys."""
    return {**body(error.code, error.message, {error.field: [error.message]} if error.field else None), **error.extra}
