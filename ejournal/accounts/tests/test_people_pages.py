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
    body = client.post(LIST, {"q": "учителева"}).content.decode()
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
        assert client.post(LIST, {"class": big.class_5a.pk, "q": "Родитель"}).status_code == 200


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
    assert "Найти ребёнка" in page
    url = reverse("people:guardians", args=[s.parent.pk])
    assert client.post(url, {"child": child.pk}).status_code == 200  # the confirmation first
    assert not Guardianship.objects.filter(parent=s.parent, child=child).exists()
    assert client.post(url, {"child": child.pk, "confirm": "1"}).status_code == 302
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
    url = reverse("people:guardians", args=[small_school.parent.pk])
    for confirm in ("", "1"):
        response = client.post(url, {"child": other_school.students_5a[0].pk, "confirm": confirm})
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


# --- issue 13: one-click role grants, parent links, surnames in URLs ----------------------------------------


def test_no_role_is_preselected_on_the_card(client, small_school):
    s = small_school
    client.force_login(s.admin)
    body = client.get(detail(s.teacher)).content.decode()
    grant = body[body.index("Выдать роль") :]
    grant = grant[: grant.index("</select>")]
    assert 'name="role" required><option value="" selected disabled>' in grant
    # Before: the first option, «ответственный администратор ЭЖ», was granted by one click on «Выдать».
    assert client.post(reverse("people:roles", args=[s.teacher.pk]), {"role": ""}).status_code == 422


def test_a_students_card_offers_no_role_that_reads_the_school(client, small_school):
    s = small_school
    client.force_login(s.admin)
    body = client.get(detail(s.students_5a[0])).content.decode()
    grant = body[body.index("Выдать роль") : body.index("</select>", body.index("Выдать роль"))]
    assert 'value="admin"' not in grant and 'value="director"' not in grant and 'value="deputy"' not in grant
    assert 'value="teacher"' in grant


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTOR])
def test_admin_and_director_roles_ask_for_the_granters_password(client, small_school, role):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    url = reverse("people:roles", args=[s.teacher.pk])
    response = client.post(url, {"role": role})
    body = response.content.decode()
    assert response.status_code == 200 and 'name="password"' in body and "Подтвердить и выдать" in body
    assert not User.objects.get(pk=s.teacher.pk).has_role(role)

    response = client.post(url, {"role": role, "password": "не тот"})
    assert response.status_code == 422 and "Неверный пароль: роль не выдана" in response.content.decode()
    assert not User.objects.get(pk=s.teacher.pk).has_role(role)
    [refused] = SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED)
    assert refused.actor == s.admin and refused.subject == s.teacher and refused.details == {"role": role}
    assert not SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANTED).exists()

    assert client.post(url, {"role": role, "password": "пароль-администратора"}).status_code == 302
    assert User.objects.get(pk=s.teacher.pk).has_role(role)
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANTED, subject=s.teacher).count() == 1


def test_a_student_is_never_given_admin_and_an_admin_never_the_students_role(client, small_school):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    student = s.students_5a[0]
    response = client.post(
        reverse("people:roles", args=[student.pk]), {"role": Role.ADMIN, "password": "пароль-администратора"}
    )
    assert response.status_code == 422 and "Ученик не может быть администратором" in response.content.decode()
    assert client.post(reverse("people:roles", args=[student.pk]), {"role": Role.DEPUTY}).status_code == 422
    assert client.post(reverse("people:roles", args=[s.director.pk]), {"role": Role.STUDENT}).status_code == 422
    assert User.objects.get(pk=student.pk).roles == {Role.STUDENT}
    assert Role.STUDENT not in User.objects.get(pk=s.director.pk).roles


