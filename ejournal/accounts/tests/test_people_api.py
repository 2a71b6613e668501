"""REST API of people and roles: the administrator writes, the director reads, others get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.accounts import people
from ejournal.accounts.models import Role, User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import build_small_school

LIST = reverse("api-people")


def one(person: User) -> str:
    return reverse("api-person", args=[person.pk])


def test_anonymous_is_refused(client, small_school):
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {}, content_type="application/json").status_code == 403


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "deputy", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(LIST).status_code == 404
    assert client.get(one(small_school.teacher)).status_code == 404
    assert client.post(reverse("api-person-deactivate", args=[small_school.teacher.pk])).status_code == 404


def test_other_schools_person_is_404(client, small_school, other_school):
    client.force_login(other_school.admin)
    assert client.get(one(small_school.teacher)).status_code == 404
    ids = {p["id"] for p in client.get(LIST, {"status": "all"}).json()["results"]}
    assert small_school.teacher.pk not in ids and other_school.teacher.pk in ids


def test_list_with_filters(client, small_school):
    s = small_school
    client.force_login(s.admin)
    data = client.get(LIST, {"class": s.class_5a.pk, "role": Role.STUDENT}).json()
    assert {p["id"] for p in data["results"]} == {p.pk for p in s.students_5a}
    assert data["results"][0]["roles"] == ["student"]
    assert [p["id"] for p in client.get(LIST, {"q": "родителева"}).json()["results"]] == [s.parent.pk]
    assert client.get(LIST, {"role": "king"}).status_code == 422
    assert client.get(LIST, {"class": "x"}).status_code == 400  # a query filter that is not an id


def test_list_query_count_is_constant(client, django_assert_max_num_queries, db):
    big = build_small_school(name="Большая", students_per_class=30)
    client.force_login(big.admin)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.json()["count"] > 60


def test_director_reads_with_personal_data_but_cannot_write(client, small_school):
    s = small_school
    client.force_login(s.director)
    data = client.get(one(s.teacher)).json()
    assert data["full_name"] == s.teacher.full_name and "snils" in data and "birth_date" in data
    response = client.patch(one(s.teacher), {"phone": "89120000000"}, content_type="application/json")
    assert response.status_code == 404
    assert client.post(LIST, {"last_name": "А", "first_name": "Б", "roles": ["student"]}).status_code == 404


def test_admin_creates_updates_and_deactivates(client, small_school):
    s = small_school
    client.force_login(s.admin)
    payload = {"last_name": "Смирнов", "first_name": "Иван", "snils": "11223344595", "roles": ["student"]}
    response = client.post(LIST, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["snils"] == "112-233-445 95" and created["roles"] == ["student"] and not created["has_password"]
    person = User.objects.get(pk=created["id"])
    response = client.patch(one(person), {"phone": "8 912 000 00 00"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["phone"] == "+79120000000"
    response = client.patch(one(person), {"snils": "112-233-445 00"}, content_type="application/json")
    assert response.status_code == 422 and "СНИЛС" in response.json()["message"]
    assert User.objects.get(pk=person.pk).snils == "112-233-445 95"
    response = client.post(reverse("api-person-deactivate", args=[person.pk]))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert SecurityEvent.objects.filter(kind=EventKind.USER_DEACTIVATED, subject=person).exists()
    response = client.post(reverse("api-person-activate", args=[person.pk]))
    assert response.json()["is_active"] is True


def test_create_without_roles_is_refused(client, small_school):
    client.force_login(small_school.admin)
    response = client.post(LIST, {"last_name": "А", "first_name": "Б", "roles": []}, content_type="application/json")
    assert response.status_code == 400
    assert not User.objects.filter(last_name="А").exists()


def test_roles_grant_and_revoke(client, small_school):
    s = small_school
    client.force_login(s.admin)
    url = reverse("api-person-roles", args=[s.teacher.pk])
    response = client.post(url, {"role": "parent"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["roles"] == ["parent", "teacher"]
    response = client.delete(reverse("api-person-role", args=[s.teacher.pk, "parent"]))
    assert response.status_code == 200 and response.json()["roles"] == ["teacher"]
    assert client.delete(reverse("api-person-role", args=[s.teacher.pk, "parent"])).status_code == 422
    assert client.post(url, {"role": "king"}, content_type="application/json").status_code == 400
    kinds = list(SecurityEvent.objects.filter(subject=s.teacher).values_list("kind", flat=True))
    assert EventKind.ROLE_GRANTED in kinds and EventKind.ROLE_REVOKED in kinds


def test_class_teacher_cannot_lose_teacher_role_through_the_api(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.delete(reverse("api-person-role", args=[s.class_teacher.pk, "teacher"]))
    assert response.status_code == 422
    assert s.class_teacher.has_role(Role.TEACHER)
    people.set_leads_class(actor=s.admin, person=s.class_teacher, class_group=s.class_5a, leads=False)
    assert client.delete(reverse("api-person-role", args=[s.class_teacher.pk, "teacher"])).status_code == 200


def test_api_admin_role_needs_the_granters_password(client, small_school):
    """Issue 13: the API refuses what the card refuses — no one-call administrator."""
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    url = reverse("api-person-roles", args=[s.teacher.pk])
    for body in ({"role": "admin"}, {"role": "admin", "password": "не тот"}):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 422 and "Неверный пароль" in str(response.json())
    assert not User.objects.get(pk=s.teacher.pk).has_role(Role.ADMIN)
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED).count() == 2
    response = client.post(url, {"role": "admin", "password": "пароль-администратора"}, content_type="application/json")
    assert response.status_code == 200 and "admin" in response.json()["roles"]


def test_api_refuses_a_school_reading_role_for_a_student(client, small_school):
    s = small_school
    client.force_login(s.admin)
    url = reverse("api-person-roles", args=[s.students_5a[0].pk])
    assert client.post(url, {"role": "deputy"}, content_type="application/json").status_code == 422
    payload = {"last_name": "Смирнов", "first_name": "Иван", "roles": ["student", "director"]}
    assert client.post(LIST, payload, content_type="application/json").status_code == 422
    assert User.objects.get(pk=s.students_5a[0].pk).roles == {Role.STUDENT}


def test_api_create_of_an_administrator_needs_the_granters_password(client, small_school):
    """Issue 13, part E: POST /api/v1/people/ refused what the card refuses — a new administrator in one call."""
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    new = {"last_name": "Новиков", "first_name": "Илья", "roles": ["admin", "teacher"]}
    for extra in ({}, {"password": "не тот"}):
        response = client.post(LIST, {**new, **extra}, content_type="application/json")
        assert response.status_code == 422 and "Неверный пароль: человек не добавлен" in str(response.json())
    assert not User.objects.filter(last_name="Новиков").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED).count() == 2
    response = client.post(LIST, {**new, "password": "пароль-администратора"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["roles"] == ["admin", "teacher"]
    assert "password" not in response.json()
