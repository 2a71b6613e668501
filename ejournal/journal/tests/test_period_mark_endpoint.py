"""journal:period_mark and its history: the period-mark column of the grid."""

from __future__ import annotations

import json

from django.urls import reverse

from ejournal.journal.models import PeriodMark
from ejournal.journal.periods import close_period


def post(client, journal, student, **body):
    return client.post(
        reverse("journal:period_mark", args=[journal.assignment.pk, student.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_teacher_sets_a_period_mark_with_the_norm_warning(client, journal):
    client.force_login(journal.teacher)
    response = post(client, journal, journal.students[0], value="5", period=journal.q2.pk)
    assert response.status_code == 200
    mark = response.json()["mark"]
    assert mark["value"] == "5" and mark["norm"] == 5 and mark["marks_count"] == 0
    assert mark["warnings"] and "норме 5" in mark["warnings"][0]
    assert PeriodMark.objects.get().value == "5"


def test_bad_values_and_missing_period(client, journal):
    client.force_login(journal.teacher)
    assert post(client, journal, journal.students[0], value="7", period=journal.q2.pk).status_code == 422
    assert post(client, journal, journal.students[0], value="ы", period=journal.q2.pk).status_code == 422
    assert post(client, journal, journal.students[0], value="5").status_code == 422
    assert (
        post(client, journal, journal.students[0], value="5", kind="semester", period=journal.q2.pk).status_code == 422
    )
    assert not PeriodMark.objects.exists()


def test_conflict_returns_the_current_mark(client, journal):
    client.force_login(journal.teacher)
    first = post(client, journal, journal.students[0], value="4", period=journal.q2.pk, version="")
    seen_empty = "00000000"
    assert first.status_code == 200
    # A version the page never had (stale) is refused with what the server holds.
    response = post(client, journal, journal.students[0], value="5", period=journal.q2.pk, version=seen_empty)
    assert response.status_code == 409 and response.json()["current"]["value"] == "4"


def test_access(client, journal, other_school):
    s = journal.s
    for user, status in ((s.teacher2, 404), (s.class_teacher, 403), (s.director, 403), (other_school.teacher, 404)):
        client.force_login(user)
        assert post(client, journal, s.students_5a[0], value="5", period=journal.q2.pk).status_code == status
    client.force_login(s.students_5a[0])
    assert post(client, journal, s.students_5a[0], value="5", period=journal.q2.pk).status_code == 404
    assert not PeriodMark.objects.exists()


def test_closed_period(client, journal):
    close_period(actor=journal.s.deputy, period=journal.q1)
    client.force_login(journal.teacher)
    assert post(client, journal, journal.students[0], value="5", period=journal.q1.pk).status_code == 423


def test_history(client, journal):
    client.force_login(journal.teacher)
    post(client, journal, journal.students[0], value="4", period=journal.q2.pk)
    post(client, journal, journal.students[0], value="5", period=journal.q2.pk)
    url = reverse("journal:period_mark_history", args=[journal.assignment.pk, journal.students[0].pk])
    data = client.get(f"{url}?kind=period&period={journal.q2.pk}").json()
    assert [(h["old"], h["new"]) for h in data["history"]] == [("4", "5"), ("", "4")]
    assert data["mark"]["value"] == "5"
    client.force_login(journal.s.teacher2)
    assert client.get(f"{url}?kind=period&period={journal.q2.pk}").status_code == 404
