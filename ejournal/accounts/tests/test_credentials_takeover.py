"""Issue 13, item 2: a class teacher issued a one-time password or a Госуслуги link code to "a parent of my
class" who was also a teacher, or the director given a parent link, and so took over their account.

The rule (access.people.may_issue_credentials): a class teacher issues only for people who are nothing but
students or parents of their class; the administrator for anyone of the school but themselves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.access import people as access_people
from ejournal.accounts import credentials, services
from ejournal.accounts.auth import linking
from ejournal.accounts.models import LinkCode, Role
from ejournal.core.errors import NotFound


@pytest.fixture
def staff_parents(small_school):
    """A teacher and the director, each also a parent of a student of 5А (the class teacher's class)."""
    s = small_school
    services.grant_role(actor=s.admin, user=s.teacher, role=Role.PARENT)
    services.link_parent(actor=s.admin, parent=s.teacher, child=s.students_5a[1])
    services.grant_role(actor=s.admin, user=s.director, role=Role.PARENT)
    services.link_parent(actor=s.admin, parent=s.director, child=s.students_5a[2])
    return s.teacher, s.director


def test_the_roster_marks_staff_parents_as_the_administrators(small_school, staff_parents):
    s = small_school
    rows = {r.person.pk: r for r in credentials.credential_roster(user=s.class_teacher, class_group=s.class_5a)}
    for person in staff_parents:
        assert not rows[person.pk].issuable and rows[person.pk].status == "выдаёт администратор"
    assert rows[s.parent.pk].issuable and rows[s.students_5a[0].pk].issuable
    admin_rows = credentials.credential_roster(user=s.admin, class_group=s.class_5a)
    assert all(r.issuable for r in admin_rows)


@pytest.mark.parametrize("which", [0, 1])
def test_class_teacher_cannot_reset_a_staff_parents_password(small_school, staff_parents, which):
    s = small_school
    person = staff_parents[which]
    before = person.password
    with pytest.raises(NotFound):
        credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a, person_ids=[person.pk])
    person.refresh_from_db()
    assert person.password == before


def test_issue_all_by_the_class_teacher_skips_staff_parents(small_school, staff_parents):
    s = small_school
    issued = credentials.issue_credentials(actor=s.class_teacher, class_group=s.class_5a)
    ids = {c.person_id for c in issued}
    assert s.parent.pk in ids and not ids & {p.pk for p in staff_parents}


def test_the_administrator_issues_for_staff_parents_but_not_for_themselves(small_school, staff_parents):
    s = small_school
    issued = credentials.issue_credentials(actor=s.admin, class_group=s.class_5a, person_ids=[s.director.pk])
    assert [c.person_id for c in issued] == [s.director.pk]
    assert not access_people.may_issue_credentials(s.admin, s.admin)
    assert access_people.may_issue_credentials(s.admin, s.deputy)


def test_a_parent_with_django_staff_flags_is_the_administrators(small_school):
    s = small_school
    s.parent.is_staff = True
    s.parent.save(update_fields=["is_staff"])
    assert not access_people.may_issue_credentials(s.class_teacher, s.parent)
    assert access_people.may_issue_credentials(s.admin, s.parent)


def test_class_page_shows_no_button_for_a_staff_parent(client, small_school, staff_parents):
    s = small_school
    client.force_login(s.class_teacher)
    url = reverse("people:class_credentials", args=[s.class_5a.pk])
    body = client.get(url).content.decode()
    assert "выдаёт администратор" in body
    assert f'name="one" value="{s.teacher.pk}"' not in body and f'value="{s.director.pk}" aria-label' not in body
    assert f'name="one" value="{s.parent.pk}"' in body
    assert client.post(url, {"one": s.director.pk}).status_code == 404


def test_api_refuses_the_same(client, small_school, staff_parents):
    s = small_school
    client.force_login(s.class_teacher)
    url = reverse("api-class-credentials", args=[s.class_5a.pk])
    rows = {r["id"]: r for r in client.get(url).json()}
    assert rows[s.teacher.pk]["issuable"] is False and rows[s.parent.pk]["issuable"] is True
    response = client.post(url, {"people": [s.teacher.pk]}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize("which", [0, 1])
def test_class_teacher_cannot_issue_a_link_code_to_a_staff_parent(client, small_school, staff_parents, which):
    s = small_school
    person = staff_parents[which]
    client.force_login(s.class_teacher)
    assert client.post(reverse("link_code_issue", args=[person.pk])).status_code == 404
    with pytest.raises(NotFound):
        linking.issue_link_code(actor=s.class_teacher, person=person)
    assert not LinkCode.objects.exists()
    client.force_login(s.admin)
    assert client.post(reverse("link_code_issue", args=[person.pk])).status_code == 200
    assert LinkCode.objects.filter(user=person).count() == 1


def test_nobody_issues_their_own_link_code(client, small_school):
    s = small_school
    client.force_login(s.admin)
    assert client.get(reverse("link_code_issue", args=[s.admin.pk])).status_code == 404
