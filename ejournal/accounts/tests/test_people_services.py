"""Editing people: checks of input, the history of every change, the audit log, deactivation, roles."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.accounts import people, services
from ejournal.accounts.models import PersonChange, Role, RoleGrant, User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.core.errors import NotFound, ValidationFailed

VALID_SNILS = "112-233-445 95"


def events(kind: str, subject: User) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind, subject=subject))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("11223344595", VALID_SNILS), ("112 233 445 95", VALID_SNILS), ("", ""), ("001-001-998 00", "001-001-998 00")],
)
def test_snils_is_normalised(typed, stored):
    assert people.normalize_snils(typed) == stored


@pytest.mark.parametrize("typed", ["112-233-445 96", "1122334459", "abc", "112-233-445 9X"])
def test_wrong_snils_is_refused(typed):
    with pytest.raises(ValidationFailed):
        people.normalize_snils(typed)


@pytest.mark.parametrize(
    ("typed", "stored"), [("8 (912) 345-67-89", "+79123456789"), ("+7 912 345 67 89", "+79123456789"), ("", "")]
)
def test_phone_is_normalised(typed, stored):
    assert people.normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "+1 212 555 0100", "8912345678x"])
def test_wrong_phone_is_refused(typed):
    with pytest.raises(ValidationFailed):
        people.normalize_phone(typed)


def test_add_person_with_details_and_audit(small_school):
    s = small_school
    person = people.add_person(
        actor=s.admin,
        school=s.school,
        last_name=" Смирнова ",
        first_name="Ольга",
        middle_name="Игоревна",
        birth_date=dt.date(2015, 3, 1),
        snils="11223344595",
        phone="89123456789",
        email="olga@example.org",
        roles=[Role.STUDENT],
    )
    person.refresh_from_db()
    assert (person.last_name, person.snils, person.phone) == ("Смирнова", VALID_SNILS, "+79123456789")
    assert person.username == "smirnova.oi"
    assert not person.has_usable_password()
    [event] = events(EventKind.USER_CREATED, person)
    assert event.actor == s.admin and "Смирнова" not in event.summary


def test_add_person_with_bad_snils_saves_nothing(small_school):
    s = small_school
    before = User.objects.count()
    with pytest.raises(ValidationFailed):
        people.add_person(
            actor=s.admin, school=s.school, last_name="А", first_name="Б", snils="112-233-445 00", roles=[Role.PARENT]
        )
    assert User.objects.count() == before


def test_update_keeps_history_with_old_and_new_but_not_the_snils(small_school):
    s = small_school
    student = s.students_5a[0]
    changed = people.update_person(
        actor=s.admin, person=student, last_name="Новикова", snils=VALID_SNILS, birth_date=dt.date(2015, 5, 2)
    )
    assert set(changed) == {"last_name", "snils", "birth_date"}
    rows = {c.field: c for c in PersonChange.objects.filter(person=student)}
    assert (rows["last_name"].old_value, rows["last_name"].new_value) == ("Ученик50", "Новикова")
    assert rows["birth_date"].new_value == "02.05.2015"
    assert (rows["snils"].old_value, rows["snils"].new_value) == ("", "")
    assert all(c.actor == s.admin for c in rows.values())
    [event] = events(EventKind.USER_CHANGED, student)
    assert sorted(event.details["fields"]) == ["birth_date", "last_name", "snils"]
    assert "112" not in str(event.details) and "Новикова" not in event.summary


def test_update_with_the_same_values_changes_nothing(small_school):
    s = small_school
    student = s.students_5a[0]
    assert people.update_person(actor=s.admin, person=student, last_name=student.last_name) == []
    assert not PersonChange.objects.filter(person=student).exists()


def test_birth_date_in_future_is_refused(small_school):
    with pytest.raises(ValidationFailed):
        people.update_person(actor=small_school.admin, person=small_school.teacher, birth_date=dt.date(2999, 1, 1))


def test_only_the_administrator_edits_people(small_school, other_school):
    s = small_school
    for actor in (s.director, s.deputy, s.class_teacher):
        with pytest.raises(NotFound):
            people.update_person(actor=actor, person=s.teacher, phone="89123456789")
    with pytest.raises(NotFound):
        people.update_person(actor=other_school.admin, person=s.teacher, phone="89123456789")
    s.teacher.refresh_from_db()
    assert s.teacher.phone == ""


def test_deactivation_keeps_everything_and_blocks_login(small_school, client):
    s = small_school
    teacher = s.teacher
    teacher.set_password("Kx7-pass-word")
    teacher.save()
    people.set_active(actor=s.admin, person=teacher, active=False)
    teacher.refresh_from_db()
    assert not teacher.is_active and teacher.has_role(Role.TEACHER)
    assert teacher.assignments.exists()
    assert not client.login(username=teacher.username, password="Kx7-pass-word")
    assert len(events(EventKind.USER_DEACTIVATED, teacher)) == 1
    people.set_active(actor=s.admin, person=teacher, active=True)
    assert client.login(username=teacher.username, password="Kx7-pass-word")
    assert len(events(EventKind.USER_ACTIVATED, teacher)) == 1
    assert [c.new_value for c in PersonChange.objects.filter(person=teacher, field="is_active").order_by("id")] == [
        "отключён",
        "действует",
    ]


def test_the_administrator_cannot_deactivate_themselves(small_school):
    with pytest.raises(ValidationFailed):
        people.set_active(actor=small_school.admin, person=small_school.admin, active=False)


def test_roles_grant_and_revoke_with_history_and_events(small_school):
    s = small_school
    teacher = s.teacher
    services.grant_role(actor=s.admin, user=teacher, role=Role.PARENT)
    assert teacher.has_role(Role.PARENT, Role.TEACHER)
    services.revoke_role(actor=s.admin, user=teacher, role=Role.PARENT)
    assert not RoleGrant.objects.filter(user=teacher, role=Role.PARENT).exists()
    assert len(events(EventKind.ROLE_GRANTED, teacher)) == 1
    assert events(EventKind.ROLE_REVOKED, teacher)[0].details == {"role": "parent"}
    history = list(PersonChange.objects.filter(person=teacher, field="roles").order_by("id"))
    assert [(h.old_value, h.new_value) for h in history] == [
        ("учитель", "родитель, учитель"),
        ("родитель, учитель", "учитель"),
    ]


def test_granting_a_held_role_records_nothing(small_school):
    s = small_school
    services.grant_role(actor=s.admin, user=s.teacher, role=Role.TEACHER)
    assert not events(EventKind.ROLE_GRANTED, s.teacher)


def test_class_teacher_keeps_the_teacher_role_until_replaced(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match="5А"):
        services.revoke_role(actor=s.admin, user=s.class_teacher, role=Role.TEACHER)
    assert s.class_teacher.has_role(Role.TEACHER)


def test_the_administrator_keeps_their_own_role(small_school):
    with pytest.raises(ValidationFailed):
        services.revoke_role(actor=small_school.admin, user=small_school.admin, role=Role.ADMIN)


def test_guardian_links_and_class_teacher_are_kept_in_history(small_school):
    s = small_school
    parent = s.person("Отцов", "Олег", Role.PARENT)
    child = s.students_5a[1]
    link = people.link_guardian(actor=s.admin, parent=parent, child=child, relation="отец")
    with pytest.raises(ValidationFailed):
        people.link_guardian(actor=s.admin, parent=parent, child=child)
    people.unlink_guardian(actor=s.admin, link=link)
    assert [(c.old_value, c.new_value) for c in PersonChange.objects.filter(person=parent).order_by("id")] == [
        ("", child.full_name),
        (child.full_name, ""),
    ]
    people.set_leads_class(actor=s.admin, person=s.teacher, class_group=s.class_10a, leads=True)
    assert set(s.class_10a.class_teachers.all()) == {s.teacher}
    people.set_leads_class(actor=s.admin, person=s.teacher, class_group=s.class_5a, leads=True)
    assert set(s.class_5a.class_teachers.all()) == {s.teacher, s.class_teacher}
    people.set_leads_class(actor=s.admin, person=s.teacher, class_group=s.class_5a, leads=False)
    assert set(s.class_5a.class_teachers.all()) == {s.class_teacher}
    assert PersonChange.objects.filter(person=s.teacher, field="class_teacher").count() == 3


def test_only_a_teacher_leads_a_class(small_school):
    s = small_school
    with pytest.raises(ValidationFailed):
        people.set_leads_class(actor=s.admin, person=s.parent, class_group=s.class_10a, leads=True)
    assert not s.class_10a.class_teachers.exists()


def test_usernames_are_unique_transliterated_surname_and_initials(small_school):
    s = small_school
    first = s.person("Щукина", "Юлия", Role.STUDENT)
    second = s.person("Щукина", "Юлия", Role.STUDENT)
    assert (first.username, second.username) == ("shchukina.iu", "shchukina.iu2")


def test_deactivation_ends_open_sessions(small_school, client):
    s = small_school
    client.force_login(s.teacher)
    assert client.get("/").status_code == 200
    people.set_active(actor=s.admin, person=s.teacher, active=False)
    assert client.get("/")["Location"].startswith("/accounts/login/")


# --- issue 13, part E: a new administrator or director needs the granter's password -----------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTOR])
def test_a_new_admin_or_director_needs_the_granters_password(small_school, role):
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    count = User.objects.count()
    for password in (None, "", "не тот"):
        with pytest.raises(ValidationFailed) as refused:
            people.add_person(
                actor=s.admin,
                school=s.school,
                last_name="Новикова",
                first_name="Анна",
                roles=[Role.TEACHER, role],
                granter_password=password,
            )
        assert refused.value.field == "password" and "Неверный пароль: человек не добавлен" in refused.value.message
    assert User.objects.count() == count
    refusals = SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED)
    assert refusals.count() == 3
    assert {(e.actor_id, e.subject_id) for e in refusals} == {(s.admin.pk, None)}
    first = refusals[0]
    assert first.details == {"roles": [role], "new_person": True} and "Новикова" not in first.summary

    person = people.add_person(
        actor=s.admin,
        school=s.school,
        last_name="Новикова",
        first_name="Анна",
        roles=[Role.TEACHER, role],
        granter_password="пароль-администратора",
    )
    assert person.roles == {Role.TEACHER, role}


def test_other_roles_need_no_password(small_school):
    s = small_school
    person = people.add_person(
        actor=s.admin, school=s.school, last_name="Новиков", first_name="Илья", roles=[Role.TEACHER, Role.DEPUTY]
    )
    assert person.roles == {Role.TEACHER, Role.DEPUTY}
    assert not SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED).exists()


def test_a_new_student_administrator_is_refused_before_the_password(small_school):
    s = small_school
    with pytest.raises(ValidationFailed) as refused:
        people.add_person(
            actor=s.admin, school=s.school, last_name="Юный", first_name="Админ", roles=[Role.STUDENT, Role.ADMIN]
        )
    assert refused.value.field == "roles"
    assert not SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED).exists()


def test_grant_role_confirmed_by_the_caller_needs_no_password(small_school):
    """An import's worker: the password was checked when the batch was queued (interop.services)."""
    s = small_school
    services.grant_role(actor=s.admin, user=s.teacher, role=Role.DIRECTOR, confirmed=True)
    assert User.objects.get(pk=s.teacher.pk).has_role(Role.DIRECTOR)
    assert not SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED).exists()


def test_guessing_the_granters_password_is_slowed_like_a_sign_in(small_school, settings):
    """A stolen administrator's session cannot guess the password that confirms a grant: each wrong one counts
    toward the account's delay, and within the delay even the right password grants nothing."""
    s = small_school
    s.admin.set_password("пароль-администратора")
    s.admin.save()
    for _ in range(settings.EJOURNAL_LOCKOUT_FAILURES + 1):
        with pytest.raises(ValidationFailed):
            services.grant_role(actor=s.admin, user=s.teacher, role=Role.DIRECTOR, password="угадываю")
    with pytest.raises(ValidationFailed) as delayed:
        services.grant_role(actor=s.admin, user=s.teacher, role=Role.DIRECTOR, password="пароль-администратора")
    assert "подождите" in delayed.value.message.lower() or "попробуйте" in delayed.value.message.lower()
    assert not User.objects.get(pk=s.teacher.pk).has_role(Role.DIRECTOR)
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT).exists()
