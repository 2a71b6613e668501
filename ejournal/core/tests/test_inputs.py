"""ejournal/core/inputs.py and its API side (api/v1/inputs.py, api/v1/errors.py): bounded ids, dates, numbers
and pages; Russian 404s that name no model. Each case failed (a 500 or English) before these parsers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.conftest import SmallSchool
from ejournal.core import inputs
from ejournal.core.inputs import BadInput


def test_ids_are_bounded_to_64_bits() -> None:
    assert inputs.id_or_none("1") == 1
    assert inputs.id_or_none(str(inputs.MAX_ID)) == inputs.MAX_ID
    for hostile in ("0", "-1", str(2**63), "9" * 20, "1e3", "١٢", " ", None, "NaN"):
        assert inputs.id_or_none(hostile) is None, hostile
    with pytest.raises(BadInput, match="Неверный параметр «class»"):
        inputs.parse_id("99999999999999999999", "class")
    assert inputs.parse_id("", "class") is None


def test_dates_are_bounded() -> None:
    assert inputs.date_or_none("2026-09-01") == dt.date(2026, 9, 1)
    for hostile in ("0001-01-01", "9999-12-31", "20260901", "2026-W01", "2026-02-30", ""):
        assert inputs.date_or_none(hostile) is None, hostile
    with pytest.raises(BadInput, match="между 1900 и 2200"):
        inputs.parse_date("9999-12-31", "date")


def test_months_and_dotted_dates_are_bounded() -> None:
    assert inputs.month_or_none("2026-11") == dt.date(2026, 11, 1)
    assert inputs.dotted_date_or_none("01.09.2026") == inputs.dotted_date_or_none("2026-09-01") == dt.date(2026, 9, 1)
    # The month after December 9999 cannot be computed: a keeping report for it was a 500.
    for hostile in ("9999-12", "0001-01", "2026-13", "2026-1", "2026-11-01", "²⁰²⁶-11", ""):
        assert inputs.month_or_none(hostile) is None, hostile
    for hostile in ("31.12.9999", "01.01.0001", "31.02.2026", "1.9.2026", "01.09.26", "вчера"):
        assert inputs.dotted_date_or_none(hostile) is None, hostile


def test_counts_read_ascii_digits_only() -> None:
    assert inputs.count_or_none("0") == 0 and inputs.count_or_none("14", low=1, high=365) == 14
    # "²".isdigit() is true but int("²") raises: the private parsers this replaced answered 500 to it.
    for hostile in ("²", "٣", "-1", "1.5", "9" * 11, " ", None):
        assert inputs.count_or_none(hostile) is None, hostile
    assert inputs.count_or_none("0", low=1) is None and inputs.count_or_none("366", high=365) is None
    assert inputs.id_or_none("²") is None


def test_numbers_are_finite() -> None:
    assert inputs.parse_decimal("4,5", "x") == Decimal("4.5")
    for hostile in ("NaN", "Infinity", "-inf", "1e400", "abc", float("nan")):
        with pytest.raises(BadInput):
            inputs.parse_decimal(hostile, "x")


def test_json_bodies_refuse_nan_infinity_and_deep_nesting() -> None:
    assert inputs.loads_json(b'{"a": [1, 2.5]}') == {"a": [1, 2.5]}
    for hostile in (b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1e400}', b"[" * 1000 + b"]" * 1000, b"[" * 100000):
        with pytest.raises(BadInput) as refused:
            inputs.loads_json(hostile)
        assert refused.value.message


def test_limit_is_clamped_and_offset_bounded() -> None:
    assert inputs.parse_limit("") == inputs.DEFAULT_LIMIT
    assert inputs.parse_limit("100000") == inputs.MAX_LIMIT
    assert inputs.parse_limit("9" * 30) == inputs.MAX_LIMIT
    for hostile in ("-5", "0", "много"):
        with pytest.raises(BadInput):
            inputs.parse_limit(hostile)
    with pytest.raises(BadInput):
        inputs.parse_offset("99999999999999999999")


@pytest.mark.django_db
def test_api_list_pages_are_capped_and_hostile_pages_refused_in_russian(small_school: SmallSchool) -> None:
    client = Client()
    client.force_login(small_school.admin)
    url = reverse("api-notifications-inbox")
    big = client.get(url, {"limit": "100000"})
    assert big.status_code == 200
    assert f"limit={inputs.MAX_LIMIT}" in (big.json()["next"] or f"limit={inputs.MAX_LIMIT}")
    assert len(big.json()["results"]) <= inputs.MAX_LIMIT
    for query in ({"offset": "99999999999999999999"}, {"limit": "-1"}, {"limit": "много"}):
        refused = client.get(url, query)
        assert refused.status_code == 400, query
        assert "Неверный параметр" in refused.json()["message"]


@pytest.mark.django_db
def test_api_404_is_russian_and_names_no_model(small_school: SmallSchool) -> None:
    client = Client()
    client.force_login(small_school.admin)
    # A missing object (get_object_or_404 says "No User matches the given query."), a huge id (no URL matches).
    for url in ("/api/v1/people/999999/", "/api/v1/people/99999999999999999999/", "/api/v1/no-such-thing/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"code": "core.not_found", "message": "Не найдено.", "fields": {}}, url
    page = client.get("/people/99999999999999999999/")
    assert page.status_code == 404 and "Страница не найдена" in page.content.decode()


@pytest.mark.django_db
def test_wrong_content_type_is_refused_in_russian(small_school: SmallSchool) -> None:
    client = Client()
    client.force_login(small_school.admin)
    response = client.post(reverse("api-notifications-read"), "ids=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["message"].startswith("Неподдерживаемый тип")


def test_schema_documents_the_largest_page() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    limits = [
        p["schema"]
        for path in schema["paths"].values()
        for operation in path.values()
        for p in operation.get("parameters", [])
        if p["name"] == "limit"
    ]
    assert limits and all(s["maximum"] == inputs.MAX_LIMIT for s in limits)
