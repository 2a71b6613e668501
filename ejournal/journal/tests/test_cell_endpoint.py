"""journal:cell and journal:cell_history: the grid's save endpoint, its users, errors and conflicts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from ejournal.journal.models import Mark
from ejournal.journal.periods import close_period
from ejournal.schools import services as schools

MONDAY = dt.date(2026, 12, 21)


def post(client, lesson, student, **body):
    return client.post(
        reverse("journal:cell", args=[lesson.pk, student.pk]), data=json.dumps(body), content_type="application/json"
    )


def marks_of(student, lesson) -> list[str]:
    return list(
        Mark.objects.filter(lesson=lesson, student=student).order_by("position").values_list("value", flat=True)
    )


def test_teacher_saves_a_cell_and_gets_state_and_row_figures(client, journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    response = post(client, lesson, student, text="5/4")
    assert response.status_code == 200
    data = response.json()
    assert data["cell"]["text"] == "5/4" and data["cell"]["version"]
    assert data["row"] == {"average": "4.50", "marks_count": 2, "norm": 5, "suggested": "5", "deviation": False}
    assert marks_of(student, lesson) == ["5", "4"]


@pytest.mark.parametrize("bad", ["7", "ы"])
def test_bad_marks_get_422_with_a_russian_message(client, journal, bad):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    response = post(client, lesson, student, text=bad)
    assert response.status_code == 422
    assert "не отметка" in response.json()["message"]
    assert marks_of(student, lesson) == []


def test_not_enrolled_student_gets_422(client, journal):
    s = journal.s
    schools.withdraw(actor=s.admin, student=s.students_5a[1], last_day=dt.date(2026, 12, 1), reason="переезд")
    client.force_login(s.teacher)
    response = post(client, journal.lesson_on(MONDAY), s.students_5a[1], text="5")
    assert response.status_code == 422 and "не числится" in response.json()["message"]


def test_closed_period_gets_423(client, journal):
    s = journal.s
    close_period(actor=s.deputy, period=journal.q1)
    client.force_login(s.teacher)
    response = post(client, journal.in_period(journal.q1)[0], s.students_5a[0], text="5")
    assert response.status_code == 423 and "закрыт" in response.json()["message"]


def test_teacher_of_another_journal_gets_404_class_teacher_403(client, journal, other_school):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    client.force_login(s.teacher2)
    assert post(client, lesson, student, text="5").status_code == 404
    client.force_login(s.class_teacher)
    assert post(client, lesson, student, text="5").status_code == 403
    client.force_login(other_school.teacher)
    assert post(client, lesson, student, text="5").status_code == 404
    client.force_login(s.students_5a[0])
    assert post(client, lesson, student, text="5").status_code == 404
    assert marks_of(student, lesson) == []


def test_anonymous_gets_401_json_not_a_redirect(client, journal):
    response = post(client, journal.lesson_on(MONDAY), journal.students[0], text="5")
    assert response.status_code == 401 and "войдите" in response.json()["message"]


def test_get_is_not_allowed_and_broken_json_is_422(client, journal):
    client.force_login(journal.teacher)
    url = reverse("journal:cell", args=[journal.lesson_on(MONDAY).pk, journal.students[0].pk])
    assert client.get(url).status_code == 405
    assert client.post(url, data="{not json", content_type="application/json").status_code == 422


def test_two_tabs_conflict_shows_the_current_value_and_nothing_is_lost(client, journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    empty = post(client, lesson, student, text="").json()["cell"]["version"]  # what both tabs saw
    first = post(client, lesson, student, text="5", version=empty)
    assert first.status_code == 200
    second = post(client, lesson, student, text="3", version=empty)
    assert second.status_code == 409
    body = second.json()
    assert body["current"]["text"] == "5" and "«5»" in body["message"] and "«3»" in body["message"]
    assert marks_of(student, lesson) == ["5"]
    again = post(client, lesson, student, text="3", version=body["current"]["version"])
    assert again.status_code == 200 and marks_of(student, lesson) == ["3"]


def test_offline_queue_resend_of_an_applied_edit_is_accepted(client, journal):
    """The response was lost on a dropped connection: the page sends the same edit again."""
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    empty = post(client, lesson, student, text="").json()["cell"]["version"]
    assert post(client, lesson, student, text="н", version=empty).status_code == 200
    assert post(client, lesson, student, text="н", version=empty).status_code == 200


def test_cell_panel_saves_marks_with_kinds_and_comments(client, journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    client.force_login(journal.teacher)
    response = post(
        client,
        lesson,
        student,
        marks=[
            {"value": "5", "kind": journal.kinds["test"].pk, "comment": "вариант 2"},
            {"value": "4", "kind": None, "comment": ""},
        ],
        attendance="оп",
    )
    assert response.status_code == 200
    assert response.json()["cell"]["text"] == "оп 5/4"
    first = Mark.objects.get(lesson=lesson, student=student, position=0)
    assert (first.kind_id, first.comment) == (journal.kinds["test"].pk, "вариант 2")
    bad_kind = post(client, lesson, student, marks=[{"value": "5", "kind": 999999}])
    assert bad_kind.status_code == 422


def test_cell_history_for_readers_not_for_outsiders(client, journal, other_school):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    client.force_login(s.teacher)
    post(client, lesson, student, text="4")
    post(client, lesson, student, text="5")
    url = reverse("journal:cell_history", args=[lesson.pk, student.pk])
    for reader in (s.teacher, s.class_teacher, s.deputy, s.director):
        client.force_login(reader)
        data = client.get(url).json()
        assert [(h["old"], h["new"][:1]) for h in data["history"]] == [("4 (Ответ на уроке)", "5"), ("", "4")]
        assert data["history"][0]["actor"] == s.teacher.full_name
    for outsider in (s.teacher2, other_school.teacher, s.students_5a[0]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