def test_parent_linking_searches_by_post_and_confirms_who_sees_which_child(client, small_school):
    s = small_school
    client.force_login(s.admin)
    child = s.students_5a[2]
    url = reverse("people:guardians", args=[child.pk])
    body = client.get(detail(child)).content.decode()
    # No list of every parent of the school any more, and nothing preselected.
    assert "Найти родителя" in body and s.parent.full_name not in body
    assert client.post(url, {"find": "р", "kind": "parent"}).status_code == 422  # one letter finds no one
    body = client.post(url, {"find": "родителева", "kind": "parent"}).content.decode()
    assert s.parent.full_name in body and s.teacher.full_name not in body and "Выбрать родителем" in body
    body = client.post(url, {"parent": s.parent.pk, "relation": "мать"}).content.decode()
    assert f"{s.parent.full_name}</strong> будет видеть дневник: {child.full_name}, 5А" in body
    assert not Guardianship.objects.filter(parent=s.parent, child=child).exists()
    assert client.post(url, {"parent": s.parent.pk, "relation": "мать", "confirm": "1"}).status_code == 302
    assert Guardianship.objects.get(parent=s.parent, child=child).relation == "мать"


def test_parent_search_results_are_limited(client, small_school):
    s = small_school
    for i in range(25):
        s.person(f"Многодетнова{i:02d}", "Мария", Role.PARENT)
    client.force_login(s.admin)
    response = client.post(
        reverse("people:guardians", args=[s.students_5a[0].pk]), {"find": "многодетнова", "kind": "parent"}
    )
    assert len(response.context["found"]) == 20 and response.context["found_more"]
    assert "уточните поиск" in response.content.decode()


def test_people_search_is_a_post_and_names_in_the_url_are_ignored(client, small_school):
    s = small_school
    client.force_login(s.admin)
    body = client.get(LIST).content.decode()
    assert '<form method="post" action="/people/" class="row card" role="search">' in body
    # A surname typed into the address bar is not searched (and so not worth putting there).
    assert client.get(LIST, {"q": "учителева"}).context["filters"].q == ""


def test_people_search_pages_keep_the_search(client, db):
    big = build_small_school(name="Большая", students_per_class=30)
    for student in big.students_5a:
        for n in (1, 2):  # 60 parents: two pages of 50
            parent = big.person(f"Родитель{student.pk}x{n}", "Р", Role.PARENT)
            services.link_parent(actor=big.admin, parent=parent, child=student)
    client.force_login(big.admin)
    first = client.post(LIST, {"q": "родитель", "status": "all"})
    assert first.context["page"].paginator.num_pages == 2
    body = first.content.decode()
    assert 'name="page" value="2"' in body and 'name="q" value="родитель"' in body and "?q=" not in body
    second = client.post(LIST, {"q": "родитель", "status": "all", "page": "2"})
    assert second.context["page"].number == 2
    assert all("Родитель" in row.person.last_name for row in second.context["rows"])


# --- issue 13, part E: «Добавить человека» with the administrator's or director's role ----------------------

NEW_DIRECTOR = {"last_name": "Новикова", "first_name": "Анна", "roles": [Role.DIRECTOR]}


def test_the_new_person_form_has_the_granters_password_field(client, small_school):
    client.force_login(small_school.admin)
    body = client.get(reverse("people:create")).content.decode()
    assert "Ваш пароль (для роли администратора или директора)" in body
    assert 'type="password" name="password"' in body and 'autocomplete="current-password"' in body


def test_a_new_director_needs_the_granters_password_on_the_page(client, small_school):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    client.force_login(s.admin)
    url = reverse("people:create")
    for extra in ({}, {"password": "не тот"}):
        response = client.post(url, {**NEW_DIRECTOR, **extra})
        body = response.content.decode()
        assert response.status_code == 422 and "Неверный пароль: человек не добавлен" in body
        assert "не тот" not in body  # the typed password is never sent back
    assert not User.objects.filter(last_name="Новикова").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED, actor=s.admin).count() == 2

    response = client.post(url, {**NEW_DIRECTOR, "password": "пароль-администратора"})
    assert response.status_code == 302
    assert User.objects.get(last_name="Новикова").roles == {Role.DIRECTOR}


def test_a_new_teacher_needs_no_password_on_the_page(client, small_school):
    client.force_login(small_school.admin)
    response = client.post(reverse("people:create"), {**NEW_DIRECTOR, "roles": [Role.TEACHER]})
    assert response.status_code == 302 and User.objects.get(last_name="Новикова").roles == {Role.TEACHER}
