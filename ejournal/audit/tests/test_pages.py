"""The security log and usage monitoring pages: who may open them, what they show, what an export leaves."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from ejournal.audit.models import EventKind, SecurityEvent, UsageDay
from ejournal.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(small_school, other_school):
    record(
        kind=EventKind.ROLE_GRANTED,
        summary="Выдана роль «учитель»",
        actor=small_school.admin,
        subject=small_school.teacher,
    )
    record(kind=EventKind.LOGIN_FAILED, summary="Неудачный вход", subject=small_school.teacher)
    record(kind=EventKind.ROLE_GRANTED, summary="Чужая школа", actor=other_school.admin)


@pytest.mark.parametrize("who", ["admin", "director"])
def test_admin_and_director_read_their_schools_log(client, small_school, events, who):
    client.force_login(getattr(small_school, who))
    page = client.get("/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Выдана роль «учитель»" in body and "Учителева Ульяна" in body
    assert "Чужая школа" not in body
    filtered = client.get("/audit/", {"kind": "login_failed"}).content.decode()
    assert "Неудачный вход" in filtered and "Выдана роль" not in filtered


@pytest.mark.parametrize("who", ["deputy", "teacher", "parent"])
def test_others_do_not_see_the_log(client, small_school, events, who):
    client.force_login(getattr(small_school, who))
    assert client.get("/audit/").status_code == 404


def test_anonymous_is_sent_to_login(client, small_school):
    assert client.get("/audit/").status_code == 302
    assert client.get("/audit/usage/").status_code == 302


def test_bad_filters_are_refused_in_russian(client, small_school):
    client.force_login(small_school.admin)
    response = client.get("/audit/", {"kind": "nonsense"})
    assert response.status_code == 422
    assert "Неизвестный вид события" in response.content.decode()
    assert client.get("/audit/usage/", {"start": "2026-13-01"}).status_code == 422
    assert client.get("/audit/usage/", {"start": "2026-11-01", "end": "2026-10-01"}).status_code == 422
    assert client.get("/audit/usage/", {"idle": "0"}).status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        {"end": "0001-01-01"},  # the default start, 29 days before, was an OverflowError (500)
        {"start": "9999-12-31", "end": "9999-12-31"},  # so was the day after the end
        {"start": "٢٠٢٦-١١-٠١"},
        {"idle": "²"},  # isdigit() but not int()
    ],
)
def test_hostile_filters_of_usage_are_refused_not_a_500(client, small_school, query):
    client.force_login(small_school.admin)
    for url in ("/audit/usage/", "/api/v1/audit/usage/"):
        response = client.get(url, query)
        assert response.status_code == 422, url
        assert ("между 1900 и 2200" if "idle" not in query else "от 1 до 365") in response.content.decode()


def test_the_log_page_takes_the_same_queries_for_many_events(client, small_school, django_assert_max_num_queries):
    client.force_login(small_school.admin)
    for _ in range(30):
        record(kind=EventKind.LOGIN, summary="Вход", actor=small_school.teacher)
    client.get("/audit/")
    with django_assert_max_num_queries(8):
        assert client.get("/audit/").status_code == 200


@pytest.mark.parametrize("who", ["admin", "director", "deputy"])
def test_management_opens_usage(client, small_school, who):
    client.force_login(getattr(small_school, who))
    page = client.get("/audit/usage/")
    assert page.status_code == 200
    assert "Родителей, открывавших дневник" in page.content.decode()
    assert "<svg" in page.content.decode()


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_usage_is_not_for_teachers_or_parents(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get("/audit/usage/").status_code == 404


def test_usage_export_has_the_pages_numbers_and_is_logged(client, small_school):
    s = small_school
    UsageDay.objects.create(school=s.school, user=s.parent, date="2026-11-02", section="diary", requests=7)
    client.force_login(s.director)
    response = client.get("/audit/usage/", {"start": "2026-11-01", "end": "2026-11-10", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Родителева Раиса"][6] == 7  # requests
    assert rows["Родителева Раиса"][7] == 1  # days in the diary
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA_EXPORT)
    assert event.actor == s.director and event.school_id == s.school.pk
    assert "Родителева" not in event.summary  # no names in the log itself


def test_the_log_lists_accounts_under_password_guessing_with_their_clients(
    client, small_school, other_school, django_assert_max_num_queries
):
    for ip in ("198.51.100.1", "198.51.100.1", "198.51.100.1", "203.0.113.7", "203.0.113.7"):
        Client().post("/accounts/login/", {"username": small_school.teacher.username, "password": "x"}, REMOTE_ADDR=ip)
    for _ in range(4):  # below the limit: not listed
        Client().post("/accounts/login/", {"username": small_school.teacher2.username, "password": "x"})
    for _ in range(5):  # another school's account: not this school's business
        Client().post("/accounts/login/", {"username": other_school.admin.username, "password": "x"})
    client.force_login(small_school.admin)
    with django_assert_max_num_queries(9):
        body = client.get("/audit/").content.decode()
    section = body.split("Учётные записи под подбором пароля")[1].split("</section>")[0]
    assert "Учителева Ульяна" in section and "<td>5</td>" in section
    assert "× 3" in section and "× 2" in section and "198.51.100.1" not in section
    assert small_school.teacher2.last_name not in section and other_school.admin.last_name not in section
    # The delay started is in the log as a lockout of the account.
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT, subject=small_school.teacher).count() == 1


def test_no_section_without_an_attack(client, small_school):
    client.force_login(small_school.admin)
    assert "под подбором пароля" not in client.get("/audit/").content.decode()
