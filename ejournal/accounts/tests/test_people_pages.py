"""People pages: the administrator manages, the director reads, everyone else gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.accounts import people, services
from ejournal.accounts.models import Guardianship, PersonChange, Role, User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import build_small_school

LIST = reverse("people:list")


def detail(person: User) -> str:
    return reverse("people:detail", args=[person.pk])


def test_anonymous_goes_to_login(client, small_school):
    for url in (LIST, detail(small_school.teacher), reverse("people:create")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "deputy", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(LIST).status_code == 404
    assert client.get(detail(small_school.teacher)).status_code == 404
    assert client.post(reverse("people:active", args=[small_school.teacher.pk]), {"active": "0"}).status_code == 404
    small_school.teacher.refresh_from_db()
    assert small_school.teacher.is_active


def test_another_schools_admin_gets_404(client, small_school, other_school):
    client.force_login(other_school.admin)
    assert client.get(detail(small_school.teacher)).status_code == 404
    body = client.get(LIST, {"status": "all"}).content.decode()
    assert detail(other_school.teacher) in body  # the same names exist in both schools: compare the links
    assert detail(small_school.teacher) not in body


def test_admin_lists_people_with_birth_dates(client, small_school):
    s = small_school
    people.update_person(actor=s.admin, person=s.students_5a[0], birth_date=dt.date(2015, 4, 3))
    client.force_login(s.admin)
    body = client.get(LIST).content.decode()
    assert s.students_5a[0].full_name in body and s.teacher.full_name in body
    assert "03.04.2015" in body and "Добавить человека" in body
    assert "кл. рук. 5А" in body


def test_director_reads_without_forms(client, small_school):
    s = small_school
    client.force_login(s.director)
    assert "Добавить человека" not in client.get(LIST).content.decode()
    body = client.get(detail(s.teacher)).content.decode()
    assert s.teacher.full_name in body and "Выдать роль" not in body
    assert client.get(reverse("people:edit", args=[s.teacher.pk])).status_code == 404
    assert client.post(reverse("people:roles", args=[s.teacher.pk]), {"role": "admin"}).status_code == 404
    assert not s.teacher.has_role(Role.ADMIN)


def test_search_and_filters(client, small_school):
    s = small_school
    client.force_login(s.admin)
    body = client.get(LIST, {"q": "учителева"}).content.decode()
    assert s.teacher.full_name in body and s.teacher2.full_name not in body
    body = client.get(LIST, {"role": Role.PARENT}).content.decode()
    assert s.parent.full_name in body and s.teacher.full_name not in body
    body = client.get(LIST, {"class": s.class_5a.pk}).content.decode()
    assert s.students_5a[1].full_name in body  # a student
    assert s.parent.full_name in body  # a parent of a student of the class
    assert s.class_teacher.full_name in body  # its class teacher
    assert s.students_10a[0].full_name not in body and s.teacher.full_name not in body
    people.set_active(actor=s.admin, person=s.teacher2, active=False)
    assert s.teacher2.full_name not in client.get(LIST).content.decode()
    assert s.teacher2.full_name in client.get(LIST, {"status": "inactive"}).content.decode()
    assert client.get(LIST, {"class": "x", "role": "nobody", "status": "?"}).status_code == 200


def test_list_query_count_does_not_grow_with_the_school(client, django_assert_max_num_queries, db):
    big = build_small_school(name="Большая", students_per_class=30)
    for student in big.students_5a:
        parent = big.person(f"Родитель{student.pk}", "Р", Role.PARENT)
        services.link_parent(actor=big.admin, parent=parent, child=student)
    client.force_login(big.admin)
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"status": "all"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 90
    with django_assert_max_num_queries(12):
        assert client.get(LIST, {"class": big.class_5a.pk, "q": "Родитель"}).status_code == 200


def test_create_person(client, small_school):
    s = small_school
    client.force_login(s.admin)
    data = {
        "last_name": "Петров",
        "first_name": "Пётр",
        "middle_name": "Петрович",
        "birth_date": "2014-02-01",
        "snils": "112 233 445 95",
        "phone": "",
        "email": "",
        "roles": [Role.STUDENT],
    }
    response = client.post(reverse("people:create"), data)
    person = User.objects.get(last_name="Петров")
    assert response.status_code == 302 and response["Location"] == detail(person)
    assert person.has_role(Role.STUDENT) and person.snils == "112-233-445 95" and person.school == s.school


def test_create_with_bad_snils_shows_the_error_and_saves_nothing(client, small_school):
    client.force_login(small_school.admin)
    data = {"last_name": "Петров", "first_name": "Пётр", "snils": "112-233-445 00", "roles": [Role.STUDENT]}
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 422
    assert "контрольное число" in response.content.decode()
    assert not User.objects.filter(last_name="Петров").exists()


def test_edit_person_and_see_history(client, small_school):
    s = small_school
    client.force_login(s.admin)
    url = reverse("people:edit", args=[s.teacher.pk])
    assert client.get(url).status_code == 200
    data = {"last_name": "Учителева-Новая", "first_name": "Ульяна", "snils": "112-233-445 95", "phone": "89120000000"}
    assert client.post(url, data).status_code == 302
    s.teacher.refresh_from_db()
    assert s.teacher.last_name == "Учителева-Новая" and s.teacher.phone == "+79120000000"
    body = client.get(detail(s.teacher)).content.decode()
    assert "История изменений" in body and "Учителева-Новая" in body and "изменён" in body
    assert body.count("112-233-445 95") == 1  # in the data block, not in the history


def test_edit_with_bad_phone_is_refused(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.post(
        reverse("people:edit", args=[s.teacher.pk]), {"last_name": "X", "first_name": "Y", "phone": "1"}
    )
    assert response.status_code == 422 and "Телефон" in response.content.decode()
    s.teacher.refresh_from_db()
    assert s.teacher.last_name == "Учителева"


def test_deactivate_and_reactivate(client, small_school):
    s = small_school
    client.force_login(s.admin)
    assert client.post(reverse("people:active", args=[s.teacher.pk]), {"active": "0"}).status_code == 302
    s.teacher.refresh_from_db()
    assert not s.teacher.is_active
    assert SecurityEvent.objects.filter(kind=EventKind.USER_DEACTIVATED, subject=s.teacher).exists()
    assert client.post(reverse("people:active", args=[s.teacher.pk]), {"active": "1"}).status_code == 302
    s.teacher.refresh_from_db()
    assert s.teacher.is_active
    response = client.post(reverse("people:active", args=[s.admin.pk]), {"active": "0"})
    assert response.status_code == 422 and "самого себя" in response.content.decode()


def test_grant_and_revoke_roles(client, small_school):
    s = small_school
    client.force_login(s.admin)
    url = reverse("people:roles", args=[s.teacher.pk])
    assert client.post(url, {"role": Role.PARENT}).status_code == 302
    assert User.objects.get(pk=s.teacher.pk).has_role(Role.PARENT)
    assert client.post(url, {"role": Role.PARENT, "revoke": "1"}).status_code == 302
    assert not User.objects.get(pk=s.teacher.pk).has_role(Role.PARENT)
    assert client.post(url, {"role": "king"}).status_code == 422
    response = client.post(reverse("people:roles", args=[s.class_teacher.pk]), {"role": Role.TEACHER, "revoke": "1"})
    assert response.status_code == 422 and "классный руководитель" in response.content.decode()


def test_link_and_unlink_parent(client, small_school):
    s = small_school
    client.force_login(s.admin)
    child = s.students_5a[2]
    page = client.get(detail(s.parent)).content.decode()
    assert "Добавить ребёнка" in page
    assert client.post(reverse("people:guardians", args=[s.parent.pk]), {"child": child.pk}).status_code == 302
    link = Guardianship.objects.get(parent=s.parent, child=child)
    # from the child's side, a teacher is not a parent
    response = client.post(reverse("people:guardians", args=[child.pk]), {"parent": s.teacher.pk})
    assert response.status_code == 422
    remove = reverse("people:guardian_remove", args=[child.pk, link.pk])
    assert client.post(remove).status_code == 302
    assert not Guardianship.objects.filter(pk=link.pk).exists()
    assert PersonChange.objects.filter(person=child, field="guardianship").count() == 2


def test_link_to_another_schools_child_is_404(client, small_school, other_school):
    client.force_login(small_school.admin)
    response = client.post(
        reverse("people:guardians", args=[small_school.parent.pk]), {"child": other_school.students_5a[0].pk}
    )
    assert response.status_code == 404
    assert not Guardianship.objects.filter(child=other_school.students_5a[0], parent=small_school.parent).exists()


def test_make_class_teacher_and_link_to_assignments(client, small_school):
    s = small_school
    client.force_login(s.admin)
    body = client.get(detail(s.teacher)).content.decode()
    assert f"/curriculum/assignments/?teacher={s.teacher.pk}" in body
    url = reverse("people:classes", args=[s.teacher.pk])
    assert client.post(url, {"class_group": s.class_10a.pk, "leads": "1"}).status_code == 302
    assert list(s.class_10a.class_teachers.all()) == [s.teacher]
    assert client.post(url, {"class_group": s.class_10a.pk, "leads": "0"}).status_code == 302
    assert not s.class_10a.class_teachers.exists()
    assert client.post(url, {"class_group": "x", "leads": "1"}).status_code == 422
