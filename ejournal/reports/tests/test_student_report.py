"""A student's report: every subject with the mark counted; management and the class teacher only."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, user, student, **query):
    client.force_login(user)
    return client.get(reverse("reports:student", args=[student.pk]), query)


def test_class_teacher_reads_a_students_subjects(client, marked):
    s = marked.s
    r = get(client, s.class_teacher, s.students_5a[2], period=marked.q2.pk)
    assert r.status_code == 200
    report = r.context["report"]
    assert [row.cells[0] for row in report.rows] == ["Математика", "Русский язык"]
    assert report.rows[1].cells[4:] == ("н/а", "", "н/а")
    assert {f.label: f.value for f in report.figures} == {"Итог": "н/а", "Неуспевающий по предметам": "Русский язык"}
    assert report.rows[0].url.startswith(reverse("reports:journal", args=[s.math_5a.pk]))


def test_director_reads_it_subject_teachers_and_parents_do_not(client, marked, other_school):
    s = marked.s
    assert get(client, s.director, s.students_5a[0]).status_code == 200
    assert get(client, s.teacher, s.students_5a[0]).status_code == 404
    assert get(client, s.parent, s.students_5a[0]).status_code == 404
    assert get(client, other_school.director, s.students_5a[0]).status_code == 404
    client.logout()
    assert client.get(reverse("reports:student", args=[s.students_5a[0].pk])).status_code == 302
