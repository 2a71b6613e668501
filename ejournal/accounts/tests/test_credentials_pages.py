"""The class credentials pages: the class teacher for their own class, the administrator for any."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ejournal.accounts import people, services
from ejournal.accounts.models import Role, User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import build_small_school

INDEX = reverse("people:credential_classes")


def page(group) -> str:
    return reverse("people:class_credentials", args=[group.pk])


def issued_pdf(body: str) -> PdfReader:
    data = re.search(r'href="data:application/pdf;base64,([^"]+)"', body)
    assert data is not None
    return PdfReader(io.BytesIO(base64.b64decode(data.group(1))))


def test_anonymous_goes_to_login(client, small_school):
    for url in (INDEX, page(small_school.class_5a)):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_class_teacher_sees_own_class_without_birth_dates_or_snils(client, small_school):
    s = small_school
    student = s.students_5a[0]
    people.update_person(actor=s.admin, person=student, birth_date=dt.date(2015, 4, 3), snils="112-233-445 95")
    client.force_login(s.class_teacher)
    index = client.get(INDEX).content.decode()
    assert page(s.class_5a) in index and page(s.class_10a) not in index
    response = client.get(page(s.class_5a))
    body = response.content.decode()
    assert response.status_code == 200
    assert student.full_name in body and s.parent.full_name in body and student.username in body
    assert "03.04.2015" not in body and "2015" not in body and "112-233-445" not in body


@pytest.mark.parametrize("who", ["teacher", "deputy", "director", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(INDEX).status_code == 404
    assert client.get(page(small_school.class_5a)).status_code == 404
    assert client.post(page(small_school.class_5a), {"all": "1"}).status_code == 404


def test_class_teacher_asking_for_another_class_gets_404(client, small_school, other_school):
    s = small_school
    client.force_login(s.class_teacher)
    assert client.get(page(s.class_10a)).status_code == 404
    assert client.post(page(s.class_10a), {"all": "1"}).status_code == 404
    assert client.post(page(other_school.class_5a), {"all": "1"}).status_code == 404
    assert not any(User.objects.get(pk=u.pk).has_usable_password() for u in s.students_10a)


def test_admin_issues_for_all_and_gets_the_page_and_the_pdf_once(client, small_school):
    s = small_school
    client.force_login(s.admin)
    assert page(s.class_10a) in client.get(INDEX).content.decode()
    response = client.post(page(s.class_5a), {"all": "1"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    reader = issued_pdf(body)
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1  # six slips fit on one page
    passwords = []
    for person in [*s.students_5a, s.parent]:
        person.refresh_from_db()
        assert person.must_change_password and person.username in text
        found = re.search(rf"<code>{re.escape(person.username)}</code></td><td><code>(\w+)</code>", body)
        assert found is not None
        password = found.group(1)
        assert person.check_password(password) and password in text and password not in person.password
        passwords.append(password)
    # the list afterwards shows the state, never a password
    after = client.get(page(s.class_5a)).content.decode()
    assert "выдан, ещё не входил(а)" in after and not any(p in after for p in passwords)


def test_issue_for_one_and_for_the_ticked(client, small_school):
    s = small_school
    client.force_login(s.class_teacher)
    one, two, three = s.students_5a[:3]
    assert client.post(page(s.class_5a), {"one": str(one.pk)}).status_code == 200
    assert client.post(page(s.class_5a), {"people": [str(two.pk), str(three.pk)]}).status_code == 200
    fresh = {u.pk: u for u in User.objects.filter(pk__in=[p.pk for p in s.students_5a])}
    assert [fresh[p.pk].has_usable_password() for p in s.students_5a] == [True, True, True, False, False]
    counts = sorted(e.details["count"] for e in SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED))
    assert counts == [1, 2]


def test_bad_input_is_refused_and_nothing_changes(client, small_school):
    s = small_school
    client.force_login(s.class_teacher)
    response = client.post(page(s.class_5a), {})
    assert response.status_code == 422 and "Выберите" in response.content.decode()
    assert client.post(page(s.class_5a), {"people": ["x"]}).status_code == 422
    assert client.post(page(s.class_5a), {"people": [str(s.students_10a[0].pk)]}).status_code == 404
    assert not SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED).exists()


def test_roster_query_count_does_not_grow_with_the_class(client, django_assert_max_num_queries, db):
    big = build_small_school(name="Большая", students_per_class=30)
    for student in big.students_5a:
        parent = big.person(f"Родитель{student.pk}", "Р", Role.PARENT)
        services.link_parent(actor=big.admin, parent=parent, child=student)
    client.force_login(big.class_teacher)
    with django_assert_max_num_queries(10):
        response = client.get(page(big.class_5a))
    assert response.status_code == 200 and len(response.context["rows"]) == 61  # and the fixture's parent


def test_first_login_with_the_one_time_password_forces_a_new_one(client, small_school):
    s = small_school
    client.force_login(s.class_teacher)
    student = s.students_5a[0]
    body = client.post(page(s.class_5a), {"one": str(student.pk)}).content.decode()
    password = re.search(r"<td><code>\w[\w.]*</code></td><td><code>(\w+)</code>", body).group(1)  # type: ignore[union-attr]
    client.logout()
    response = client.post(reverse("login"), {"username": student.username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


# --- issue 13, part E: «Выдать одноразовый пароль» on the person's card -------------------------------------


def test_the_card_issues_a_teacher_a_one_time_password_after_a_confirmation(client, small_school):
    s = small_school
    client.force_login(s.admin)
    card = client.get(reverse("people:detail", args=[s.teacher.pk])).content.decode()
    url = reverse("people:password", args=[s.teacher.pk])
    assert f'action="{url}"' in card and "Выдать одноразовый пароль" in card

    response = client.post(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Текущий пароль перестанет действовать; все сеансы будут завершены" in body
    assert 'name="confirm" value="1"' in body
    assert not User.objects.get(pk=s.teacher.pk).has_usable_password()

    response = client.post(url, {"confirm": "1"})
    body = response.content.decode()
    teacher = User.objects.get(pk=s.teacher.pk)
    password = re.search(r"<td><code>([^<]+)</code></td></tr>", body)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store" and password is not None
    assert teacher.check_password(password.group(1)) and teacher.must_change_password
    assert f"Пароль выдан: {teacher.full_name}" in body
    slip = "".join(p.extract_text() for p in issued_pdf(body).pages)
    assert password.group(1) in slip and teacher.username in slip


def test_the_card_offers_no_password_for_the_administrator_themselves(client, small_school):
    s = small_school
    client.force_login(s.admin)
    card = client.get(reverse("people:detail", args=[s.admin.pk])).content.decode()
    assert "Выдать одноразовый пароль" not in card
    assert client.post(reverse("people:password", args=[s.admin.pk]), {"confirm": "1"}).status_code == 404


@pytest.mark.parametrize("who", ["class_teacher", "director", "deputy"])
def test_others_get_404_on_the_cards_password(client, small_school, who):
    s = small_school
    client.force_login(getattr(s, who))
    for person in (s.teacher, s.students_5a[0]):
        for data in ({}, {"confirm": "1"}):
            assert client.post(reverse("people:password", args=[person.pk]), data).status_code == 404
    assert not User.objects.get(pk=s.teacher.pk).has_usable_password()
    assert not User.objects.get(pk=s.students_5a[0].pk).has_usable_password()


def test_the_director_reads_the_card_without_the_password_button(client, small_school):
    client.force_login(small_school.director)
    card = client.get(reverse("people:detail", args=[small_school.teacher.pk])).content.decode()
    assert "Выдать одноразовый пароль" not in card


def test_another_schools_admin_gets_404_on_the_cards_password(client, small_school, other_school):
    client.force_login(other_school.admin)
    response = client.post(reverse("people:password", args=[small_school.teacher.pk]), {"confirm": "1"})
    assert response.status_code == 404
    assert not User.objects.get(pk=small_school.teacher.pk).has_usable_password()
