"""The start page of every role."""

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.curriculum import services as curriculum


@pytest.fixture
def school_with_lessons(small_school):
    s = small_school
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=2)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    return s


@pytest.fixture
def monday(monkeypatch):
    day = dt.date(2026, 11, 30)
    monkeypatch.setattr("ejournal.home.views.school_today", lambda tz: day)
    return day


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", "Школа"),
        ("director", "учеников"),
        ("deputy", "классов"),
        ("teacher", "Мои уроки сегодня"),
        ("class_teacher", "Классный руководитель: <strong>5А</strong>"),
    ],
)
def test_staff_start_pages(client, school_with_lessons, monday, who, expected):
    client.force_login(getattr(school_with_lessons, who))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_teacher_sees_own_lesson_of_the_day(client, school_with_lessons, monday):
    client.force_login(school_with_lessons.teacher)
    body = client.get(reverse("home")).content.decode()
    assert "Математика" in body and "5А" in body


def test_student_sees_own_day_and_parent_sees_only_own_child(client, school_with_lessons, monday):
    s = school_with_lessons
    client.force_login(s.students_5a[0])
    body = client.get(reverse("home")).content.decode()
    assert "Математика" in body and "5А" in body

    client.force_login(s.parent)
    body = client.get(reverse("home")).content.decode()
    child, other = s.students_5a[0], s.students_5a[1]
    assert child.last_name in body
    assert other.last_name not in body


def test_start_page_query_count_does_not_grow_with_school(
    client, school_with_lessons, monday, django_assert_max_num_queries
):
    client.force_login(school_with_lessons.admin)
    with django_assert_max_num_queries(16):
        client.get(reverse("home"))


def test_teacher_who_is_also_a_parent_sees_both(client, school_with_lessons, monday):
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role

    s = school_with_lessons
    people.grant_role(actor=s.admin, user=s.teacher2, role=Role.PARENT)
    people.link_parent(actor=s.admin, parent=s.teacher2, child=s.students_5a[3])
    client.force_login(s.teacher2)
    body = client.get(reverse("home")).content.decode()
    assert "Мои классы и предметы" in body
    assert s.students_5a[3].last_name in body


def test_child_with_two_parents_is_seen_by_both(client, school_with_lessons, monday):
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role

    s = school_with_lessons
    second = s.person("Родителев", "Роман", Role.PARENT)
    people.link_parent(actor=s.admin, parent=second, child=s.students_5a[0])
    for parent in (s.parent, second):
        client.force_login(parent)
        assert s.students_5a[0].last_name in client.get(reverse("home")).content.decode()
