"""The teacher's report: their journals with the distribution and figures; management chooses the teacher,
a teacher sees only their own (another teacher's is 404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reports:teacher"), query)


def test_teacher_sees_their_classes_and_subjects(client, marked):
    s = marked.s
    r = get(client, s.teacher)
    assert r.status_code == 200
    report = r.context["report"]
    assert [row.cells for row in report.rows] == [
        (
            "5А · Математика",
            5,
            2,
            1,
            0,
            0,
            0,
            1,
            1,
            Decimal("100.0"),
            Decimal("100.0"),
            Decimal("88.0"),
            Decimal("4.67"),
        )
    ]
    assert report.rows[0].url.startswith(reverse("reports:journal", args=[s.math_5a.pk]))
    assert "Учитель" not in [f.label for f in r.context["page"].filters]


def test_management_chooses_the_teacher(client, marked):
    s = marked.s
    r = get(client, s.deputy, teacher=s.teacher2.pk, period=marked.q2.pk)
    assert r.context["report"].rows[0].cells[0] == "5А · Русский язык"
    chooser = next(f for f in r.context["page"].filters if f.name == "teacher")
    assert {c.label for c in chooser.choices} >= {"Учителева Ульяна", "Педагогов Пётр"}


def test_another_teachers_report_is_404(client, marked, other_school):
    s = marked.s
    assert get(client, s.teacher, teacher=s.teacher2.pk).status_code == 404
    assert get(client, s.director, teacher=other_school.teacher.pk).status_code == 404
    assert get(client, s.students_5a[0]).status_code == 404
    assert get(client, s.parent).status_code == 404
    client.logout()
    assert client.get(reverse("reports:teacher")).status_code == 302


def test_a_teacher_without_journals_in_the_period_is_told_so(client, marked):
    report = get(client, marked.s.class_teacher).context["report"]
    assert report.rows == [] and any("нет журналов" in note for note in report.notes)
