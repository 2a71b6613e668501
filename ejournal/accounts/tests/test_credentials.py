"""Issuing one-time credentials for a class and printing the slips."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ejournal.accounts import credentials, people
from ejournal.accounts.models import PersonChange, Role, User, UserSession
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.schools import services as schools


def roster_ids(user, group):
    return [row.person.pk for row in credentials.credential_roster(user=user, class_group=group)]


def test_roster_is_students_each_followed_by_their_parents(small_school):
    s = small_school
    rows = credentials.credential_roster(user=s.class_teacher, class_group=s.class_5a)
    assert [r.person for r in rows[:2]] == [s.students_5a[0], s.parent]
    assert rows[1].role == f"родитель: {s.students_5a[0].full_name}"
    assert {r.person for r in rows} == {*s.students_5a, s.parent}
    assert all(r.status == "не выдан" for r in rows)


def test_a_parent_of_two_children_is_listed_once(small_school):
    s = small_school
    people.link_guardian(actor=s.admin, parent=s.parent, child=s.students_5a[3])
    assert roster_ids(s.class_teacher, s.class_5a).count(s.parent.pk) == 1


def test_left_students_and_inactive_people_are_not_listed(small_school, monkeypatch):
    s = small_school
    monkeypatch.setattr(credentials, "school_today", lambda tz: dt.date(2026, 12, 25))
    schools.withdraw(actor=s.admin, student=s.students_5a[1], last_day=dt.date(2026, 12, 1), reason="переезд")
    schools.withdraw(actor=s.admin, student=s.students_5a[2], last_day=dt.date(2026, 12, 30), reason="переезд")
    people.set_active(actor=s.admin, person=s.parent, active=False)
    ids = roster_ids(s.class_teacher, s.class_5a)
    assert s.students_5a[1].pk not in ids  # left before today
    assert s.students_5a[2].pk in ids  # leaves later: still the class's
    assert s.parent.pk not in ids


def test_issue_one_stores_only_the_hash_and_forces_a_new_password(small_school):
    s = small_school
    student = s.students_5a[0]
    [issued] = credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a, person_ids=[student.pk])
    student.refresh_from_db()
    assert issued.login == student.username and len(issued.password) == 10
    assert student.check_password(issued.password)
    assert issued.password not in student.password
    assert student.must_change_password
    assert PersonChange.objects.filter(person=student, field="password", actor=s.class_teacher).exists()
    [event] = SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED)
    assert event.details["class_id"] == s.class_5a.pk and event.details["count"] == 1
    assert event.actor == s.class_teacher and issued.password not in str(event.details) + event.summary


def test_issue_all_covers_students_and_parents_with_distinct_passwords(small_school):
    s = small_school
    issued = credentials.issue_credentials(actor=s.admin, class_group=s.class_5a)
    assert {c.person_id for c in issued} == {p.pk for p in [*s.students_5a, s.parent]}
    assert len({c.password for c in issued}) == len(issued)
    assert SecurityEvent.objects.get(kind=EventKind.CREDENTIALS_ISSUED).details["count"] == 6


def test_reset_replaces_the_old_password(small_school):
    s = small_school
    student = s.students_5a[0]
    [first] = credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a, person_ids=[student.pk])
    [second] = credentials.issue_credentials(actor=s.admin, class_group=s.class_5a, person_ids=[student.pk])
    student.refresh_from_db()
    assert student.check_password(second.password) and not student.check_password(first.password)


def test_new_class_passwords_end_the_peoples_sessions(small_school, client):
    """Whoever is signed in may be so with the old password: «Мои сеансы» must not keep listing them."""
    s = small_school
    student = s.students_5a[0]
    client.force_login(student)
    assert UserSession.objects.filter(user=student).exists()
    credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a, person_ids=[student.pk])
    assert not UserSession.objects.filter(user=student).exists()
    [event] = SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED)
    assert event.details["sessions_ended"] == 1


def test_a_login_is_made_for_who_has_none(small_school):
    s = small_school
    student = s.students_5a[0]
    User.objects.filter(pk=student.pk).update(username="", middle_name="Петровна")
    [issued] = credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a, person_ids=[student.pk])
    assert issued.login == "uchenik50.ip"
    assert User.objects.get(pk=student.pk).username == "uchenik50.ip"


def test_a_class_teacher_cannot_issue_for_another_class(small_school):
    s = small_school
    with pytest.raises(NotFound):
        credentials.require_class(s.class_teacher, s.class_10a.pk)
    with pytest.raises(NotFound):
        credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_10a)
    assert not any(u.has_usable_password() for u in s.students_10a)


def test_someone_outside_the_class_is_not_found_and_nothing_changes(small_school, other_school):
    s = small_school
    for outsider in (s.students_10a[0], s.teacher, other_school.students_5a[0]):
        with pytest.raises(NotFound):
            credentials.issue_credentials(
                actor=s.class_teacher, class_group=s.class_5a, person_ids=[s.students_5a[0].pk, outsider.pk]
            )
    assert not User.objects.get(pk=s.students_5a[0].pk).has_usable_password()
    assert not SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED).exists()


@pytest.mark.parametrize("who", ["teacher", "deputy", "director", "parent"])
def test_only_class_teachers_and_the_administrator_issue(small_school, who):
    with pytest.raises(NotFound):
        credentials.require_class(getattr(small_school, who), small_school.class_5a.pk)


def test_other_schools_admin_cannot_issue(small_school, other_school):
    with pytest.raises(NotFound):
        credentials.require_class(other_school.admin, small_school.class_5a.pk)


def test_empty_choice_is_refused(small_school):
    with pytest.raises(ValidationFailed):
        credentials.issue_credentials(actor=small_school.admin, class_group=small_school.class_5a, person_ids=[])


def test_slips_pdf_has_eight_slips_a_page_with_login_and_password(small_school):
    s = small_school
    for i in range(4):
        parent = s.person(f"Родитель{i}", "Р", Role.PARENT)
        people.link_guardian(actor=s.admin, parent=parent, child=s.students_5a[i + 1])
    issued = credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a)
    assert len(issued) == 10
    pdf = credentials.slips_pdf(school_name=s.school.name, site="http://127.0.0.1:8000", issued=issued, on=s.year.start)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2  # ten slips, eight to a page
    text = "".join(page.extract_text() for page in reader.pages)
    for credential in issued:
        assert credential.login in text and credential.password in text
    assert s.school.name in text and "http://127.0.0.1:8000" in text and "одноразовый" in text
    # the database has the hashes only
    for credential in issued:
        stored = User.objects.get(pk=credential.person_id).password
        assert credential.password not in stored and stored.startswith(("md5$", "argon2", "pbkdf2"))


# --- issue 13, part E: a one-time password for one person (staff included) from their card ------------------


def test_the_administrator_gives_a_teacher_a_one_time_password(small_school, client):
    s = small_school
    s.teacher.set_password("старый-пароль-учителя")
    s.teacher.save()
    client.force_login(s.teacher)
    assert UserSession.objects.filter(user=s.teacher).exists()

    issued = credentials.issue_person_credentials(actor=s.admin, person=s.teacher)
    teacher = User.objects.get(pk=s.teacher.pk)
    assert issued.login == teacher.username and issued.role == "учитель"
    assert teacher.check_password(issued.password) and not teacher.check_password("старый-пароль-учителя")
    assert teacher.must_change_password
    assert not UserSession.objects.filter(user=s.teacher).exists()
    assert client.get("/")["Location"].startswith("/accounts/login/")
    [change] = PersonChange.objects.filter(person=teacher, field=PersonChange.PASSWORD)
    assert change.actor == s.admin and change.new_value == "выдан одноразовый пароль"
    [event] = SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED, subject=teacher)
    assert event.actor == s.admin and event.details == {"count": 1, "user_ids": [teacher.pk], "sessions_ended": 1}
    assert issued.password not in event.summary + str(event.details)


@pytest.mark.parametrize("who", ["class_teacher", "director", "deputy", "teacher"])
def test_nobody_but_the_administrator_issues_from_the_card(small_school, who):
    s = small_school
    target = s.students_5a[0] if who == "class_teacher" else s.teacher2
    with pytest.raises(NotFound):
        credentials.issue_person_credentials(actor=getattr(s, who), person=target)
    assert not User.objects.get(pk=target.pk).has_usable_password()


def test_not_to_themselves_nor_to_another_school(small_school, other_school):
    s = small_school
    for actor, person in ((s.admin, s.admin), (other_school.admin, s.teacher), (s.admin, other_school.teacher)):
        with pytest.raises(NotFound):
            credentials.issue_person_credentials(actor=actor, person=person)
    assert not SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED).exists()


def test_a_deactivated_person_gets_no_password(small_school):
    s = small_school
    people.set_active(actor=s.admin, person=s.teacher, active=False)
    with pytest.raises(ValidationFailed):
        credentials.issue_person_credentials(actor=s.admin, person=s.teacher)


def test_the_card_slip_names_the_administrator(small_school):
    s = small_school
    issued = credentials.issue_person_credentials(actor=s.admin, person=s.deputy)
    pdf = credentials.slips_pdf(
        school_name=s.school.name,
        site="https://ej.example",
        issued=[issued],
        on=dt.date(2026, 9, 1),
        instruction=credentials.CARD_INSTRUCTION,
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert issued.password in text and issued.login in text and "администратору" in text
