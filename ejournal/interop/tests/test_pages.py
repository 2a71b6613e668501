"""/imports/: the list with the upload form, the preview and result page, commit, cancel, templates."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.accounts.models import Role, User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.interop import services
from ejournal.interop.models import ImportBatch, ImportStatus

from .files import CLASSES_HEADER, STAFF_HEADER, STUDENTS_HEADER, csv_bytes

LIST = "/imports/"
STUDENTS = [STUDENTS_HEADER, ["Петров", "Иван", "Сергеевич", "14.03.2015", "м", "5А", ""]]


def post_file(client, data, name="ученики.csv", kind="students", **extra):
    upload = SimpleUploadedFile(name, data)
    data = {"kind": kind, "year": extra.pop("year", ""), "file": upload, **extra}
    return client.post(reverse("interop:upload"), data)


def make_batch(s, rows=STUDENTS, kind="students"):
    return services.upload(actor=s.admin, kind=kind, file_name="spisok-1.csv", data=csv_bytes(rows), year=s.year)


def test_anonymous_goes_to_login(client, small_school):
    batch = make_batch(small_school)
    for url in (LIST, reverse("interop:detail", args=[batch.pk]), reverse("interop:template", args=["staff", "csv"])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("interop:commit", args=[batch.pk])).status_code == 302


@pytest.mark.parametrize("who", ["deputy", "director", "teacher", "class_teacher", "parent"])
def test_others_get_404_everywhere(client, small_school, who):
    s = small_school
    batch = make_batch(s)
    client.force_login(getattr(s, who))
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("interop:detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("interop:template", args=["staff", "csv"])).status_code == 404
    assert post_file(client, csv_bytes(STUDENTS), year=s.year.pk).status_code == 404
    assert client.post(reverse("interop:commit", args=[batch.pk])).status_code == 404
    assert client.post(reverse("interop:discard", args=[batch.pk])).status_code == 404
    assert not User.objects.filter(last_name="Петров").exists()


def test_another_schools_import_is_404(client, small_school, other_school):
    batch = make_batch(small_school)
    client.force_login(other_school.admin)
    assert client.get(reverse("interop:detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("interop:commit", args=[batch.pk])).status_code == 404
    page = client.get(LIST).content.decode()
    assert "spisok-1.csv" not in page and "Файлов ещё не загружали." in page


def test_upload_preview_commit_and_result(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = post_file(client, csv_bytes(STUDENTS), year=s.year.pk)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("interop:detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Будет создано: 1" in page and "Петров Иван Сергеевич, 14.03.2015" in page
    assert "новый ученик, зачисление в 5А с 01.09.2026" in page and "Импортировать" in page

    response = client.post(reverse("interop:commit", args=[batch.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "импортирован" in page and "Создано: 1" in page
    assert User.objects.filter(last_name="Петров").exists()
    # A second press of the button imports nothing again.
    client.post(reverse("interop:commit", args=[batch.pk]))
    assert User.objects.filter(last_name="Петров").count() == 1


def test_reimport_says_unchanged(client, small_school):
    s = small_school
    client.force_login(s.admin)
    post_file(client, csv_bytes(STUDENTS), year=s.year.pk)
    client.post(reverse("interop:commit", args=[ImportBatch.objects.get().pk]))
    response = post_file(client, csv_bytes(STUDENTS), year=s.year.pk)
    page = client.get(response["Location"]).content.decode()
    assert "без изменений: 1" in page and "Этот же файл уже импортирован раньше" in page


def test_errors_are_listed_by_row_and_column(client, small_school):
    s = small_school
    client.force_login(s.admin)
    rows = [
        STUDENTS_HEADER,
        ["Петров", "Иван", "", "30.02.2015", "", "5А", ""],
        ["@SUM(1)", "Ян", "", "1.1.2015", "", "5А"],
    ]
    response = post_file(client, csv_bytes(rows, encoding="utf-8-sig", delimiter=","), year=s.year.pk)
    page = client.get(response["Location"]).content.decode()
    assert "«30.02.2015» — такой даты нет" in page
    assert "<td>3</td><td>Фамилия</td><td>значение начинается с «@»" in page
    assert "Импортировать</button>" not in page and "Ни одна строка не импортирована" in page


def test_wrong_columns_and_junk_get_a_clear_message(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = post_file(client, csv_bytes([["Имя", "Возраст"], ["Иван", "9"]]), year=s.year.pk)
    page = client.get(response["Location"]).content.decode()
    assert "В файле нет столбцов: «ФИО» (или «Фамилия» и «Имя»), «Дата рождения», «Класс»" in page
    response = post_file(client, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, name="ученики.xlsx", year=s.year.pk)
    assert "не читается как таблица" in client.get(response["Location"]).content.decode()


def test_a_big_file_is_refused_by_its_length_before_reading(client, small_school, settings):
    s = small_school
    settings.IMPORT_MAX_BYTES = 10_000
    client.force_login(s.admin)
    response = post_file(client, b"a;b\r\n" * 40_000, year=s.year.pk)
    assert response.status_code == 413
    assert "больше допустимых 9 КБ" in response.content.decode()
    response = post_file(client, b"a" * 10_001, year=s.year.pk)  # fits the request limit, not the file limit
    assert response.status_code == 413 and "больше допустимых" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_100_mb_request_is_refused_with_the_default_limit(client, small_school):
    client.force_login(small_school.admin)
    upload = SimpleUploadedFile("ученики.csv", csv_bytes(STUDENTS))
    data = {"kind": "students", "year": small_school.year.pk, "file": upload}
    response = client.post(reverse("interop:upload"), data, CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413
    assert "Файл 100,0 МБ — больше допустимых 5,0 МБ" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_date_outside_the_year_is_refused_in_the_form(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = post_file(client, csv_bytes(STUDENTS), year=s.year.pk, start="2030-01-01")
    assert response.status_code == 422 and "вне учебного года 2026/2027" in response.content.decode()


def test_discard(client, small_school):
    s = small_school
    batch = make_batch(s)
    client.force_login(s.admin)
    assert client.post(reverse("interop:discard", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED
    response = client.post(reverse("interop:commit", args=[batch.pk]), follow=True)
    assert "уже отменён" in response.content.decode()


@pytest.mark.parametrize("kind", ["classes", "students", "parents", "staff"])
def test_templates_download_and_read_back(client, small_school, kind):
    from openpyxl import load_workbook

    from ejournal.interop.kinds import SPECS, find_layout
    from ejournal.interop.tables import read_table

    client.force_login(small_school.admin)
    csv_response = client.get(reverse("interop:template", args=[kind, "csv"]))
    assert csv_response["Content-Type"] == "text/csv; charset=windows-1251"
    # The Russian name, written once by core.spreadsheet.download (RFC 5987), no longer shablon-<kind>.csv.
    expected = f"Шаблон импорта — {SPECS[kind].title}.csv"
    assert csv_response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(expected)
    header = csv_response.content.decode("cp1251").splitlines()[0].split(";")
    assert header == list(SPECS[kind].template)
    xlsx = client.get(reverse("interop:template", args=[kind, "xlsx"])).content
    assert [c.value for c in load_workbook(io.BytesIO(xlsx)).worksheets[0][1]] == header
    for data in (csv_response.content, xlsx):
        find_layout(SPECS[kind], read_table(data))  # the template fits its own kind
    assert client.get(reverse("interop:template", args=[kind, "pdf"])).status_code == 404


def test_list_queries_do_not_grow_with_imports(client, small_school, django_assert_max_num_queries):
    s = small_school
    client.force_login(s.admin)
    make_batch(s, [CLASSES_HEADER, ["7", "Б", ""]], kind="classes")
    with django_assert_max_num_queries(8) as few:
        client.get(LIST)
    few_count = len(few)
    for _ in range(5):
        make_batch(s)
    with django_assert_max_num_queries(few_count):
        page = client.get(LIST).content.decode()
    assert page.count("spisok-1.csv") == 6


def test_detail_queries_do_not_grow_with_rows(client, small_school, django_assert_max_num_queries):
    s = small_school
    small = make_batch(s)
    rows = [STUDENTS_HEADER] + [[f"Петров{'а' * i}", "Иван", "", "14.03.2015", "", "5А", ""] for i in range(1, 60)]
    big = make_batch(s, rows)
    client.force_login(s.admin)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("interop:detail", args=[small.pk]))
    few_count = len(few)
    with django_assert_max_num_queries(few_count):
        assert client.get(reverse("interop:detail", args=[big.pk])).status_code == 200


# --- issue 13, part E: a file that gives the director's or the administrator's role -------------------------


def test_a_new_director_asks_for_the_password_on_the_preview(client, small_school):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    rows = [STAFF_HEADER, ["Иванов Иван Иванович", "05.06.1970", "директор, учитель", ""]]
    batch = make_batch(s, rows, kind="staff")
    detail = reverse("interop:detail", args=[batch.pk])
    page = client.get(detail).content.decode()
    assert "Файл выдаёт роль директора: Иванов И. И.; для выполнения введите свой пароль." in page
    assert 'type="password" name="password"' in page

    commit = reverse("interop:commit", args=[batch.pk])
    for extra in ({}, {"password": "не тот"}):
        response = client.post(commit, extra, follow=True)
        assert "Неверный пароль: импорт не выполнен" in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.READY
    assert not User.objects.filter(last_name="Иванов").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED, actor=s.admin).count() == 2

    client.post(commit, {"password": "пароль-администратора"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.report["confirmed"]["by"] == s.admin.pk
    assert User.objects.get(last_name="Иванов").roles == {Role.DIRECTOR, Role.TEACHER}
    assert "введите свой пароль" not in client.get(detail).content.decode()


def test_a_teachers_file_asks_for_no_password(client, small_school):
    client.force_login(small_school.admin)
    batch = make_batch(small_school, [STAFF_HEADER, ["Иванов Иван Иванович", "05.06.1970", "учитель", ""]], "staff")
    page = client.get(reverse("interop:detail", args=[batch.pk])).content.decode()
    assert "Файл выдаёт" not in page and 'name="password"' not in page
