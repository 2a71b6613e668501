"""Domain errors carry stable codes, mapped in one place per surface (issue 14, item 1).

Every code is unique and listed in docs/api-errors.md and in the schema's `Error` component; every domain
error class has a code; the API, the journal's grid endpoints and the pages answer through the one mapping,
so a client tells a closed period from a stale edit or a bad value by `code`, not by the Russian text.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pkgutil
from enum import StrEnum
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

import ejournal
from ejournal.api.v1.error_codes import ENUMS, all_codes
from ejournal.core.errors import DomainError, NotFound, ValidationFailed, error_body
from ejournal.core.refusals import refused

ROOT = Path(ejournal.__file__).resolve().parent
DOCS = ROOT.parent / "docs" / "api-errors.md"
MONDAY = dt.date(2026, 12, 21)


def _product_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(ROOT)], prefix="ejournal."):
        parts = info.name.split(".")
        if {"tests", "migrations", "management"} & set(parts) or parts[-1] in {"conftest", "testprovider"}:
            continue
        names.append(info.name)
    return names


def _all_subclasses(cls: type[DomainError]) -> set[type[DomainError]]:
    found: set[type[DomainError]] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_code_is_unique_namespaced_and_documented():
    codes = all_codes()
    assert len(codes) == len(set(codes))
    documented = DOCS.read_text(encoding="utf-8")
    for code in codes:
        app, _, name = code.partition(".")
        assert app and name and code == code.lower(), code
        assert f"| `{code}` |" in documented, f"{code} is missing from docs/api-errors.md"


def test_every_code_enum_of_an_app_is_gathered_for_the_schema():
    """An app's `errors.py` StrEnum of codes that api/v1/error_codes.py forgot would be undocumented."""
    for path in ROOT.glob("*/errors.py"):
        module = importlib.import_module(f"ejournal.{path.parent.name}.errors")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                assert value in ENUMS, f"{module.__name__}.{value.__name__} is not in api.v1.error_codes.ENUMS"


def test_every_domain_error_class_has_a_registered_code():
    for name in _product_modules():
        importlib.import_module(name)
    codes = set(all_codes())
    for cls in {DomainError} | _all_subclasses(DomainError):
        assert str(cls.code) in codes, f"{cls.__module__}.{cls.__name__} has code {cls.code!r}"


def test_every_code_named_at_a_raise_is_registered():
    """`code=JournalCode.X` in the source names a member that exists (a typo would be an AttributeError
    only when that refusal happens)."""
    enums = {enum.__name__: enum for enum in ENUMS}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Attribute):
                owner = node.value.value
                if isinstance(owner, ast.Name) and owner.id in enums:
                    assert node.value.attr in enums[owner.id].__members__, f"{path}: {owner.id}.{node.value.attr}"


def test_the_body_is_code_message_fields_and_a_field_is_named_in_fields():
    assert error_body(NotFound()) == {"code": "core.not_found", "message": "Не найдено.", "fields": {}}
    refusal = ValidationFailed("Поле «end»: неверная дата.", field="end")
    assert error_body(refusal) == {
        "code": "core.invalid",
        "message": "Поле «end»: неверная дата.",
        "fields": {"end": ["Поле «end»: неверная дата."]},
    }


def test_the_schema_documents_the_error_component_as_every_default_response(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]["code"]["enum"]) == set(all_codes())
    assert error["required"] == ["code", "message", "fields"]
    operations = [op for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert operations and all(
        op["responses"]["default"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        for op in operations
    )


# --- the page helper ------------------------------------------------------------------------------------------


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_refused_puts_the_error_on_its_field_and_lets_not_found_through():
    form = _Form({"name": "x"})
    assert form.is_valid()
    with refused(form) as refusal:
        raise ValidationFailed("Такое имя уже есть.", field="name")
    assert refusal.status == 422 and form.errors["name"] == ["Такое имя уже есть."]
    with refused(form) as general:
        raise DomainError("Нельзя.")
    assert general.message == "Нельзя." and form.non_field_errors() == ["Нельзя."]
    with pytest.raises(NotFound), refused(form):
        raise NotFound()
    with refused() as nothing:
        pass
    assert nothing.error is None and nothing.status == 200
