"""A journal's report (subject in a class): per student the average, marks, period mark, suggestion and the
mark counted; the figures; the subject teacher sees their own journal only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, user, assignment, **query):
    client.force_login(user)
    return client.get(reverse("reports:journal", args=[assignment.pk]), query)


def test_teacher_reads_their_journal(client, marked):
    s = marked.s
    r = get(client, s.teacher, s.math_5a)
    assert r.status_code == 200
    report = r.context["report"]
    assert [row.cells for row in report.rows] == [
        ("Ученик50 Имя0", Decimal("5.00"), 2, "", "5", "5"),
        ("Ученик51 Имя1", Decimal("4.50"), 2, "", "5", "5"),
        ("Ученик52 Имя2", Decimal("3.67"), 2, "", "4", "4"),  # a test 3 (weight 2) and a 5: 11 / 3
        ("Ученик53 Имя3", None, 0, "осв", "", "осв"),
        ("Ученик54 Имя4", None, 0, "", "", ""),
    ]
    f = {x.label: x.value for x in report.figures}
    assert (f["«5»"], f["«4»"], f["Освобождены"], f["Без отметок"]) == (2, 1, 1, 1)
    assert (f["Качество знаний"], f["СОУ"], f["Средний балл"]) == (Decimal("100.0"), Decimal("88.0"), Decimal("4.67"))
    # The subject teacher does not lead 5А: no link to the student's page.
    assert all(not row.url for row in report.rows)


def test_class_teacher_reads_every_subject_of_their_class_and_drills_to_students(client, marked):
    s = marked.s
    report = get(client, s.class_teacher, s.russian_5a).context["report"]
    assert report.rows[2].cells[3] == "н/а" and report.rows[2].flagged
    assert report.rows[0].url.startswith(reverse("reports:student", args=[s.students_5a[0].pk]))


def test_another_teachers_journal_is_404(client, marked, other_school):
    s = marked.s
    assert get(client, s.teacher, s.russian_5a).status_code == 404
    assert get(client, s.teacher2, s.math_5a).status_code == 404
    assert get(client, other_school.teacher, s.math_5a).status_code == 404
    assert get(client, s.students_5a[0], s.math_5a).status_code == 404
    client.logout()
    assert client.get(reverse("reports:journal", args=[s.math_5a.pk])).status_code == 302
