"""The API of the hours given: the same figures as the pages, the same scope, the confirmation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.accounts.models import User
from ejournal.hours.models import MonthConfirmation

from .conftest import Changed

pytestmark = pytest.mark.django_db
NOV = {"month": "2026-11"}


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_school_figures(changed: Changed, django_assert_max_num_queries) -> None:
    s = changed.s
    client = api(s.deputy)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("api-hours"), NOV)
    assert r.status_code == 200
    data = r.json()
    rows = {row["teacher"]: row for row in data["teachers"]}
    math, russian = rows[s.teacher.pk], rows[s.teacher2.pk]
    assert (math["plan"], math["given"], math["replaced"], math["cancelled"], math["extra"]) == (7, 6, 1, 1, 1)
    assert (russian["plan"], russian["given"], russian["substituted"]) == (4, 5, 1)
    assert russian["substituted_days"] == {"2026-11-16": 1}
    assert data["total"]["given"] == 11
    assert data["span"]["counted_to"] == "2026-11-30"


def test_teacher_reads_own_only(changed: Changed) -> None:
    s = changed.s
    r = api(s.teacher).get(reverse("api-hours"), NOV)
    assert [row["teacher"] for row in r.json()["teachers"]] == [s.teacher.pk]
    r = api(s.teacher).get(reverse("api-hours-teacher", args=[s.teacher.pk]), NOV)
    assert r.status_code == 200
    data = r.json()
    assert data["given"] == 6
    assert sum(x["counted"] for x in data["lessons"]) == 6
    assert sum(x["without_topic"] and x["counted"] for x in data["lessons"]) == data["without_topic"] == 5
    assert data["subjects"] == [{"subject": s.math.name, "class": "5А", "given": 6, "substituted": 0}]
    assert api(s.teacher).get(reverse("api-hours-teacher", args=[s.teacher2.pk]), NOV).status_code == 404
    assert api(s.students_5a[0]).get(reverse("api-hours"), NOV).status_code == 404


def test_confirm_and_list(changed: Changed) -> None:
    s = changed.s
    r = api(s.teacher).post(reverse("api-hours-confirmations"), {"month": "2026-11"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["figures"]["given"] == 6
    again = api(s.teacher).post(reverse("api-hours-confirmations"), {"month": "2026-11"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "hours.already_confirmed"
    listed = api(s.deputy).get(reverse("api-hours-confirmations"), NOV).json()["results"]
    assert [(x["teacher"], x["confirmed_by"]) for x in listed] == [(s.teacher.pk, s.teacher.pk)]
    assert api(s.teacher2).get(reverse("api-hours-confirmations"), NOV).json()["results"] == []
    detail = api(s.deputy).get(reverse("api-hours"), NOV).json()
    confirmation = {row["teacher"]: row["confirmation"] for row in detail["teachers"]}
    assert confirmation[s.teacher.pk]["discrepancies"] == []
    assert confirmation[s.teacher2.pk] is None


@pytest.mark.parametrize(
    ("month", "code"),
    [("2026-12", "hours.month_not_over"), ("2025-11", "hours.month_outside_year"), ("11.2026", "core.invalid")],
)
def test_bad_months_are_refused(changed: Changed, month: str, code: str) -> None:
    r = api(changed.s.teacher).post(reverse("api-hours-confirmations"), {"month": month}, format="json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == code and body["message"]
    assert not MonthConfirmation.objects.exists()


def test_another_teachers_month_is_refused(changed: Changed, other_school) -> None:
    s = changed.s
    r = api(s.teacher2).post(
        reverse("api-hours-confirmations"), {"month": "2026-11", "teacher": s.teacher.pk}, format="json"
    )
    assert r.status_code == 403
    assert "только сам учитель" in r.json()["message"]
    r = api(s.teacher2).post(
        reverse("api-hours-confirmations"), {"month": "2026-11", "teacher": other_school.teacher.pk}, format="json"
    )
    assert r.status_code == 404
    assert not MonthConfirmation.objects.exists()
