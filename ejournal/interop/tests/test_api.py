"""/api/v1/imports/: upload with the preview report, detail, commit (202), cancel, list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.interop import services
from ejournal.interop.models import ImportBatch

from .files import STAFF_HEADER, STUDENTS_HEADER, csv_bytes, xlsx_bytes

URL = "/api/v1/imports/"
STAFF = [STAFF_HEADER, ["Иванова Мария Петровна", "05.06.1980", "учитель", ""]]


def upload(client, data, kind="staff", name="staff.csv", **extra):
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra})


def test_anonymous_gets_403(client, small_school):
    batch = services.upload(
        actor=small_school.admin, kind="staff", file_name="s.csv", data=csv_bytes(STAFF), year=small_school.year
    )
    assert client.get(URL).status_code == 403
    assert upload(client, csv_bytes(STAFF)).status_code == 403
    assert client.post(f"{URL}{batch.pk}/commit/").status_code == 403


@pytest.mark.parametrize("who", ["deputy", "director", "teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    s = small_school
    batch = services.upload(actor=s.admin, kind="staff", file_name="s.csv", data=csv_bytes(STAFF), year=s.year)
    client.force_login(getattr(s, who))
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}{batch.pk}/").status_code == 404
    assert upload(client, csv_bytes(STAFF)).status_code == 404
    assert client.post(f"{URL}{batch.pk}/commit/").status_code == 404
    assert not User.objects.filter(last_name="Иванова").exists()


def test_other_schools_admin_gets_404(client, small_school, other_school):
    s = small_school
    batch = services.upload(actor=s.admin, kind="staff", file_name="s.csv", data=csv_bytes(STAFF), year=s.year)
    client.force_login(other_school.admin)
    assert client.get(f"{URL}{batch.pk}/").status_code == 404
    assert client.post(f"{URL}{batch.pk}/commit/").status_code == 404
    assert client.get(URL).json()["count"] == 0


def test_upload_report_then_commit_then_list(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = upload(client, xlsx_bytes(STAFF), name="staff.xlsx")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["year"], body["start"]) == ("ready", s.year.pk, "2026-09-01")
    assert body["report"]["rows"] == [
        {
            "row": 2,
            "action": "create",
            "label": "Иванова Мария Петровна, 05.06.1980",
            "changes": ["новый сотрудник: учитель"],
            "errors": [],
            "confirm": [],
        }
    ]
    assert body["needs_password"] is False and body["report"]["confirm"] == []
    response = client.post(f"{URL}{body['id']}/commit/")
    assert response.status_code == 202
    assert response.json()["status"] == "committed"  # the test settings run the worker's task at once
    assert User.objects.get(last_name="Иванова").has_role("teacher")
    assert client.post(f"{URL}{body['id']}/commit/").status_code == 409
    listed = client.get(URL).json()
    assert [(b["id"], b["status"], b["created_count"]) for b in listed["results"]] == [(body["id"], "committed", 1)]
    assert "report" not in listed["results"][0]


def test_errors_come_back_row_by_row(client, small_school):
    client.force_login(small_school.admin)
    rows = [STUDENTS_HEADER, ["Петров", "Иван", "", "1.13.2015", "", "15Б", ""]]
    body = upload(client, csv_bytes(rows), kind="students").json()
    assert body["status"] == "rejected"
    assert body["report"]["rows"][0]["errors"] == [
        {"column": "Дата рождения", "message": "«1.13.2015» — такой даты нет"},
        {"column": "Класс", "message": "параллель 15 вне 1–11"},
    ]
    assert client.post(f"{URL}{body['id']}/commit/").status_code == 409


def test_bad_requests_get_russian_messages(client, small_school, settings):
    client.force_login(small_school.admin)
    body = upload(client, b"\x00\x01binary", name="x.csv").json()
    assert "не читается как таблица" in body["report"]["file_error"]
    assert upload(client, csv_bytes(STAFF), kind="marks").status_code == 400
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(client, b"x" * 200_000)
    assert response.status_code == 413 and "больше допустимых" in response.json()["message"]
    assert ImportBatch.objects.count() == 1


def test_a_100_mb_request_is_refused_before_reading(client, small_school):
    client.force_login(small_school.admin)
    data = {"kind": "staff", "file": SimpleUploadedFile("s.csv", csv_bytes(STAFF))}
    response = client.post(URL, data, CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413 and "Файл 100,0 МБ — больше допустимых 5,0 МБ" in response.json()["message"]
    assert not ImportBatch.objects.exists()


def test_discard(client, small_school):
    client.force_login(small_school.admin)
    body = upload(client, csv_bytes(STAFF)).json()
    response = client.post(f"{URL}{body['id']}/discard/")
    assert response.status_code == 200 and response.json()["status"] == "discarded"
    assert client.post(f"{URL}{body['id']}/commit/").status_code == 409


def test_list_queries_are_constant(client, small_school, django_assert_max_num_queries):
    s = small_school
    client.force_login(s.admin)
    upload(client, csv_bytes(STAFF))
    with django_assert_max_num_queries(6) as few:
        client.get(URL)
    few_count = len(few)
    for _ in range(4):
        upload(client, csv_bytes(STAFF))
    with django_assert_max_num_queries(few_count):
        assert client.get(URL).json()["count"] == 5


def test_schema_has_no_warnings():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from ejournal.api.v1 import imports as api

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include(api.urlpatterns))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    assert set(schema["paths"]) == {
        "/api/v1/imports/",
        "/api/v1/imports/{id}/",
        "/api/v1/imports/{id}/commit/",
        "/api/v1/imports/{id}/discard/",
    }
    assert "multipart/form-data" in schema["paths"]["/api/v1/imports/"]["post"]["requestBody"]["content"]


# --- issue 13, part E: a file that gives the director's or the administrator's role -------------------------


def test_a_new_director_by_the_api_needs_the_password(client, small_school):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    rows = [STAFF_HEADER, ["Иванов Иван Иванович", "05.06.1970", "директор", ""]]
    body = upload(client, csv_bytes(rows)).json()
    assert body["needs_password"] is True
    assert body["report"]["confirm"] == [{"row": 2, "roles": ["director"], "name": "Иванов И. И."}]
    commit = f"{URL}{body['id']}/commit/"
    for extra in ({}, {"password": "не тот"}):
        response = client.post(commit, extra, content_type="application/json")
        assert response.status_code == 422 and "Неверный пароль: импорт не выполнен" in str(response.json())
    assert ImportBatch.objects.get(pk=body["id"]).status == "ready"
    assert not User.objects.filter(last_name="Иванов").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED, actor=s.admin).count() == 2
    response = client.post(commit, {"password": "пароль-администратора"}, content_type="application/json")
    assert response.status_code == 202 and response.json()["status"] == "committed"
    assert User.objects.get(last_name="Иванов").roles == {"director"}


def test_an_added_administrators_role_by_the_api(client, small_school):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    teacher = s.teacher
    teacher.birth_date = dt.date(1985, 2, 3)
    teacher.save(update_fields=["birth_date"])
    rows = [STAFF_HEADER, [teacher.full_name, "03.02.1985", "учитель, администратор", ""]]
    body = upload(client, csv_bytes(rows)).json()
    assert body["needs_password"] is True and body["report"]["rows"][0]["confirm"] == ["admin"]
    commit = f"{URL}{body['id']}/commit/"
    assert client.post(commit, {"password": "не тот"}, content_type="application/json").status_code == 422
    assert not User.objects.get(pk=teacher.pk).has_role("admin")
    response = client.post(commit, {"password": "пароль-администратора"}, content_type="application/json")
    # Before: the worker's grant_role had no password to pass and failed the whole import.
    assert response.status_code == 202 and response.json()["status"] == "committed"
    assert User.objects.get(pk=teacher.pk).has_role("admin")
