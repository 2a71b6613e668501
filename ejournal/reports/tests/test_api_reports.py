"""REST API of the quality reports: the same numbers as the pages, and the same scope (404 outside it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ejournal.reports import classes, delivery, school
from ejournal.reports.tables import Report

from .conftest import TZ

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def same_numbers(body: dict, report: Report) -> None:
    assert body["title"] == report.title
    assert [c["title"] for c in body["columns"]] == [c.title for c in report.columns]
    for got, row in zip(body["rows"], report.rows, strict=True):
        assert got["cells"] == [float(v) if v is not None and not isinstance(v, int | str) else v for v in row.cells]
    assert {f["label"]: f["value"] for f in body["figures"]} == {
        f.label: (float(f.value) if f.value is not None and not isinstance(f.value, int | str) else f.value)
        for f in report.figures
    }


def test_school_summary_as_json(marked):
    s = marked.s
    r = api(s.director).get("/api/v1/reports/school/", {"period": marked.q2.pk, "by": "subject"})
    assert r.status_code == 200
    same_numbers(r.json(), school.school_summary(user=s.director, period_id=marked.q2.pk, by="subject").report)
    math = next(row for row in r.json()["rows"] if row["cells"][0] == "Математика")
    assert math["cells"][9:13] == [100.0, 100.0, 88.0, 4.67]


def test_class_journal_student_and_teacher_as_json(marked):
    s = marked.s
    body = api(s.class_teacher).get(f"/api/v1/reports/classes/{s.class_5a.pk}/").json()
    same_numbers(body, classes.class_report(user=s.class_teacher, class_id=s.class_5a.pk, period_id=None).report)
    assert {f["label"]: f["value"] for f in body["figures"]}["Отличники"] == 1
    body = api(s.teacher).get(f"/api/v1/reports/journals/{s.math_5a.pk}/").json()
    assert body["rows"][2]["cells"] == ["Ученик52 Имя2", 3.67, 2, "", "4", "4"]
    body = api(s.director).get(f"/api/v1/reports/students/{s.students_5a[2].pk}/").json()
    assert body["figures"][0] == {"label": "Итог", "value": "н/а", "kind": "text"}
    body = api(s.teacher).get("/api/v1/reports/teacher/").json()
    assert body["rows"][0]["cells"][0] == "5А · Математика"


def test_denied_users_get_404_and_anonymous_403(marked, other_school):
    s = marked.s
    assert api(s.teacher).get("/api/v1/reports/school/").status_code == 404
    assert api(s.teacher).get(f"/api/v1/reports/classes/{s.class_5a.pk}/").status_code == 404
    assert api(s.teacher).get(f"/api/v1/reports/journals/{s.russian_5a.pk}/").status_code == 404
    assert api(s.teacher).get("/api/v1/reports/teacher/", {"teacher": s.teacher2.pk}).status_code == 404
    assert api(s.parent).get(f"/api/v1/reports/students/{s.students_5a[0].pk}/").status_code == 404
    assert api(other_school.director).get(f"/api/v1/reports/classes/{s.class_5a.pk}/").status_code == 404
    assert api(s.director).get("/api/v1/reports/region/").status_code == 404
    assert api(s.teacher).get("/api/v1/reports/archive/").status_code == 404
    assert api(s.director).get("/api/v1/reports/school/", {"by": "x"}).status_code == 422
    assert APIClient().get("/api/v1/reports/school/").status_code == 403


def test_archive_as_json(marked):
    delivery.enqueue_due(dt.datetime(2026, 11, 1, 9, 0, tzinfo=TZ))
    body = api(marked.s.deputy).get("/api/v1/reports/archive/").json()
    # The school summary by four groupings and the journal-keeping analysis, at the quarter's and the month's end.
    assert len(body) == 10
    assert sum(1 for row in body if row["title"] == "Анализ работы с классным журналом ЭЖ") == 2
    first = body[0]
    assert first["xlsx"] == reverse("reports:archive_file", args=[first["id"], "xlsx"])
    assert first["as_of"] in ("2026-10-24", "2026-10-31")
