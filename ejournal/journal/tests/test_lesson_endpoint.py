"""journal:lesson: the lesson panel (topic with the КТП suggestion, homework, kind of work, history)."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from ejournal.curriculum.models import PlannedTopic
from ejournal.journal.models import Homework, LessonWork
from ejournal.journal.periods import close_period

MONDAY = dt.date(2026, 12, 21)


def url(lesson) -> str:
    return reverse("journal:lesson", args=[lesson.pk])


def post(client, lesson, **body):
    return client.post(url(lesson), data=json.dumps(body), content_type="application/json")


def test_panel_suggests_the_next_planned_topic(client, journal):
    a = journal.assignment
    topic = PlannedTopic.objects.create(school=a.school, assignment=a, position=1, title="Дроби", hours=1)
    client.force_login(journal.teacher)
    data = client.get(url(journal.lesson_on(MONDAY))).json()
    assert data["suggestion"] == {"id": topic.pk, "title": "Дроби"}
    assert data["editable"] and data["topic"] == "" and data["history"] == []
    assert data["kind"] == journal.kinds["answer"].pk


def test_teacher_saves_topic_homework_and_kind_at_once(client, journal):
    a = journal.assignment
    planned = PlannedTopic.objects.create(school=a.school, assignment=a, position=1, title="Дроби", hours=1)
    lesson = journal.lesson_on(MONDAY)
    client.force_login(journal.teacher)
    response = post(
        client,
        lesson,
        topic="",
        planned_topic=planned.pk,
        homework="№ 1–5",
        due_date="2026-12-28",
        kind=journal.kinds["test"].pk,
    )
    assert response.status_code == 200
    data = response.json()
    assert data["topic"] == "Дроби" and data["planned_topic"] == planned.pk
    assert data["homework"] == {"text": "№ 1–5", "due_date": "2026-12-28", "files": []}
    assert data["kind"] == journal.kinds["test"].pk
    assert {h["what"] for h in data["history"]} == {"тема урока", "домашнее задание", "вид работы урока"}
    assert LessonWork.objects.get(lesson=lesson).kind == journal.kinds["test"]


def test_bad_input_changes_nothing(client, journal):
    lesson = journal.lesson_on(MONDAY)
    client.force_login(journal.teacher)
    response = post(client, lesson, topic="Тема", homework="стр. 4", due_date="2026-12-01")
    assert response.status_code == 422 and "Срок" in response.json()["message"]
    lesson.refresh_from_db()
    assert lesson.topic == "" and not Homework.objects.filter(lesson=lesson).exists()
    assert post(client, lesson, due_date="31.12.2026", homework="x").status_code == 422
    assert post(client, lesson, kind=987654).status_code == 422


def test_others_cannot_write_the_lesson(client, journal, other_school):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    client.force_login(s.class_teacher)
    assert client.get(url(lesson)).json()["editable"] is False
    assert post(client, lesson, topic="x").status_code == 403
    for outsider in (s.teacher2, other_school.teacher, s.students_5a[0], s.parent):
        client.force_login(outsider)
        assert client.get(url(lesson)).status_code == 404
        assert post(client, lesson, topic="x").status_code == 404
    lesson.refresh_from_db()
    assert lesson.topic == ""


def test_closed_period_lesson_is_423_and_admin_needs_a_reason(client, journal):
    s = journal.s
    lesson = journal.in_period(journal.q1)[0]
    close_period(actor=s.deputy, period=journal.q1)
    client.force_login(s.teacher)
    assert post(client, lesson, topic="x").status_code == 423
    client.force_login(s.admin)
    assert post(client, lesson, topic="x").status_code == 422
    assert post(client, lesson, topic="Повторение", reason="не записана тема").status_code == 200
