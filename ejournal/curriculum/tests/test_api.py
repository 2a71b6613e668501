"""REST API of curriculum and timetable: allowed and denied users for every endpoint, domain errors as JSON."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.test import APIClient

from ejournal.curriculum import services
from ejournal.curriculum.models import (
    CurriculumHours,
    Lesson,
    LessonStatus,
    PlannedTopic,
    TimetableSlot,
)

from .conftest import AUTUMN_HOLIDAY, MONDAY, TUESDAY, lesson_of

API = "/api/v1"


@pytest.fixture
def api():
    return APIClient()


def as_(api, user):
    api.force_authenticate(user)
    return api


def results(r):
    body = r.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


# --- anonymous ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/subjects/"),
        ("get", "/curriculum-hours/"),
        ("get", "/assignments/"),
        ("get", "/bells/"),
        ("get", "/timetable-slots/"),
        ("post", "/timetable/generate/"),
        ("get", "/lessons/"),
        ("post", "/extra-lessons/"),
    ],
)
def test_anonymous_gets_403(api, small_school, method, path):
    assert getattr(api, method)(API + path).status_code == 403


# --- subjects and the curriculum -----------------------------------------------------------------------


def test_subjects_list_and_create(api, small_school, other_school):
    s = small_school
    names = [x["name"] for x in results(as_(api, s.teacher).get(API + "/subjects/"))]
    assert names == ["Математика", "Русский язык"]
    assert as_(api, s.teacher).post(API + "/subjects/", {"name": "Физика"}).status_code == 404
    r = as_(api, s.deputy).post(API + "/subjects/", {"name": "Физика", "short_name": "Физ", "pass_fail": False})
    assert r.status_code == 201 and r.json()["short_name"] == "Физ"
    r = as_(api, s.deputy).post(API + "/subjects/", {"name": "Физика"})
    assert r.status_code == 422 and r.json()["message"] == "Предмет «Физика» уже есть."
    assert [x["name"] for x in results(as_(api, other_school.admin).get(API + "/subjects/"))] == [
        "Математика",
        "Русский язык",
    ]


def test_curriculum_hours_put_and_list(api, small_school, other_school):
    s = small_school
    cell = {"year": s.year.pk, "grade": 5, "subject": s.math.pk, "hours_per_week": "5.0"}
    r = as_(api, s.admin).put(API + "/curriculum-hours/", cell, format="json")
    assert r.status_code == 200 and r.json()["hours_per_week"] == "5.0"
    listed = results(as_(api, s.director).get(API + f"/curriculum-hours/?year={s.year.pk}"))
    assert [(x["grade"], x["subject"]) for x in listed] == [(5, s.math.pk)]
    assert as_(api, s.director).put(API + "/curriculum-hours/", cell, format="json").status_code == 404
    assert as_(api, s.teacher).get(API + "/curriculum-hours/").status_code == 404
    assert results(as_(api, other_school.admin).get(API + "/curriculum-hours/")) == []
    foreign = dict(cell, year=other_school.year.pk)
    assert as_(api, s.admin).put(API + "/curriculum-hours/", foreign, format="json").status_code == 400
    r = as_(api, s.admin).put(API + "/curriculum-hours/", dict(cell, hours_per_week="0"), format="json")
    assert r.status_code == 204 and not CurriculumHours.objects.exists()
    r = as_(api, s.admin).get(API + "/curriculum-hours/?year=abc")
    assert r.status_code == 400 and list(r.json()["fields"]) == ["year"]


# --- assignments --------------------------------------------------------------------------------------------


def test_assignments_scope_and_filters(api, small_school, other_school):
    s = small_school
    everything = results(as_(api, s.director).get(API + "/assignments/"))
    assert {x["id"] for x in everything} == {s.math_5a.pk, s.russian_5a.pk}
    own = results(as_(api, s.teacher).get(API + "/assignments/"))
    assert [x["id"] for x in own] == [s.math_5a.pk]
    led = results(as_(api, s.class_teacher).get(API + "/assignments/"))  # classroom teacher of 5А reads its load
    assert {x["id"] for x in led} == {s.math_5a.pk, s.russian_5a.pk}
    assert results(as_(api, s.students_5a[0]).get(API + "/assignments/")) == []
    assert results(as_(api, other_school.admin).get(API + f"/assignments/?class={s.class_5a.pk}")) == []
    filtered = results(as_(api, s.admin).get(API + f"/assignments/?teacher={s.teacher2.pk}&class={s.class_5a.pk}"))
    assert [x["subject_name"] for x in filtered] == ["Русский язык"]
    assert as_(api, s.teacher).get(API + f"/assignments/{s.russian_5a.pk}/").status_code == 404
    assert as_(api, other_school.admin).get(API + f"/assignments/{s.math_5a.pk}/").status_code == 404


def test_assignment_create_and_end(api, small_school, other_school):
    s = small_school
    body = {"teacher": s.class_teacher.pk, "class_group": s.class_10a.pk, "subject": s.math.pk, "start": "2026-09-01"}
    assert as_(api, s.teacher).post(API + "/assignments/", body).status_code == 404
    assert as_(api, s.director).post(API + "/assignments/", body).status_code == 404
    r = as_(api, s.admin).post(API + "/assignments/", body)
    assert r.status_code == 201 and r.json()["class_name"] == "10А"
    pk = r.json()["id"]
    r = as_(api, s.admin).post(API + "/assignments/", body)
    assert r.status_code == 422 and "уже ведёт «Математика» в 10А" in r.json()["message"]
    assert (
        as_(api, other_school.admin).post(API + f"/assignments/{pk}/end/", {"last_day": "2026-12-30"}).status_code
        == 404
    )
    assert (
        as_(api, s.class_teacher).post(API + f"/assignments/{pk}/end/", {"last_day": "2026-12-30"}).status_code == 404
    )
    r = as_(api, s.admin).post(API + f"/assignments/{pk}/end/", {"last_day": "2026-12-30"})
    assert r.status_code == 200 and r.json()["end"] == "2026-12-30"
    r = as_(api, s.admin).post(API + f"/assignments/{pk}/end/", {"last_day": "2026-08-30"})
    assert r.status_code == 422
    foreign = dict(body, teacher=other_school.teacher.pk)
    assert as_(api, s.admin).post(API + "/assignments/", foreign).status_code == 400


# --- bells, the weekly grid, generation -----------------------------------------------------------------------


def test_bells_for_everyone_of_the_school(api, small_school):
    bells = as_(api, small_school.students_5a[0]).get(API + "/bells/").json()
    assert [b["number"] for b in bells] == list(range(1, 8)) and bells[0]["starts_at"] == "08:00:00"


def test_slots_create_conflict_list_delete(api, small_school, other_school):
    s = small_school
    body = {"year": s.year.pk, "assignment": s.math_5a.pk, "weekday": 1, "number": 1, "room": "21"}
    assert as_(api, s.teacher).post(API + "/timetable-slots/", body).status_code == 404
    r = as_(api, s.admin).post(API + "/timetable-slots/", body)
    assert r.status_code == 201 and r.json()["class_group"] == s.class_5a.pk
    slot_id = r.json()["id"]
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=physics)
    r = as_(api, s.admin).post(API + "/timetable-slots/", dict(body, assignment=physics_10a.pk, room=""))
    assert r.status_code == 422
    assert r.json()["message"] == "Пн, 1-й урок: Учителева У. уже ведёт урок «Математика» в 5А."
    assert set(r.json()) == {"code", "message", "fields"}
    assert not TimetableSlot.objects.filter(assignment=physics_10a).exists()
    assert [x["id"] for x in results(as_(api, s.teacher).get(API + f"/timetable-slots/?class={s.class_5a.pk}"))] == [
        slot_id
    ]
    assert results(as_(api, s.teacher2).get(API + "/timetable-slots/")) == []
    assert results(as_(api, s.parent).get(API + "/timetable-slots/")) == []
    assert as_(api, other_school.admin).delete(API + f"/timetable-slots/{slot_id}/").status_code == 404
    assert as_(api, s.director).delete(API + f"/timetable-slots/{slot_id}/").status_code == 404
    assert as_(api, s.deputy).delete(API + f"/timetable-slots/{slot_id}/").status_code == 204
    assert not TimetableSlot.objects.exists()


def test_generate(api, small_school, other_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    assert as_(api, s.teacher).post(API + "/timetable/generate/", {"year": s.year.pk}).status_code == 404
    assert as_(api, s.director).post(API + "/timetable/generate/", {"year": s.year.pk}).status_code == 404
    assert as_(api, other_school.admin).post(API + "/timetable/generate/", {"year": s.year.pk}).status_code == 400
    r = as_(api, s.admin).post(API + "/timetable/generate/", {"year": s.year.pk, "class_group": s.class_5a.pk})
    assert r.status_code == 200
    assert r.json() == {"created": Lesson.objects.count(), "removed": 0, "kept": 0, "skipped": 0}
    assert Lesson.objects.count() > 25
    r = as_(api, s.admin).post(API + "/timetable/generate/", {"year": s.year.pk, "since": "2027-01-01"})
    assert r.json()["created"] == 0 and r.json()["kept"] > 10


# --- lessons and their changes -------------------------------------------------------------------------------


def test_lessons_list_scopes(api, timetabled, other_school):
    s = timetabled
    day = f"?date={MONDAY.isoformat()}"
    assert len(results(as_(api, s.director).get(API + "/lessons/" + day))) == 2
    assert [x["subject_name"] for x in results(as_(api, s.teacher).get(API + "/lessons/" + day))] == ["Математика"]
    assert len(results(as_(api, s.students_5a[0]).get(API + "/lessons/" + day))) == 2
    assert len(results(as_(api, s.parent).get(API + "/lessons/" + day))) == 2
    assert results(as_(api, s.students_10a[0]).get(API + "/lessons/" + day)) == []
    assert results(as_(api, other_school.admin).get(API + "/lessons/" + day)) == []
    by_teacher = results(as_(api, s.admin).get(API + f"/lessons/?from=2026-09-07&to=2026-09-13&teacher={s.teacher.pk}"))
    assert [(x["date"], x["number"]) for x in by_teacher] == [("2026-09-07", 1), ("2026-09-09", 2)]
    assert as_(api, s.admin).get(API + "/lessons/?date=7.9.2026").status_code == 400
    lesson = lesson_of(s.russian_5a, MONDAY)
    assert as_(api, s.teacher).get(API + f"/lessons/{lesson.pk}/").status_code == 404
    assert as_(api, other_school.admin).get(API + f"/lessons/{lesson.pk}/").status_code == 404


def test_replace_and_the_substitute_sees_it(api, timetabled, other_school):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    path = API + f"/lessons/{lesson.pk}/replace/"
    assert as_(api, s.teacher).post(path, {"substitute": s.teacher2.pk}).status_code == 404
    assert as_(api, other_school.admin).post(path, {"substitute": s.teacher2.pk}).status_code == 404
    assert as_(api, s.admin).post(path, {"substitute": other_school.teacher.pk}).status_code == 400
    assert as_(api, s.teacher2).get(API + f"/lessons/{lesson.pk}/").status_code == 404
    r = as_(api, s.admin).post(path, {"substitute": s.class_teacher.pk, "note": "болезнь"}, format="json")
    assert r.status_code == 200 and r.json()["substitute_name"] == "Классова К."
    # Another substitute instead: Педагогов is free at the 1st lesson (his Russian is at the 2nd).
    r = as_(api, s.admin).post(path, {"substitute": s.teacher2.pk}, format="json")
    assert r.status_code == 200
    assert as_(api, s.teacher2).get(API + f"/lessons/{lesson.pk}/").status_code == 200
    assert lesson.pk in [x["id"] for x in results(as_(api, s.teacher2).get(API + f"/lessons/?teacher={s.teacher2.pk}"))]
    r = as_(api, s.admin).post(path, {"substitute": None}, format="json")
    assert r.status_code == 200 and r.json()["substitute"] is None


def test_replacement_by_a_busy_teacher_is_refused(api, timetabled):
    s = timetabled
    lesson = lesson_of(s.russian_5a, MONDAY)  # 2nd lesson
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(
        actor=s.admin, teacher=s.class_teacher, class_group=s.class_10a, subject=physics
    )
    services.add_extra_lesson(actor=s.admin, assignment=physics_10a, day=MONDAY, number=2)
    r = as_(api, s.admin).post(
        API + f"/lessons/{lesson.pk}/replace/", {"substitute": s.class_teacher.pk}, format="json"
    )
    assert r.status_code == 422
    assert r.json()["message"] == "07.09.2026, 2-й урок: Классова К. в это время ведёт «Физика» в 10А."
    lesson.refresh_from_db()
    assert lesson.substitute is None


def test_cancel_restore_move(api, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    base = API + f"/lessons/{lesson.pk}"
    assert as_(api, s.teacher).post(base + "/cancel/", {"reason": "x"}).status_code == 404
    assert as_(api, s.admin).post(base + "/cancel/", {}).status_code == 400
    r = as_(api, s.admin).post(base + "/cancel/", {"reason": "карантин"})
    assert r.status_code == 200 and r.json()["status"] == LessonStatus.CANCELLED
    r = as_(api, s.admin).post(base + "/move/", {"date": TUESDAY.isoformat(), "number": 3})
    assert r.status_code == 422 and "Отменённый урок перенести нельзя" in r.json()["message"]
    assert as_(api, s.admin).post(base + "/restore/").json()["status"] == LessonStatus.PLANNED
    r = as_(api, s.admin).post(base + "/move/", {"date": AUTUMN_HOLIDAY.isoformat(), "number": 3})
    assert r.status_code == 422 and r.json()["message"] == "26.10.2026 — Осенние каникулы для 5А: уроков нет."
    r = as_(api, s.admin).post(base + "/move/", {"date": TUESDAY.isoformat(), "number": 3, "note": "экскурсия"})
    assert r.status_code == 200
    body = r.json()
    assert (body["date"], body["number"], body["origin"], body["moved_from"]) == (
        "2026-09-08",
        3,
        "moved",
        "2026-09-07",
    )
    assert services.generate_lessons(actor=s.admin, year=s.year).created == 0


def test_extra_lessons(api, timetabled, other_school):
    s = timetabled
    body = {"assignment": s.math_5a.pk, "date": TUESDAY.isoformat(), "number": 5, "note": "консультация"}
    assert as_(api, s.teacher).post(API + "/extra-lessons/", body).status_code == 404
    assert as_(api, other_school.admin).post(API + "/extra-lessons/", body).status_code == 400
    r = as_(api, s.admin).post(API + "/extra-lessons/", body)
    assert r.status_code == 201 and r.json()["origin"] == "extra"
    r = as_(api, s.admin).post(API + "/extra-lessons/", dict(body, date=AUTUMN_HOLIDAY.isoformat()))
    assert r.status_code == 422 and "Осенние каникулы" in r.json()["message"]
    r = as_(api, s.admin).post(
        API + "/extra-lessons/", dict(body, assignment=s.russian_5a.pk, date=MONDAY.isoformat(), number=1)
    )
    assert r.status_code == 422 and "у 5А в это время уже «Математика»" in r.json()["message"]


# --- КТП -------------------------------------------------------------------------------------------------------


def test_planned_topics_upload_and_list(api, small_school, other_school):
    s = small_school
    path = API + f"/assignments/{s.math_5a.pk}/planned-topics/"
    good = SimpleUploadedFile("ktp.csv", "№;Тема;Часы\r\n1;Дроби;2\r\n".encode("cp1251"))
    r = as_(api, s.teacher).post(path, {"file": good}, format="multipart")
    assert r.status_code == 201 and r.json() == [{"id": r.json()[0]["id"], "position": 1, "title": "Дроби", "hours": 2}]
    assert as_(api, s.teacher).get(path).json()[0]["title"] == "Дроби"
    assert as_(api, s.director).get(path).status_code == 200
    broken = SimpleUploadedFile("ktp.csv", "№;Тема;Часы\r\n1;Проценты;1\r\n2;Уравнения;0\r\n".encode("cp1251"))
    r = as_(api, s.teacher).post(path, {"file": broken}, format="multipart")
    assert r.status_code == 422 and r.json()["errors"] == ["строка 3: часы «0» — нужно целое от 1 до 50"]
    assert list(PlannedTopic.objects.values_list("title", flat=True)) == ["Дроби"]
    for user in (s.teacher2, s.students_5a[0], other_school.admin):
        assert as_(api, user).get(path).status_code == 404
    again = SimpleUploadedFile("ktp.csv", "№;Тема;Часы\r\n1;Взлом;1\r\n".encode("cp1251"))
    assert as_(api, s.director).post(path, {"file": again}, format="multipart").status_code == 404
    assert list(PlannedTopic.objects.values_list("title", flat=True)) == ["Дроби"]
    xlsx = io.BytesIO()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["№", "Тема", "Часы"])
    sheet.append([1, "Степени", 4])
    book.save(xlsx)
    r = as_(api, s.deputy).post(path, {"file": SimpleUploadedFile("k.xlsx", xlsx.getvalue())}, format="multipart")
    assert r.status_code == 201 and r.json()[0]["title"] == "Степени"


def test_schema_lists_the_endpoints(api, small_school):
    r = as_(api, small_school.admin).get(API + "/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    for endpoint in ("/api/v1/lessons/{id}/replace/", "/api/v1/timetable/generate/", "/api/v1/curriculum-hours/"):
        assert endpoint in text


def test_lesson_list_queries_do_not_grow(api, timetabled, django_assert_max_num_queries):
    s = timetabled
    c = as_(api, s.admin)
    with django_assert_max_num_queries(8) as few:
        c.get(API + "/lessons/?from=2026-09-01&to=2026-09-30")
    for i in range(3):
        subject = services.create_subject(actor=s.admin, name=f"Предмет {i}")
        a = services.create_assignment(actor=s.admin, teacher=s.class_teacher, class_group=s.class_10a, subject=subject)
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=i + 2, number=4)
    services.generate_lessons(actor=s.admin, year=s.year)
    services.replace_teacher(actor=s.admin, lesson=lesson_of(s.math_5a, MONDAY), substitute=s.teacher2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(API + "/lessons/?from=2026-09-01&to=2026-09-30")
