"""The diary's REST API (/api/v1/diary/): the same users and scopes as the pages, read-only."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.accounts import services as people

from .conftest import TODAY


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def urls(diary, student=None):
    sid = (student or diary.child).pk
    return {
        "week": reverse("api-diary-week", args=[sid]),
        "marks": reverse("api-diary-marks", args=[sid]),
        "homework": reverse("api-diary-homework", args=[sid]),
        "item": reverse("api-diary-homework-item", args=[sid, diary.upcoming.pk]),
        "results": reverse("api-diary-results", args=[sid]),
    }


def test_students_of_a_parent_and_of_a_student(api, diary):
    s = diary.s
    people.link_parent(actor=s.admin, parent=s.parent, child=s.students_10a[0])
    api.force_authenticate(s.parent)
    found = api.get(reverse("api-diary-students")).json()
    assert {item["id"] for item in found} == {diary.child.pk, s.students_10a[0].pk}
    assert not any(item["own"] for item in found)
    api.force_authenticate(diary.child)
    assert api.get(reverse("api-diary-students")).json() == [
        {"id": diary.child.pk, "last_name": diary.child.last_name, "first_name": diary.child.first_name, "own": True}
    ]
    api.force_authenticate(s.teacher)
    assert api.get(reverse("api-diary-students")).json() == []


def test_week(api, diary):
    api.force_authenticate(diary.s.parent)
    data = api.get(urls(diary)["week"], {"week": "2026-12-16"}).json()
    assert data["monday"] == "2026-12-14" and len(data["days"]) == 6
    monday = data["days"][0]
    assert monday["class_name"] == "5А"
    math = monday["lessons"][0]
    assert math["subject"] == "Математика" and math["starts_at"] == "08:00:00"
    assert [(m["value"], m["kind"], m["weight"]) for m in math["marks"]] == [
        ("5", "Ответ на уроке", "1.00"),
        ("4", "Ответ на уроке", "1.00"),
    ]
    tuesday = data["days"][1]["lessons"][0]
    assert tuesday["homework"][0]["text"] == "Упражнение 125" and tuesday["homework"][0]["due_date"] == "2026-12-22"


def test_week_files_and_default_week(api, diary):
    api.force_authenticate(diary.child)
    data = api.get(urls(diary)["week"]).json()
    assert data["monday"] == str(TODAY - dt.timedelta(days=TODAY.weekday()))
    files = [f for d in data["days"] for lesson in d["lessons"] for hw in lesson["homework"] for f in hw["files"]]
    assert files == [
        {
            "id": diary.attachment.pk,
            "name": "карточки.pdf",
            "size": 2048,
            "url": reverse("journal:attachment", args=[diary.attachment.pk]),
        }
    ]


def test_bad_week_is_422(api, diary):
    api.force_authenticate(diary.child)
    response = api.get(urls(diary)["week"], {"week": "вчера"})
    assert response.status_code == 422 and "ГГГГ-ММ-ДД" in response.json()["message"]


def test_marks_of_a_period(api, diary):
    api.force_authenticate(diary.s.parent)
    data = api.get(urls(diary)["marks"], {"period": diary.q1.pk}).json()
    assert data["period"]["id"] == diary.q1.pk and data["period"]["name"] == "1 четверть"
    math = next(line for line in data["subjects"] if line["subject"] == "Математика")
    assert math["average"] == "4.33" and math["period_mark"] == "4"
    assert [(m["date"], m["value"], m["kind"], m["weight"]) for m in math["marks"]] == [
        ("2026-09-07", "5", "Ответ на уроке", "1.00"),
        ("2026-09-09", "4", "Контрольная работа", "2.00"),
    ]
    current = api.get(urls(diary)["marks"]).json()
    assert current["period"]["id"] == diary.q2.pk


def test_marks_of_another_period_or_bad_input(api, diary, other_school):
    api.force_authenticate(diary.s.parent)
    foreign = other_school.year.schemes.first().periods.first()
    assert api.get(urls(diary)["marks"], {"period": foreign.pk}).status_code == 404
    assert api.get(urls(diary)["marks"], {"period": "x"}).status_code == 422


@pytest.mark.parametrize(
    ("endpoint", "param", "value"),
    [("marks", "period", "²"), ("marks", "period", "0"), ("homework", "past", "²"), ("homework", "past", "-1")],
)
def test_numbers_are_read_by_core_inputs(api, diary, endpoint, param, value):
    """Superscript digits pass str.isdigit() and then fail int(): the diary's own parser answered 500."""
    api.force_authenticate(diary.s.parent)
    response = api.get(urls(diary)[endpoint], {param: value})
    assert response.status_code == 422 and f"«{param}»" in response.json()["message"]


def test_a_week_beyond_2200_is_refused(api, diary):
    api.force_authenticate(diary.child)
    response = api.get(urls(diary)["week"], {"week": "2999-12-31"})
    assert response.status_code == 422 and "между 1900 и 2200" in response.json()["message"]


def test_homework_and_one_item(api, diary):
    api.force_authenticate(diary.s.parent)
    data = api.get(urls(diary)["homework"]).json()
    assert [h["id"] for h in data["upcoming"]] == [diary.upcoming.pk]
    assert [h["id"] for h in data["past"]] == [diary.past.pk] and data["next_past_offset"] is None
    item = api.get(urls(diary)["item"]).json()
    assert item["text"] == "№ 512, 514" and item["files"][0]["name"] == "карточки.pdf"


def test_results(api, diary):
    api.force_authenticate(diary.child)
    data = api.get(urls(diary)["results"]).json()
    assert [y["year"] for y in data["years"]] == ["2026/2027", "2025/2026"]
    old_math = next(row for row in data["years"][1]["subjects"] if row["subject"] == "Математика")
    assert old_math["periods"][0] == "5" and old_math["finals"] == {"year": "5"}


@pytest.mark.parametrize("name", ["week", "marks", "homework", "item", "results"])
def test_another_child_is_404(api, diary, name):
    api.force_authenticate(diary.s.parent)
    assert api.get(urls(diary, diary.s.students_5a[1])[name]).status_code == 404
    api.force_authenticate(diary.s.students_5a[1])
    assert api.get(urls(diary)[name]).status_code == 404


@pytest.mark.parametrize("name", ["week", "marks", "homework", "item", "results"])
def test_staff_get_404_and_anonymous_403(api, diary, name):
    assert api.get(urls(diary)[name]).status_code == 403  # DRF: not signed in
    api.force_authenticate(diary.s.class_teacher)
    assert api.get(urls(diary)[name]).status_code == 404


def test_homework_of_another_child_by_id_is_404(api, diary):
    s = diary.s
    people.link_parent(actor=s.admin, parent=s.parent, child=s.students_10a[0])
    api.force_authenticate(s.parent)
    # The parent's other child (10А) asks for a 5А homework: not in that child's lessons.
    url = reverse("api-diary-homework-item", args=[s.students_10a[0].pk, diary.upcoming.pk])
    assert api.get(url).status_code == 404


def test_week_query_count(api, diary, django_assert_max_num_queries):
    api.force_authenticate(diary.s.parent)
    with django_assert_max_num_queries(6):  # roles, diaries, the week's four (no session: forced auth)
        assert api.get(urls(diary)["week"]).status_code == 200


def test_schema_lists_the_diary(api):
    body = api.get(reverse("api-schema")).content.decode()
    assert "/api/v1/diary/students/{student_id}/week/" in body
