"""The municipal summary: from the stored per-school figures (never from marks at request time), aggregated
only — a person of the municipality sees no name anywhere — and only for that person."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.accounts.models import User
from ejournal.journal.models import Mark
from ejournal.reports.models import Municipality, RegionViewer, SchoolPeriodFigures
from ejournal.reports.region import store_school_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(marked, other_school):
    municipality = Municipality.objects.create(name="Управление образования города N")
    municipality.schools.add(marked.s.school, other_school.school)
    viewer = User.objects.create_user(username="region.viewer", first_name="Регина", last_name="Районова")
    RegionViewer.objects.create(user=viewer, municipality=municipality)
    store_school_figures(school=marked.s.school, period=marked.q2)
    return viewer


def names_of_people(*schools) -> list[str]:
    return [
        name
        for last, first in User.objects.filter(school__in=[s.school for s in schools]).values_list(
            "last_name", "first_name"
        )
        for name in (last, first)
    ]


def test_viewer_sees_each_school_from_stored_figures(client, region, marked, other_school):
    stored = SchoolPeriodFigures.objects.get(school=marked.s.school, period=marked.q2)
    assert (stored.n5, stored.n4, stored.n3, stored.n_na, stored.no_marks) == (1, 1, 1, 1, 1)
    Mark.objects.filter(school=marked.s.school).delete()  # the page reads no marks
    client.force_login(region)
    r = client.get(reverse("reports:region"))
    assert r.status_code == 200
    report = r.context["report"]
    rows = {row.cells[0]: row.cells for row in report.rows}
    assert rows["Школа №1"][:11] == ("Школа №1", 5, 1, 1, 1, 1, 1, 0, 1, 0, 1)
    assert rows["Школа №1"][11:14] == (Decimal("50.0"), Decimal("75.0"), Decimal("51.8"))
    assert rows["Школа №2"][1:] == (None,) * 14  # nothing stored for it yet
    assert any("Нет данных по 1 шк." in note for note in report.notes)
    html = r.content.decode()
    for name in names_of_people(marked.s, other_school):
        assert name not in html
    assert all(not row.url for row in report.rows)


def test_the_api_and_files_carry_no_names_either(client, region, marked, other_school):
    api = APIClient()
    api.force_authenticate(region)
    body = api.get("/api/v1/reports/region/").json()
    assert body["rows"][0]["cells"][0] == "Школа №1" and body["rows"][0]["cells"][12] == 75.0
    client.force_login(region)
    csv_text = client.get(reverse("reports:region"), {"format": "csv"}).content.decode("cp1251")
    for name in names_of_people(marked.s, other_school):
        assert name not in str(body) and name not in csv_text


def test_viewer_is_404_on_every_school_report(client, region, marked):
    client.force_login(region)
    for url in (
        reverse("reports:school"),
        reverse("reports:teacher"),
        reverse("reports:classes"),
        reverse("reports:class", args=[marked.s.class_5a.pk]),
        reverse("reports:journal", args=[marked.s.math_5a.pk]),
        reverse("reports:student", args=[marked.s.students_5a[0].pk]),
        reverse("reports:archive"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("reports:region"), {"period": "2026/2027|quarter|9"}).status_code == 404


def test_school_people_do_not_open_the_region(client, region, marked):
    client.force_login(marked.s.director)
    assert client.get(reverse("reports:region")).status_code == 404
    client.logout()
    assert client.get(reverse("reports:region")).status_code == 302


def test_before_the_worker_computed_anything_the_page_says_so(client, marked):
    municipality = Municipality.objects.create(name="Пустое управление")
    viewer = User.objects.create_user(username="empty.viewer")
    RegionViewer.objects.create(user=viewer, municipality=municipality)
    client.force_login(viewer)
    r = client.get(reverse("reports:region"))
    assert r.status_code == 200 and "ещё не вычислены" in r.content.decode()


def test_query_count_does_not_grow_with_schools(client, region, marked, django_assert_max_num_queries):
    client.force_login(region)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:region")).status_code == 200
