"""«Календарь учебного года»: who sees it, who changes it, and refused changes that save nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.schools.models import AcademicYear, Holiday, Period, PeriodScheme

d = dt.date
URL = reverse("schools:calendar")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = d(2026, 11, 30)
    monkeypatch.setattr("ejournal.schools.views.common.school_today", lambda tz: day)
    return day


def scheme_post(scheme, spans, kind=None):
    data = {f"scheme-{scheme.pk}-kind": kind or scheme.kind}
    for n, (start, end) in enumerate(spans, start=1):
        data[f"scheme-{scheme.pk}-start_{n}"] = start.isoformat()
        data[f"scheme-{scheme.pk}-end_{n}"] = end.isoformat()
    return data


def spans_of(scheme):
    return [(p.start, p.end) for p in scheme.periods.order_by("number")]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ["admin", "deputy"])
def test_management_sees_the_calendar_with_forms(client, small_school, who):
    client.force_login(getattr(small_school, who))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Календарь учебного года 2026/2027" in body
    assert "Ноябрь 2026" in body and "Май 2027" in body
    assert 'class="day-holiday"' in body and 'class="day-public"' in body
    assert "Сохранить даты" in body and "Новый учебный год" in body
    assert 'type="date"' in body
    assert "<script>" not in body  # no inline scripts: the CSP will forbid them


def test_director_reads_without_forms(client, small_school):
    client.force_login(small_school.director)
    body = client.get(URL).content.decode()
    assert "1 четверть" in body and "Осенние каникулы" in body
    assert "Сохранить даты" not in body and '<form method="post"' not in body.split("</header>")[1]


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(URL).status_code == 404


def test_student_gets_404(client, small_school):
    client.force_login(small_school.students_5a[0])
    assert client.get(URL).status_code == 404


def test_foreign_admin_gets_404_on_this_schools_year_and_posts(client, small_school, other_school):
    s = small_school
    client.force_login(other_school.admin)
    assert client.get(URL, {"year": s.year.pk}).status_code == 404
    holiday = s.year.holidays.first()
    scheme = s.year.schemes.first()
    assert client.post(reverse("schools:holiday_delete", args=[holiday.pk])).status_code == 404
    assert client.post(reverse("schools:scheme_delete", args=[scheme.pk])).status_code == 404
    assert client.post(reverse("schools:year_update", args=[s.year.pk]), {"year-name": "x"}).status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists() and PeriodScheme.objects.filter(pk=scheme.pk).exists()


def test_director_cannot_post(client, small_school):
    s = small_school
    client.force_login(s.director)
    holiday = s.year.holidays.first()
    assert client.post(reverse("schools:holiday_delete", args=[holiday.pk])).status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists()


def test_default_year_contains_the_schools_today_and_the_grade_selector_works(client, small_school, today):
    s = small_school
    client.force_login(s.admin)
    response = client.get(URL, {"grade": 1})
    assert response.context["year"] == s.year
    assert response.context["grade"] == 1
    page = response.context["page"]
    february = next(m for m in page.months if m.title == "Февраль 2027")
    kinds = {c.date: c.kind for week in february.weeks for c in week if c}
    assert kinds[d(2027, 2, 16)] == "vacation"
    response = client.get(URL, {"grade": 2})
    february = next(m for m in response.context["page"].months if m.title == "Февраль 2027")
    assert {c.date: c.kind for week in february.weeks for c in week if c}[d(2027, 2, 16)] == "study"


def test_create_year_from_the_recommended_calendar(client, small_school):
    s = small_school
    client.force_login(s.deputy)
    response = client.post(
        reverse("schools:year_create"),
        {
            "new-year-name": "2027/2028",
            "new-year-start": "2027-09-01",
            "new-year-end": "2028-05-26",
            "new-year-fill_recommended": "on",
        },
    )
    year = AcademicYear.objects.get(school=s.school, name="2027/2028")
    assert response.status_code == 302 and f"year={year.pk}" in response["Location"]
    assert year.schemes.count() == 2 and year.holidays.count() == 9


def test_create_an_empty_year(client, small_school):
    s = small_school
    client.force_login(s.admin)
    client.post(
        reverse("schools:year_create"),
        {"new-year-name": "2027/2028", "new-year-start": "2027-09-01", "new-year-end": "2028-05-31"},
    )
    year = AcademicYear.objects.get(school=s.school, name="2027/2028")
    assert year.schemes.count() == 0 and year.holidays.count() == 0


def test_overlapping_year_is_refused_in_the_form(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.post(
        reverse("schools:year_create"),
        {"new-year-name": "2027", "new-year-start": "2027-05-01", "new-year-end": "2028-05-31"},
    )
    assert response.status_code == 422
    assert "пересекается с годом «2026/2027»" in response.content.decode()
    assert AcademicYear.objects.filter(school=s.school).count() == 1


def test_edit_the_dates_of_a_schemes_periods(client, small_school):
    s = small_school
    client.force_login(s.admin)
    scheme = s.year.schemes.get(grade_from=1)
    spans = spans_of(scheme)
    spans[3] = (d(2027, 4, 6), d(2027, 5, 25))
    response = client.post(reverse("schools:scheme_update", args=[scheme.pk]), scheme_post(scheme, spans))
    assert response.status_code == 302
    assert spans_of(scheme) == spans


def test_overlapping_periods_are_refused_with_the_place_and_nothing_saved(client, small_school):
    s = small_school
    client.force_login(s.admin)
    scheme = s.year.schemes.get(grade_from=1)
    before = spans_of(scheme)
    spans = list(before)
    spans[1] = (d(2026, 10, 20), d(2026, 12, 25))
    spans[3] = (d(2027, 4, 6), d(2027, 5, 25))
    response = client.post(reverse("schools:scheme_update", args=[scheme.pk]), scheme_post(scheme, spans))
    assert response.status_code == 422
    body = response.content.decode()
    assert "1–9 кл.: 2 четверть (20.10.2026–25.12.2026) пересекается с периодом 1 четверть" in body
    assert spans_of(scheme) == before
    # The form shows what was typed, so the mistake can be corrected in place.
    assert 'value="2026-10-20"' in body


def test_period_outside_the_year_is_refused(client, small_school):
    s = small_school
    client.force_login(s.admin)
    scheme = s.year.schemes.get(grade_from=10)
    before = spans_of(scheme)
    spans = [before[0], (before[1][0], d(2027, 6, 20))]
    response = client.post(reverse("schools:scheme_update", args=[scheme.pk]), scheme_post(scheme, spans))
    assert response.status_code == 422
    assert "10–11 кл.: 2 полугодие (12.01.2027–20.06.2027) выходит за границы учебного года 2026/2027" in (
        response.content.decode()
    )
    assert spans_of(scheme) == before


def test_a_period_with_only_its_start_is_a_form_error(client, small_school):
    s = small_school
    client.force_login(s.admin)
    scheme = s.year.schemes.get(grade_from=10)
    data = scheme_post(scheme, spans_of(scheme))
    data[f"scheme-{scheme.pk}-start_3"] = "2027-05-01"
    response = client.post(reverse("schools:scheme_update", args=[scheme.pk]), data)
    assert response.status_code == 422
    assert "Укажите и начало, и окончание." in response.content.decode()


def test_create_and_delete_a_scheme(client, small_school):
    s = small_school
    client.force_login(s.admin)
    scheme = s.year.schemes.get(grade_from=10)
    response = client.post(reverse("schools:scheme_delete", args=[scheme.pk]))
    assert response.status_code == 302
    assert not PeriodScheme.objects.filter(pk=scheme.pk).exists()
    data = {
        "new-scheme-kind": "trimester",
        "new-scheme-grade_from": "10",
        "new-scheme-grade_to": "11",
        "new-scheme-start_1": "2026-09-01",
        "new-scheme-end_1": "2026-11-27",
        "new-scheme-start_2": "2026-11-30",
        "new-scheme-end_2": "2027-02-26",
        "new-scheme-start_3": "2027-03-01",
        "new-scheme-end_3": "2027-05-26",
    }
    response = client.post(reverse("schools:scheme_create", args=[s.year.pk]), data)
    assert response.status_code == 302
    assert Period.objects.filter(scheme__year=s.year, scheme__grade_from=10, scheme__kind="trimester").count() == 3
    # The same band again: the page points at the existing scheme rather than replacing it silently.
    response = client.post(reverse("schools:scheme_create", args=[s.year.pk]), data)
    assert response.status_code == 422
    assert "Схема периодов для 10–11 кл. уже есть" in response.content.decode()


def test_add_a_public_holiday_and_delete_it(client, small_school):
    s = small_school
    client.force_login(s.deputy)
    response = client.post(
        reverse("schools:holiday_create", args=[s.year.pk]),
        {
            "new-holiday-name": "День учителя",
            "new-holiday-kind": "public",
            "new-holiday-start": "2026-10-05",
            "new-holiday-end": "2026-10-05",
            "new-holiday-grade_from": "1",
            "new-holiday-grade_to": "11",
        },
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(year=s.year, name="День учителя")
    page = client.get(response["Location"]).content.decode()
    assert "Добавлено в календарь: «День учителя»" in page
    assert 'title="05.10.2026: День учителя"' in page
    client.post(reverse("schools:holiday_delete", args=[holiday.pk]))
    assert not Holiday.objects.filter(pk=holiday.pk).exists()


def test_short_vacation_is_refused_in_the_form(client, small_school):
    s = small_school
    client.force_login(s.admin)
    before = Holiday.objects.filter(year=s.year).count()
    response = client.post(
        reverse("schools:holiday_create", args=[s.year.pk]),
        {
            "new-holiday-name": "Мини",
            "new-holiday-kind": "vacation",
            "new-holiday-start": "2027-02-01",
            "new-holiday-end": "2027-02-03",
            "new-holiday-grade_from": "1",
            "new-holiday-grade_to": "11",
        },
    )
    assert response.status_code == 422
    assert "Каникулы «Мини» (01.02.2027–03.02.2027) короче 7 дней." in response.content.decode()
    assert Holiday.objects.filter(year=s.year).count() == before


def test_edit_a_holiday_and_a_refused_edit(client, small_school):
    s = small_school
    client.force_login(s.admin)
    autumn = s.year.holidays.get(name="Осенние каникулы")
    p = f"holiday-{autumn.pk}"
    data = {
        f"{p}-name": "Осенние каникулы",
        f"{p}-kind": "vacation",
        f"{p}-start": "2026-10-26",
        f"{p}-end": "2026-11-03",
        f"{p}-grade_from": "1",
        f"{p}-grade_to": "11",
    }
    assert client.post(reverse("schools:holiday_update", args=[autumn.pk]), data).status_code == 302
    autumn.refresh_from_db()
    assert autumn.start == d(2026, 10, 26)
    data[f"{p}-end"] = "2026-10-20"
    response = client.post(reverse("schools:holiday_update", args=[autumn.pk]), data)
    assert response.status_code == 422
    assert "начало позже окончания" in response.content.decode()
    autumn.refresh_from_db()
    assert autumn.end == d(2026, 11, 3)


def test_edit_the_year(client, small_school):
    s = small_school
    client.force_login(s.admin)
    url = reverse("schools:year_update", args=[s.year.pk])
    response = client.post(url, {"year-name": "2026/2027", "year-start": "2026-09-01", "year-end": "2027-05-20"})
    assert response.status_code == 422
    assert "окажется вне года" in response.content.decode()
    response = client.post(url, {"year-name": "2026/2027", "year-start": "2026-09-01", "year-end": "2027-05-31"})
    assert response.status_code == 302
    s.year.refresh_from_db()
    assert s.year.end == d(2027, 5, 31)


def test_calendar_query_count_is_fixed(client, small_school, django_assert_max_num_queries):
    client.force_login(small_school.admin)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


def test_empty_school_is_invited_to_create_a_year(client, db):
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role

    school = people.create_school(name="Новая школа", short_name="Новая")
    admin = people.create_person(actor=None, school=school, last_name="А", first_name="Б", roles=[Role.ADMIN])
    client.force_login(admin)
    body = client.get(URL).content.decode()
    assert "Учебных годов пока нет" in body
    assert 'value="2026/2027"' in body
