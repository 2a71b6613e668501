"""Every API error is one JSON shape, in Russian: {"code": stable code, "message": message, "fields": {field:
[messages]}} ({} when no field is at fault), plus the few keys an error carries for its client (a stale edit's
"current"). The one place where errors become API responses: domain errors, DRF's and Django's own.
No message names a model. The codes are listed in docs/api-errors.md and in the schema (`Error`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ejournal.core.errors import CoreCode, DomainError, ValidationFailed, body, error_body

if TYPE_CHECKING:
    from rest_framework.serializers import Serializer

CYRILLIC = re.compile("[а-яА-ЯёЁ]")

NOT_FOUND = "Не найдено."
# DRF's Russian catalogue leaves these in English or says them awkwardly.
MESSAGES: dict[type[exceptions.APIException], tuple[CoreCode, str]] = {
    exceptions.ParseError: (CoreCode.UNREADABLE, "Запрос не читается: ожидается JSON."),
    exceptions.UnsupportedMediaType: (
        CoreCode.UNSUPPORTED_MEDIA_TYPE,
        "Неподдерживаемый тип содержимого запроса: ожидается JSON.",
    ),
    exceptions.NotAcceptable: (CoreCode.NOT_ACCEPTABLE, "Ответ в запрошенном формате не отдаётся: принимается JSON."),
}
# DRF's other refusals: the code by class (the message is DRF's Russian one).
CODES: dict[type[exceptions.APIException], CoreCode] = {
    exceptions.NotAuthenticated: CoreCode.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: CoreCode.NOT_AUTHENTICATED,
    exceptions.PermissionDenied: CoreCode.FORBIDDEN,
    exceptions.MethodNotAllowed: CoreCode.METHOD_NOT_ALLOWED,
}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field -> messages of a (nested) serializer error, nested names joined with dots."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        return {prefix or "non_field_errors": [str(d) for d in detail]}
    if isinstance(detail, list):
        out = {}
        for index, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "non_field_errors": [str(detail)]}


def russian(message: str, field: str) -> str:
    """DRF's Russian catalogue misses some field messages ("Not a valid string."): those get ours."""
    if CYRILLIC.search(message):
        return message
    return f"Поле «{field}» заполнено неверно." if field != "non_field_errors" else "Неверные данные."


def first_error(detail: Any) -> tuple[str, str]:
    """The field and Russian message of the first validation error."""
    fields = _flatten(detail)
    field, messages = next(iter(fields.items()), ("non_field_errors", ["Неверные данные."]))
    return field, russian(messages[0], field)


def raise_first_error(serializer: Serializer) -> None:
    """Refuses invalid input with the first error in the one error shape (as a domain error, 422)."""
    if not serializer.is_valid():
        field, message = first_error(serializer.errors)
        raise ValidationFailed(f"Поле «{field}»: {message}" if message[:6] != "Поле «" else message, field=field)


def _body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        fields = {name: [russian(m, name) for m in messages] for name, messages in _flatten(exc.detail).items()}
        _field, message = first_error(exc.detail)
        return body(CoreCode.INVALID, message, fields)
    if isinstance(exc, exceptions.NotFound):
        return body(CoreCode.NOT_FOUND, NOT_FOUND)
    if isinstance(exc, exceptions.Throttled):
        seconds = getattr(exc, "wait", None)  # set by DRF's Throttled.__init__, missing from its stubs
        wait = f" Повторите через {int(seconds)} с." if seconds is not None else ""
        return body(CoreCode.THROTTLED, f"Слишком много запросов.{wait}")
    known = MESSAGES.get(type(exc))
    if known is not None:
        return body(*known)
    message = str(exc.detail) if isinstance(exc.detail, str) else "Неверный запрос."
    return body(CODES.get(type(exc), CoreCode.BAD_INPUT), message)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc), status=exc.status)
    # Django's own 404 carries "No Lesson matches the given query.": it would name a model, and in English.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = _body(exc)
    return response
