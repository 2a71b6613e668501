"""The journal's REST API under /api/v1/: grid, cells, lesson, period marks, history, closures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.journal.models import Mark, PeriodClosure, PeriodMark

MONDAY = dt.date(2026, 12, 21)
# The grid API: the selector's nine queries (journal.selectors.journal_grid); force_authenticate reads no session.
GRID_QUERIES = 9


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def cell_url(lesson, student) -> str:
    return reverse("api-journal-cell", args=[lesson.pk, student.pk])


def test_grid_as_json(api, journal):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    api.force_authenticate(s.teacher)
    api.put(cell_url(lesson, s.students_5a[0]), {"text": "5/4"}, format="json")
    response = api.get(reverse("api-journal-grid", args=[s.math_5a.pk]), {"period": journal.q2.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "5А · Математика" and data["mode"] == "edit" and data["period"]["id"] == journal.q2.pk
    column = [lesson["id"] for lesson in data["lessons"]].index(lesson.pk)
    row = next(r for r in data["students"] if r["id"] == s.students_5a[0].pk)
    assert row["cells"][column]["text"] == "5/4" and row["average"] == "4.50"
    assert api.get(reverse("api-journal-grid", args=[s.math_5a.pk]), {"period": "x"}).status_code == 422
    # Superscript digits pass str.isdigit() and then fail int(): these endpoints answered 500.
    assert api.get(reverse("api-journal-grid", args=[s.math_5a.pk]), {"period": "²"}).status_code == 422
    history = reverse("api-journal-period-mark-history", args=[s.math_5a.pk, s.students_5a[0].pk])
    assert api.get(history, {"period": "²"}).status_code == 422
    api.force_authenticate(s.class_teacher)
    overview = reverse("api-journal-class-overview", args=[s.class_5a.pk])
    assert api.get(overview, {"period": "²"}).status_code == 422


def test_grid_lists_a_transferred_students_earlier_marks_read_only(api, transfer, django_assert_max_num_queries):
    """5Б's grid: the marks she got in 5А before the transfer count in her average (journal.counting) and come
    with their date, kind, weight and class, read-only; the page shows them in «Из др. кл.»."""
    s, j = transfer.s, transfer.j
    api.force_authenticate(s.teacher2)
    url = reverse("api-journal-grid", args=[transfer.math_5b.pk])
    api.get(url, {"period": j.q2.pk})
    with django_assert_max_num_queries(GRID_QUERIES):  # the marks from elsewhere cost no query of their own
        response = api.get(url, {"period": j.q2.pk})
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["students"]}
    moved = rows[transfer.student.pk]
    assert moved["average"] == "2.83" and moved["marks_count"] == 5
    answer = j.kinds["answer"]  # the default kind, weight 1
    assert moved["foreign_marks"] == [
        {
            "date": lesson.date.isoformat(),
            "value": "2",
            "kind": answer.pk,
            "kind_name": answer.name,
            "weight": "1.00",
            "comment": "",
            "source": "5А",
            "read_only": True,
        }
        for lesson in transfer.before[:3]
    ]
    # Her own marks in 5Б stay in the cells; nobody else has marks from elsewhere.
    assert sorted(c["text"] for c in moved["cells"] if c and c["text"]) == ["3", "4"]
    assert all(row["foreign_marks"] == [] for sid, row in rows.items() if sid != transfer.student.pk)
    # The former class's journal lists her 5Б marks the same way (the test with its weight 2).
    api.force_authenticate(s.teacher)
    old = api.get(reverse("api-journal-grid", args=[s.math_5a.pk]), {"period": j.q2.pk}).json()
    earlier = next(r for r in old["students"] if r["id"] == transfer.student.pk)["foreign_marks"]
    assert [(m["value"], m["weight"], m["source"]) for m in earlier] == [("4", "2.00", "5Б"), ("3", "1.00", "5Б")]


def test_the_schema_documents_the_grid_and_its_marks_from_elsewhere(api, journal):
    api.force_authenticate(journal.s.admin)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert set(components["ForeignMark"]["properties"]) == {
        "date", "value", "kind", "kind_name", "weight", "comment", "source", "read_only",
    }  # fmt: skip
    assert components["GridStudent"]["properties"]["foreign_marks"]["items"]["$ref"].endswith("/ForeignMark")
    grid = schema["paths"]["/api/v1/journal/{assignment_id}/grid/"]["get"]["responses"]["200"]
    assert grid["content"]["application/json"]["schema"]["$ref"].endswith("/Grid")


def test_grid_scope(api, journal, other_school):
    url = reverse("api-journal-grid", args=[journal.assignment.pk])
    for user in (journal.s.teacher2, journal.s.students_5a[0], other_school.admin):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
    api.force_authenticate(None)
    assert api.get(url).status_code == 403  # DRF: not signed in


def test_put_cell_errors_and_conflict(api, journal):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    api.force_authenticate(s.teacher)
    assert api.put(cell_url(lesson, student), {"text": "7"}, format="json").status_code == 422
    assert api.put(cell_url(lesson, student), {"text": "ы"}, format="json").status_code == 422
    first = api.put(cell_url(lesson, student), {"text": "4"}, format="json").json()
    assert first["cell"]["text"] == "4"
    api.put(cell_url(lesson, student), {"text": "5", "version": first["cell"]["version"]}, format="json")
    stale = api.put(cell_url(lesson, student), {"text": "3", "version": first["cell"]["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["text"] == "5"
    assert list(Mark.objects.filter(lesson=lesson, student=student).values_list("value", flat=True)) == ["5"]
    only_attendance = api.put(cell_url(journal.lesson_on(MONDAY), s.students_5a[1]), {"attendance": "н"}, format="json")
    assert only_attendance.json()["cell"]["attendance"] == "н"
    api.force_authenticate(s.teacher2)
    assert api.put(cell_url(lesson, student), {"text": "2"}, format="json").status_code == 404


def test_cell_history(api, journal):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    api.force_authenticate(s.teacher)
    api.put(cell_url(lesson, student), {"text": "4"}, format="json")
    data = api.get(reverse("api-journal-cell-history", args=[lesson.pk, student.pk])).json()
    assert data["history"][0]["new"].startswith("4") and data["cell"]["text"] == "4"


def test_lesson_get_and_put(api, journal):
    lesson = journal.lesson_on(MONDAY)
    api.force_authenticate(journal.teacher)
    url = reverse("api-journal-lesson", args=[lesson.pk])
    response = api.put(url, {"topic": "Дроби", "homework": "№ 3", "kind": journal.kinds["test"].pk}, format="json")
    assert response.status_code == 200
    data = api.get(url).json()
    assert data["topic"] == "Дроби" and data["homework"]["text"] == "№ 3" and data["kind"] == journal.kinds["test"].pk
    api.force_authenticate(journal.s.class_teacher)
    assert api.put(url, {"topic": "x"}, format="json").status_code == 403


def test_period_marks_and_history(api, journal):
    s = journal.s
    url = reverse("api-journal-period-mark", args=[s.math_5a.pk, s.students_5a[0].pk])
    api.force_authenticate(s.teacher)
    response = api.put(url, {"value": "4", "period": journal.q2.pk}, format="json")
    assert response.status_code == 200 and response.json()["value"] == "4"
    assert api.put(url, {"value": "7", "period": journal.q2.pk}, format="json").status_code == 422
    assert api.put(url, {"value": "5", "kind": "term", "period": journal.q2.pk}, format="json").status_code == 422
    history = api.get(
        reverse("api-journal-period-mark-history", args=[s.math_5a.pk, s.students_5a[0].pk]),
        {"kind": "period", "period": journal.q2.pk},
    ).json()
    assert [h["new"] for h in history["history"]] == ["4"]
    api.force_authenticate(s.class_teacher)
    assert api.put(url, {"value": "5", "period": journal.q2.pk}, format="json").status_code == 403
    assert PeriodMark.objects.get().value == "4"


def test_closures(api, journal):
    s = journal.s
    api.force_authenticate(s.teacher)
    assert api.post(reverse("api-journal-closures"), {"period": journal.q1.pk}, format="json").status_code == 404
    api.force_authenticate(s.deputy)
    response = api.post(
        reverse("api-journal-closures"), {"period": journal.q1.pk, "class_group": s.class_5a.pk}, format="json"
    )
    assert response.status_code == 201
    api.force_authenticate(s.teacher)
    locked = api.put(cell_url(journal.in_period(journal.q1)[0], s.students_5a[0]), {"text": "5"}, format="json")
    assert locked.status_code == 423
    api.force_authenticate(s.deputy)
    reopen = reverse("api-journal-reopen")
    assert api.post(reopen, {"period": journal.q1.pk, "class_group": s.class_5a.pk}, format="json").status_code == 422
    assert (
        api.post(
            reopen, {"period": journal.q1.pk, "class_group": s.class_5a.pk, "reason": "ошибка"}, format="json"
        ).status_code
        == 204
    )
    assert not PeriodClosure.objects.exists()


def test_journal_list(api, journal):
    api.force_authenticate(journal.teacher)
    data = api.get(reverse("api-journals")).json()
    assert data[0]["title"] == "Мои журналы" and data[0]["journals"][0]["assignment"] == journal.assignment.pk


def test_schema_builds(api, journal):
    api.force_authenticate(journal.s.admin)
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200 and b"/api/v1/journal/lessons/" in response.content
