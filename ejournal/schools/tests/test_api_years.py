"""/api/v1/years/: years with their period schemes, periods and holidays."""

import datetime as dt

import pytest

from ejournal.schools.models import AcademicYear, Holiday

d = dt.date
YEARS = "/api/v1/years/"


def year_url(year, tail=""):
    return f"{YEARS}{year.pk}/{tail}"


def test_anonymous_gets_403(client, small_school):
    assert client.get(YEARS).status_code == 403
    assert client.get(year_url(small_school.year)).status_code == 403
    assert client.post(YEARS, {}, content_type="application/json").status_code == 403


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_lists_and_reads_years(client, small_school, who):
    client.force_login(getattr(small_school, who))
    body = client.get(YEARS).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": small_school.year.pk,
        "name": "2026/2027",
        "start": "2026-09-01",
        "end": "2027-05-26",
    }
    detail = client.get(year_url(small_school.year)).json()
    assert [(s["kind"], s["grade_from"], len(s["periods"])) for s in detail["schemes"]] == [
        ("quarter", 1, 4),
        ("half", 10, 2),
    ]
    assert detail["schemes"][0]["periods"][1] == {
        "id": detail["schemes"][0]["periods"][1]["id"],
        "number": 2,
        "name": "2 четверть",
        "start": "2026-11-03",
        "end": "2026-12-30",
    }
    grade_one = [h for h in detail["holidays"] if h["grade_to"] == 1]
    assert [(h["name"], h["start"], h["end"]) for h in grade_one] == [
        ("Дополнительные каникулы 1 класса", "2027-02-15", "2027-02-21")
    ]
    assert len(detail["holidays"]) == 9


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(YEARS).status_code == 404
    assert client.get(year_url(small_school.year)).status_code == 404


def test_student_gets_404(client, small_school):
    client.force_login(small_school.students_5a[0])
    assert client.get(year_url(small_school.year, "holidays/")).status_code == 404


def test_foreign_admin_gets_404_on_this_schools_year(client, small_school, other_school):
    client.force_login(other_school.admin)
    assert client.get(year_url(small_school.year)).status_code == 404
    assert client.get(year_url(small_school.year, "holidays/")).status_code == 404
    response = client.post(
        year_url(small_school.year, "holidays/"),
        {"name": "X", "kind": "public", "start": "2026-10-05", "end": "2026-10-05"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert [y["id"] for y in client.get(YEARS).json()["results"]] == [other_school.year.pk]


def test_create_a_year_from_the_recommended_calendar(client, small_school):
    client.force_login(small_school.deputy)
    response = client.post(
        YEARS,
        {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-26", "fill_recommended": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    year = AcademicYear.objects.get(pk=response.json()["id"])
    assert year.schemes.count() == 2 and year.holidays.count() == 9


def test_overlapping_year_is_422_in_russian_and_nothing_saved(client, small_school):
    client.force_login(small_school.admin)
    response = client.post(
        YEARS, {"name": "X", "start": "2027-05-01", "end": "2028-05-01"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Учебный год «X» (01.05.2027–01.05.2028) пересекается с годом «2026/2027» (01.09.2026–26.05.2027)."
    )
    assert AcademicYear.objects.count() == 1


def test_director_cannot_create(client, small_school):
    client.force_login(small_school.director)
    response = client.post(
        YEARS, {"name": "2027/2028", "start": "2027-09-01", "end": "2028-05-26"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert AcademicYear.objects.count() == 1


def test_patch_a_year_and_a_refused_patch(client, small_school):
    client.force_login(small_school.admin)
    response = client.patch(year_url(small_school.year), {"end": "2027-05-31"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["end"] == "2027-05-31"
    response = client.patch(year_url(small_school.year), {"end": "2027-05-20"}, content_type="application/json")
    assert response.status_code == 422 and "окажется вне года" in response.json()["message"]
    small_school.year.refresh_from_db()
    assert small_school.year.end == d(2027, 5, 31)


def test_holidays_list_and_create(client, small_school):
    client.force_login(small_school.admin)
    url = year_url(small_school.year, "holidays/")
    assert client.get(url).json()["count"] == 9
    response = client.post(
        url,
        {"name": "День учителя", "kind": "public", "start": "2026-10-05", "end": "2026-10-05"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["grade_from"] == 1 and response.json()["grade_to"] == 11
    assert Holiday.objects.filter(year=small_school.year).count() == 10


def test_short_vacation_is_422_and_nothing_saved(client, small_school):
    client.force_login(small_school.admin)
    response = client.post(
        year_url(small_school.year, "holidays/"),
        {"name": "Мини", "kind": "vacation", "start": "2027-02-01", "end": "2027-02-03"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Каникулы «Мини» (01.02.2027–03.02.2027) короче 7 дней."
    assert Holiday.objects.filter(year=small_school.year).count() == 9


def test_bad_input_is_400(client, small_school):
    client.force_login(small_school.admin)
    response = client.post(
        year_url(small_school.year, "holidays/"),
        {"name": "X", "kind": "nope", "start": "когда-то"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"kind", "start", "end"}


def test_years_list_query_count_is_fixed(client, small_school, django_assert_max_num_queries):
    client.force_login(small_school.admin)
    with django_assert_max_num_queries(8):
        client.get(year_url(small_school.year))
