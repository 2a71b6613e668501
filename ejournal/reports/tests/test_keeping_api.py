"""/api/v1/reports/attendance/, /journal-keeping/ and /program-execution/: the figures as JSON, with the
same scope as the pages (a teacher asking for another teacher or class: 404; students, parents: 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.curriculum import services as curriculum
from ejournal.journal import lessons as lesson_records
from ejournal.journal import services
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock

ATTENDANCE = reverse("api-report-attendance")
KEEPING = reverse("api-report-journal-keeping")
EXECUTION = reverse("api-report-program-execution")
WEEK = {"start": "2026-12-14", "end": "2026-12-18"}
MON, WED = dt.date(2026, 12, 14), dt.date(2026, 12, 16)


@pytest.fixture
def j(small_school, monkeypatch):
    """Week of 14 December, math 5А: a ill «б» on Monday and Wednesday (the only lessons those days: two
    days), b «н» on Wednesday. Topic and a mark «5» for b on Monday."""
    set_clock(monkeypatch, TODAY)
    j = build_journal(small_school)
    s = j.s
    curriculum.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(2))
    a, b = s.students_5a[:2]
    for day in (MON, WED):
        services.set_cell(actor=s.teacher, lesson=j.lesson_on(day), student=a, text="б")
    services.set_cell(actor=s.teacher, lesson=j.lesson_on(WED), student=b, text="н")
    lesson_records.set_topic(actor=s.teacher, lesson=j.lesson_on(MON), topic="Дроби")
    services.set_cell(actor=s.teacher, lesson=j.lesson_on(MON), student=b, text="5")
    return j


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_attendance_by_class_and_by_student(j):
    s = j.s
    body = api(s.deputy).get(ATTENDANCE, WEEK).json()
    five = next(c for c in body["classes"] if c["name"] == "5А")
    assert five["students"] == 5 and five["lessons_per_student"] == "0.60"
    assert five["missed"]["lessons"] == {"total": 3, "ill": 2, "excused": 0, "unexcused": 0, "unsettled": 1}
    assert five["missed"]["days"] == {"total": 3, "ill": 2, "excused": 0, "unexcused": 0, "unsettled": 1}
    students = api(s.class_teacher).get(ATTENDANCE, {**WEEK, "class": s.class_5a.pk}).json()
    a = next(row for row in students["students"] if row["id"] == s.students_5a[0].pk)
    assert a["missed"]["days"]["ill"] == 2
    assert students["total"]["students"] == 5
    # A subject teacher: their lessons, no days.
    mine = api(s.teacher).get(ATTENDANCE, WEEK).json()
    assert [c["name"] for c in mine["classes"]] == ["5А"] and mine["classes"][0]["missed"]["days"] is None


def test_attendance_denied(j, other_school):
    s = j.s
    assert api(s.teacher2).get(ATTENDANCE, {**WEEK, "class": s.class_10a.pk}).status_code == 404
    assert api(s.deputy).get(ATTENDANCE, {"class": other_school.class_5a.pk}).status_code == 404
    assert api(s.students_5a[0]).get(ATTENDANCE).status_code == 404
    assert api(s.parent).get(ATTENDANCE).status_code == 404
    assert api().get(ATTENDANCE).status_code in (401, 403)
    bad = api(s.deputy).get(ATTENDANCE, {"start": "14.12.2026", "end": "вчера"})
    assert bad.status_code == 422 and list(bad.json()["fields"]) == ["end"]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (ATTENDANCE, {"month": "9999-12"}),  # the month after it cannot be computed: was a 500
        (ATTENDANCE, {"start": "01.01.0001", "end": "01.01.0001"}),
        (ATTENDANCE, {"period": "²"}),  # isdigit() but not int(): was a 500
        (ATTENDANCE, {"class": "²"}),
        (KEEPING, {"teacher": "²"}),
        (EXECUTION, {"subject": "²"}),
    ],
)
def test_hostile_spans_and_ids_are_refused_in_russian(j, url, query):
    response = api(j.s.deputy).get(url, query)
    assert response.status_code == 422 and list(response.json()["fields"]) == [next(iter(query))]


def test_journal_keeping_rows_and_scope(j):
    s = j.s
    body = api(s.deputy).get(KEEPING, WEEK).json()
    assert body["span"]["counted_to"] == "2026-12-18"
    row = next(r for r in body["rows"] if r["teacher"] == s.teacher.pk)
    assert (row["lessons"], row["with_topic"], row["with_topic_percent"], row["no_record"]) == (2, 1, "50.0", 0)
    assert (row["marks"], row["late_marks"], row["students_judged"]) == (1, 1, 5)  # entered on the 25th
    own = api(s.teacher).get(KEEPING, WEEK).json()
    assert own["teacher"]["id"] == s.teacher.pk
    assert [r["name"] for r in own["rows"]] == ["5А · Математика"] and own["rows"][0]["norm"] == 1
    assert api(s.teacher).get(KEEPING, {"teacher": s.teacher2.pk}).status_code == 404
    assert api(s.parent).get(KEEPING).status_code == 404
    assert api().get(KEEPING).status_code in (401, 403)


def test_program_execution_rows_and_scope(j):
    s = j.s
    body = api(s.deputy).get(EXECUTION, {**WEEK, "group": "teacher"}).json()
    assert body["lag_limit"] == 2
    row = next(r for r in body["rows"] if r["id"] == s.teacher.pk)
    # Curriculum: 2 h × 5 study days / 7 = 1.43 → 1; no КТП; 2 lessons given.
    assert (row["curriculum_plan"], row["plan"], row["given"], row["lag"], row["percent"]) == (1, 1, 2, -1, "200.0")
    assert api(s.teacher).get(EXECUTION, {"class": s.class_10a.pk}).status_code == 404
    assert api(s.teacher).get(EXECUTION, {"teacher": s.teacher2.pk}).status_code == 404
    assert [r["name"] for r in api(s.teacher).get(EXECUTION, WEEK).json()["rows"]] == ["5А · Математика"]
    assert api(s.students_5a[0]).get(EXECUTION).status_code == 404
    assert api().get(EXECUTION).status_code in (401, 403)
    assert api(s.deputy).get(EXECUTION, {"group": "x"}).status_code == 422
