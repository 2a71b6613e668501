"""The reports index lists the catalog entries each person may open, and nothing for those with none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.reports.models import Municipality, RegionViewer

pytestmark = pytest.mark.django_db


def titles(client, user) -> list[str]:
    client.force_login(user)
    r = client.get(reverse("reports:index"))
    assert r.status_code == 200
    return [entry.title for entry, _ in r.context["entries"]]


def status(client, user) -> int:
    client.force_login(user)
    return client.get(reverse("reports:index")).status_code


def test_each_person_sees_the_reports_they_may_open(client, small_school):
    s = small_school
    director = titles(client, s.director)
    assert {"Сводный отчёт школы", "Отчёт учителя", "Отчёт классного руководителя", "Архив отчётов"} <= set(director)
    teacher = titles(client, s.teacher)
    assert "Отчёт учителя" in teacher and "Сводный отчёт школы" not in teacher
    assert "Отчёт классного руководителя" not in teacher
    assert "Отчёт классного руководителя" in titles(client, s.class_teacher)
    assert "Сводка по школам муниципалитета" not in director


def test_region_viewer_sees_the_region_only(client, small_school):
    viewer = User.objects.create_user(username="mun.viewer")
    RegionViewer.objects.create(user=viewer, municipality=Municipality.objects.create(name="Управление"))
    assert titles(client, viewer) == ["Сводка по школам муниципалитета"]


def test_students_parents_and_anonymous(client, small_school):
    assert status(client, small_school.students_5a[0]) == 404
    assert status(client, small_school.parent) == 404
    client.logout()
    assert client.get(reverse("reports:index")).status_code == 302
