"""The API's readers of what a request sends, on top of ejournal/core/inputs.py: pages of lists and JSON
bodies. Configured as the REST_FRAMEWORK defaults, so every view gets them without asking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.inputs import BadInput


class BoundedPagination(LimitOffsetPagination):
    """limit/offset with a largest page: a larger limit is clamped to MAX_LIMIT (a script asking for
    everything gets pages, not 8 MB at once); a limit or offset that is not a number is a 400."""

    default_limit = inputs.DEFAULT_LIMIT
    max_limit = inputs.MAX_LIMIT

    def get_limit(self, request: Request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        return self.default_limit if raw in (None, "") else inputs.parse_limit(raw)

    def get_offset(self, request: Request) -> int:
        return inputs.parse_offset(request.query_params.get(self.offset_query_param))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Сколько записей вернуть: по умолчанию {self.default_limit}, не больше {self.max_limit}"
                    " (большее значение уменьшается до него)."
                )
                parameter["schema"] = {
                    **parameter.get("schema", {}),
                    "minimum": 1,
                    "maximum": self.max_limit,
                    "default": self.default_limit,
                }
            elif parameter["name"] == self.offset_query_param:
                parameter["description"] = "С какой по счёту записи начать (с нуля)."
                parameter["schema"] = {**parameter.get("schema", {}), "minimum": 0, "maximum": inputs.MAX_OFFSET}
        return parameters


class StrictJSONParser(JSONParser):
    """JSON with finite numbers only (no NaN, Infinity, 1e400) and a bounded depth; refused in Russian."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = stream.read() if stream is not None else b""
        try:
            return inputs.loads_json(body or b"")
        except BadInput as error:
            raise exceptions.ParseError(error.message) from error


class IdField(serializers.IntegerField):
    """An id in a body: 1..2^63-1 (a larger one would fail in the database, not as a validation error)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", inputs.MAX_ID)
        super().__init__(**kwargs)


def period_param(request: Request) -> int | None:
    """`?period=` of the journal's endpoints (grid, overview, period-mark history): empty is the current
    period; anything but an id is a 422, as these endpoints have always answered."""
    raw = (request.query_params.get("period") or "").strip()
    if not raw:
        return None
    period_id = inputs.id_or_none(raw)
    if period_id is None:
        raise ValidationFailed("Период указан неверно.", field="period")
    return period_id
