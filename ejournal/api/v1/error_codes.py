"""Every stable error code of the product, and the OpenAPI `Error` component that lists them.

A client branches on `code` (docs/api-errors.md). Each app names its codes in its own `errors.py`; the list
below gathers them for the schema and for the test that every code is unique and documented. An app that
adds an enum adds it here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ejournal.accounts.errors import AccountsCode
from ejournal.archive.errors import ArchiveCode
from ejournal.core.errors import CoreCode
from ejournal.curriculum.errors import CurriculumCode
from ejournal.hours.errors import HoursCode
from ejournal.interop.errors import ImportsCode
from ejournal.journal.errors import JournalCode
from ejournal.support.errors import SupportCode

ENUMS: tuple[type[StrEnum], ...] = (
    CoreCode,
    AccountsCode,
    CurriculumCode,
    JournalCode,
    ImportsCode,
    ArchiveCode,
    HoursCode,
    SupportCode,
)


def all_codes() -> list[str]:
    return [str(code) for enum in ENUMS for code in enum]


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Отказ: стабильный код, сообщение по-русски и поля с ошибками (docs/api-errors.md).",
    "properties": {
        "code": {"type": "string", "enum": all_codes(), "description": "Стабильный код отказа."},
        "message": {"type": "string", "description": "Сообщение для человека, по-русски."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Поле -> сообщения; {} когда ни одно поле не виновато.",
        },
        "current": {
            "type": "object",
            "additionalProperties": True,
            "description": "Только journal.stale_edit: что в клетке или отметке сейчас.",
        },
        "errors": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Только curriculum.bad_plan_file: строки файла КТП с ошибками.",
        },
    },
    "required": ["code", "message", "fields"],
}


def add_error_component(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the `Error` component, the default response of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    default = {
        "description": "Отказ (docs/api-errors.md)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("default", default)
    return result
