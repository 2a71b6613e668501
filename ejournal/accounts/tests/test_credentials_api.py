"""REST API of class credentials: the roster, and the one-time passwords returned once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent


def url(group) -> str:
    return reverse("api-class-credentials", args=[group.pk])


def test_anonymous_is_refused(client, small_school):
    assert client.get(url(small_school.class_5a)).status_code == 403


@pytest.mark.parametrize("who", ["teacher", "deputy", "director", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(url(small_school.class_5a)).status_code == 404
    assert client.post(url(small_school.class_5a), {"all": True}, content_type="application/json").status_code == 404


def test_class_teacher_reads_own_roster_without_personal_data(client, small_school):
    s = small_school
    client.force_login(s.class_teacher)
    rows = client.get(url(s.class_5a)).json()
    assert [r["id"] for r in rows[:2]] == [s.students_5a[0].pk, s.parent.pk]
    assert set(rows[0]) == {"id", "full_name", "username", "is_student", "role", "status", "issuable"}
    assert client.get(url(s.class_10a)).status_code == 404


def test_class_teacher_issues_for_own_class_once(client, small_school):
    s = small_school
    client.force_login(s.class_teacher)
    student = s.students_5a[0]
    response = client.post(url(s.class_5a), {"people": [student.pk]}, content_type="application/json")
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    [issued] = response.json()
    student.refresh_from_db()
    assert issued["username"] == student.username and student.check_password(issued["password"])
    assert issued["password"] not in student.password and student.must_change_password
    # asking again gives the state, not the password
    assert issued["password"] not in client.get(url(s.class_5a)).content.decode()


def test_issue_for_all(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.post(url(s.class_10a), {"all": True}, content_type="application/json")
    assert response.status_code == 201
    assert {r["id"] for r in response.json()} == {p.pk for p in s.students_10a}
    assert SecurityEvent.objects.get(kind=EventKind.CREDENTIALS_ISSUED).details["class_id"] == s.class_10a.pk


def test_another_class_or_outsider_is_404_and_nothing_changes(client, small_school, other_school):
    s = small_school
    client.force_login(s.class_teacher)
    assert client.post(url(s.class_10a), {"all": True}, content_type="application/json").status_code == 404
    outsider = other_school.students_5a[0]
    body = {"people": [s.students_5a[0].pk, outsider.pk]}
    assert client.post(url(s.class_5a), body, content_type="application/json").status_code == 404
    assert not User.objects.get(pk=s.students_5a[0].pk).has_usable_password()
    assert client.post(url(s.class_5a), {}, content_type="application/json").status_code == 422


# --- issue 13, part E: one person's one-time password (staff included) -------------------------------------


def person_url(person) -> str:
    return reverse("api-person-password", args=[person.pk])


def test_the_administrator_gives_a_teacher_a_one_time_password(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.post(person_url(s.teacher), content_type="application/json")
    body = response.json()
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    teacher = User.objects.get(pk=s.teacher.pk)
    assert (body["id"], body["username"], body["role"]) == (teacher.pk, teacher.username, "учитель")
    assert teacher.check_password(body["password"]) and teacher.must_change_password
    assert SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED, subject=teacher).count() == 1


def test_the_person_api_refuses_the_administrator_themselves_and_everyone_else(client, small_school, other_school):
    s = small_school
    client.force_login(s.admin)
    assert client.post(person_url(s.admin), content_type="application/json").status_code == 404
    for actor in (s.class_teacher, s.director, s.deputy, other_school.admin):
        client.force_login(actor)
        for person in (s.teacher, s.students_5a[0]):
            assert client.post(person_url(person), content_type="application/json").status_code == 404
    client.logout()
    assert client.post(person_url(s.teacher), content_type="application/json").status_code == 403
    assert not User.objects.get(pk=s.teacher.pk).has_usable_password()
    assert not SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED).exists()
