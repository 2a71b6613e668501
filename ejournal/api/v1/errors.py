"""Every API error is one JSON shape, in Russian: {"detail": message} with "field" when one field is at
fault and "fields" (field -> messages) for a form's validation errors. No message names a model."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ejournal.core.errors import DomainError, ValidationFailed

if TYPE_CHECKING:
    from rest_framework.serializers import Serializer

CYRILLIC = re.compile("[а-яА-ЯёЁ]")

NOT_FOUND = "Не найдено."
# DRF's Russian catalogue leaves these in English or says them awkwardly.
MESSAGES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "Запрос не читается: ожидается JSON.",
    exceptions.UnsupportedMediaType: "Неподдерживаемый тип содержимого запроса: ожидается JSON.",
    exceptions.NotAcceptable: "Ответ в запрошенном формате не отдаётся: принимается JSON.",
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
        field, message = first_error(exc.detail)
        body: dict[str, Any] = {"detail": message, "fields": fields}
        if field != "non_field_errors":
            body["field"] = field
        return body
    if isinstance(exc, exceptions.NotFound):
        return {"detail": NOT_FOUND}
    if isinstance(exc, exceptions.Throttled):
        seconds = getattr(exc, "wait", None)  # set by DRF's Throttled.__init__, missing from its stubs
        wait = f" Повторите через {int(seconds)} с." if seconds is not None else ""
        return {"detail": f"Слишком много запросов.{wait}"}
    known = MESSAGES.get(type(exc))
    message = known if known is not None else str(exc.detail) if isinstance(exc.detail, str) else "Неверный запрос."
    return {"detail": message}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    # Django's own 404 carries "No Lesson matches the given query.": it would name a model, and in English.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = _body(exc)
    return response
