"""КТП: a teacher's plans against the curriculum, upload from CSV (cp1251 «;», UTF-8 with BOM «,») and XLSX,
row-by-row errors that save nothing, the template."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ejournal.curriculum import plans, services
from ejournal.curriculum.models import Lesson, PlannedTopic

from .conftest import MONDAY, as_user, url


def csv_file(text: str, encoding: str, name: str = "ktp.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "ktp.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def titles(assignment) -> list[tuple[str, int]]:
    return list(PlannedTopic.objects.filter(assignment=assignment).order_by("position").values_list("title", "hours"))


CP1251 = "№;Тема;Часы\r\n1;Натуральные числа, повторение;2\r\n2;Дроби;3\r\n3;Контрольная работа;1\r\n"
UTF8 = '№,Тема,Часы\n1,"Натуральные числа, повторение",2\n2,Дроби,3\n3,Контрольная работа,1\n'
EXPECTED = [("Натуральные числа, повторение", 2), ("Дроби", 3), ("Контрольная работа", 1)]


def test_teacher_sees_own_plans_against_curriculum_hours(client, timetabled):
    s = timetabled
    services.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(5))
    r = as_user(client, s.teacher).get(url("plans", year=s.year.pk))
    assert r.status_code == 200
    text = r.content.decode()
    assert url("plan_detail", s.math_5a.pk) in text
    assert url("plan_detail", s.russian_5a.pk) not in text  # Педагогов's
    assert '170 <span class="muted">(5 ч × 34 нед.)</span>' in text
    assert "меньше плана" in text


def test_teacher_without_load_sees_an_empty_list(client, small_school):
    r = as_user(client, small_school.class_teacher).get(url("plans"))
    assert r.status_code == 200 and "Нагрузки в этом учебном году нет." in r.content.decode()


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_sees_every_plan(client, small_school, who):
    s = small_school
    text = as_user(client, getattr(s, who)).get(url("plans")).content.decode()
    assert url("plan_detail", s.math_5a.pk) in text and url("plan_detail", s.russian_5a.pk) in text


def test_students_parents_and_anonymous_are_refused(client, small_school):
    s = small_school
    for who in (s.students_5a[0], s.parent):
        client.force_login(who)
        assert client.get(url("plans")).status_code == 404
        assert client.get(url("plan_detail", s.math_5a.pk)).status_code == 404
        assert client.get(url("plan_template")).status_code == 404
    client.logout()
    assert client.get(url("plans")).status_code == 302


def test_teacher_cannot_open_another_teachers_plan(client, small_school, other_school):
    s = small_school
    c = as_user(client, s.teacher)
    assert c.get(url("plan_detail", s.russian_5a.pk)).status_code == 404
    assert c.post(url("plan_detail", s.russian_5a.pk), {"file": csv_file(CP1251, "cp1251")}).status_code == 404
    assert c.get(url("plan_export", s.russian_5a.pk)).status_code == 404
    client.force_login(other_school.admin)
    assert client.get(url("plan_detail", s.math_5a.pk)).status_code == 404
    assert client.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(CP1251, "cp1251")}).status_code == 404
    assert not PlannedTopic.objects.exists()


def test_upload_csv_cp1251_with_semicolons(client, small_school):
    s = small_school
    r = as_user(client, s.teacher).post(url("plan_detail", s.math_5a.pk), {"file": csv_file(CP1251, "cp1251")})
    assert r.status_code == 302
    assert titles(s.math_5a) == EXPECTED
    page = client.get(url("plan_detail", s.math_5a.pk)).content.decode()
    assert "КТП загружено: тем 3, часов 6." in page and "Натуральные числа, повторение" in page


def test_upload_csv_utf8_with_bom_and_commas(client, small_school):
    s = small_school
    r = as_user(client, s.teacher).post(url("plan_detail", s.math_5a.pk), {"file": csv_file(UTF8, "utf-8-sig")})
    assert r.status_code == 302
    assert titles(s.math_5a) == EXPECTED


def test_upload_real_xlsx_with_a_title_row(client, small_school):
    s = small_school
    rows: list[list[object]] = [
        ["КТП по математике, 5 класс"],
        [],
        ["№", "Тема урока", "Кол-во часов"],
        [1, "Натуральные числа, повторение", 2],
        [2, "Дроби", 3.0],
        [3, "Контрольная работа", None],
    ]
    r = as_user(client, s.teacher).post(url("plan_detail", s.math_5a.pk), {"file": xlsx_file(rows)})
    assert r.status_code == 302
    assert titles(s.math_5a) == EXPECTED


def test_broken_row_is_named_and_nothing_is_saved(client, small_school):
    s = small_school
    c = as_user(client, s.teacher)
    c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(CP1251, "cp1251")})
    broken = "№;Тема;Часы\r\n1;Повторение;1\r\n\r\n3;Дроби;два\r\n4;;1\r\n5;=HYPERLINK(1);1\r\n"
    r = c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(broken, "cp1251")})
    assert r.status_code == 422
    text = r.content.decode()
    # Row numbers are the spreadsheet's: the empty 3rd row still counts.
    assert "строка 4: часы «два» — не число" in text
    assert "строка 5: пустая тема" in text
    assert "строка 6: тема начинается с «=» (формула?)" in text
    assert "ничего не изменилось" in text
    assert titles(s.math_5a) == EXPECTED


def test_broken_xlsx_row_and_broken_file(client, small_school):
    s = small_school
    c = as_user(client, s.teacher)
    r = c.post(url("plan_detail", s.math_5a.pk), {"file": xlsx_file([["№", "Тема", "Часы"], [1, "Дроби", 2.5]])})
    assert r.status_code == 422 and "строка 2: часы «2.5» — нужно целое от 1 до 50" in r.content.decode()
    r = c.post(url("plan_detail", s.math_5a.pk), {"file": SimpleUploadedFile("ktp.xlsx", b"PK\x03\x04 broken")})
    assert r.status_code == 422 and "файл не читается как XLSX" in r.content.decode()
    r = c.post(url("plan_detail", s.math_5a.pk), {"file": SimpleUploadedFile("ktp.xls", b"\xd0\xcf\x11\xe0old")})
    assert r.status_code == 422 and "сохраните файл как .xlsx или .csv" in r.content.decode()
    r = c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file("Номер;Название\r\n1;x\r\n", "cp1251")})
    assert r.status_code == 422 and "нет столбца «Тема»" in r.content.decode()
    assert not PlannedTopic.objects.exists()


def test_director_reads_but_cannot_upload_deputy_uploads_for_the_teacher(client, small_school):
    s = small_school
    c = as_user(client, s.director)
    r = c.get(url("plan_detail", s.math_5a.pk))
    assert r.status_code == 200 and 'type="file"' not in r.content.decode()
    assert c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(CP1251, "cp1251")}).status_code == 404
    client.force_login(s.deputy)
    assert client.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(CP1251, "cp1251")}).status_code == 302
    assert titles(s.math_5a) == EXPECTED


def test_template_is_cp1251_with_semicolons_and_export_round_trips(client, small_school):
    s = small_school
    c = as_user(client, s.teacher)
    r = c.get(url("plan_template"))
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=windows-1251"
    assert r.content.decode("cp1251") == "№;Тема;Часы\r\n"
    # The Russian name, written once by core.spreadsheet.download (RFC 5987), no longer ktp-shablon.csv.
    assert r["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("КТП — шаблон.csv")
    c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(UTF8, "utf-8-sig")})
    export = c.get(url("plan_export", s.math_5a.pk))
    assert export["Content-Disposition"].endswith(quote("КТП 5А Математика.csv"))
    exported = export.content
    assert exported.decode("cp1251").startswith("№;Тема;Часы\r\n1;Натуральные числа, повторение;2\r\n")
    assert [(t.title, t.hours) for t in plans.read_plan_file("ktp.csv", exported)] == EXPECTED


def test_reupload_keeps_lessons_linked_to_their_topics(client, timetabled):
    s = timetabled
    c = as_user(client, s.teacher)
    c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(CP1251, "cp1251")})
    lesson = Lesson.objects.get(assignment=s.math_5a, date=MONDAY)
    test_topic = PlannedTopic.objects.get(assignment=s.math_5a, title="Контрольная работа")
    Lesson.objects.filter(pk=lesson.pk).update(planned_topic=test_topic)
    revised = "№;Тема;Часы\r\n1;Повторение;1\r\n2;Дроби;3\r\n3;Контрольная работа;1\r\n4;Проценты;4\r\n"
    assert c.post(url("plan_detail", s.math_5a.pk), {"file": csv_file(revised, "cp1251")}).status_code == 302
    lesson.refresh_from_db()
    assert lesson.planned_topic is not None and lesson.planned_topic.title == "Контрольная работа"
    assert lesson.planned_topic.position == 3
    text = c.get(url("plan_detail", s.math_5a.pk)).content.decode()
    assert "<td>Контрольная работа</td><td>1</td><td>1</td>" in text


def test_plans_page_queries_do_not_grow(client, small_school, django_assert_max_num_queries):
    s = small_school
    c = as_user(client, s.admin)
    with django_assert_max_num_queries(18) as few:
        c.get(url("plans", year=s.year.pk))
    for i in range(5):
        subject = services.create_subject(actor=s.admin, name=f"Предмет {i}")
        a = services.create_assignment(actor=s.admin, teacher=s.teacher2, class_group=s.class_10a, subject=subject)
        services.set_curriculum_hours(actor=s.admin, year=s.year, grade=10, subject=subject, hours_per_week=Decimal(2))
        plans.import_plan(actor=s.admin, assignment=a, filename="k.csv", data=CP1251.encode("cp1251"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(url("plans", year=s.year.pk))
