"""Нагрузка: assignments grouped by teacher with hours from the timetable; create and end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ejournal.curriculum import services
from ejournal.curriculum.models import Lesson, TeachingAssignment
from ejournal.schools import services as schools

from .conftest import as_user, url


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_sees_load_by_teacher(client, timetabled, who):
    s = timetabled
    services.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(5))
    r = as_user(client, getattr(s, who)).get(url("assignments", year=s.year.pk))
    assert r.status_code == 200
    text = r.content.decode()
    assert "Учителева Ульяна" in text and "2 ч в неделю по расписанию" in text  # math 5А: two slots
    assert "Педагогов Пётр" in text and "1 ч в неделю по расписанию" in text
    assert "Классова Клара" in text  # no load yet, still listed
    assert ("Назначить нагрузку" in text) == (who != "director")


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    assert as_user(client, getattr(small_school, who)).get(url("assignments")).status_code == 404


def test_anonymous_goes_to_login(client, small_school):
    assert client.get(url("assignments")).status_code == 302


def test_filter_by_teacher_and_class(client, timetabled):
    s = timetabled
    c = as_user(client, s.admin)
    text = c.get(url("assignments", year=s.year.pk, teacher=s.teacher2.pk)).content.decode()
    assert "<h2>Педагогов Пётр" in text and "<h2>Учителева Ульяна" not in text
    text = c.get(url("assignments", year=s.year.pk, **{"class": s.class_10a.pk})).content.decode()
    assert "Нагрузки по выбранным условиям нет." in text


def test_create_assignment_from_a_date(client, small_school):
    s = small_school
    r = as_user(client, s.deputy).post(
        url("assignment_create"),
        {
            "year": s.year.pk,
            "teacher": s.class_teacher.pk,
            "class_group": s.class_10a.pk,
            "subject": s.russian.pk,
            "start": "2026-10-01",
        },
    )
    assert r.status_code == 302
    a = TeachingAssignment.objects.get(teacher=s.class_teacher, class_group=s.class_10a)
    assert a.start == dt.date(2026, 10, 1) and a.end is None


def test_duplicate_assignment_is_refused(client, small_school):
    s = small_school
    r = as_user(client, s.deputy).post(
        url("assignment_create"),
        {"year": s.year.pk, "teacher": s.teacher.pk, "class_group": s.class_5a.pk, "subject": s.math.pk},
    )
    assert r.status_code == 422
    assert "Учителева У. уже ведёт «Математика» в 5А в эти даты." in r.content.decode()
    assert TeachingAssignment.objects.filter(teacher=s.teacher, subject=s.math).count() == 1


def test_subgroup_of_another_subject_is_refused(client, small_school):
    s = small_school
    english = services.create_subject(actor=s.admin, name="Английский язык")
    group = schools.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=english, name="1 группа")
    r = as_user(client, s.admin).post(
        url("assignment_create"),
        {
            "year": s.year.pk,
            "teacher": s.teacher2.pk,
            "class_group": s.class_5a.pk,
            "subject": s.math.pk,
            "subgroup": group.pk,
        },
    )
    assert r.status_code == 422
    assert "не относится к 5А, Математика" in r.content.decode()


def test_foreign_teacher_is_not_a_choice(client, small_school, other_school):
    s = small_school
    r = as_user(client, s.admin).post(
        url("assignment_create"),
        {"year": s.year.pk, "teacher": other_school.teacher.pk, "class_group": s.class_5a.pk, "subject": s.math.pk},
    )
    assert r.status_code == 422
    assert not TeachingAssignment.objects.filter(teacher=other_school.teacher, school=s.school).exists()


def test_teacher_cannot_create_or_end(client, small_school):
    s = small_school
    c = as_user(client, s.teacher)
    r = c.post(
        url("assignment_create"),
        {"year": s.year.pk, "teacher": s.teacher.pk, "class_group": s.class_10a.pk, "subject": s.math.pk},
    )
    assert r.status_code == 404
    assert c.post(url("assignment_end", s.math_5a.pk), {"last_day": "2026-12-30"}).status_code == 404
    s.math_5a.refresh_from_db()
    assert s.math_5a.end is None


def test_end_assignment_removes_empty_lessons_after_the_last_day(client, timetabled):
    s = timetabled
    r = as_user(client, s.admin).post(url("assignment_end", s.math_5a.pk), {"last_day": "2026-12-30"})
    assert r.status_code == 302
    s.math_5a.refresh_from_db()
    assert s.math_5a.end == dt.date(2026, 12, 30)
    assert not Lesson.objects.filter(assignment=s.math_5a, date__gt=dt.date(2026, 12, 30)).exists()
    assert Lesson.objects.filter(assignment=s.math_5a, date__lte=dt.date(2026, 12, 30)).exists()


def test_end_before_start_is_refused(client, small_school):
    s = small_school
    r = as_user(client, s.admin).post(url("assignment_end", s.math_5a.pk), {"last_day": "2026-08-01"})
    assert r.status_code == 422
    assert "раньше начала нагрузки" in r.content.decode()


def test_foreign_admin_cannot_end(client, small_school, other_school):
    r = as_user(client, other_school.admin).post(
        url("assignment_end", small_school.math_5a.pk), {"last_day": "2026-12-30"}
    )
    assert r.status_code == 404


def test_assignments_page_queries_do_not_grow(client, small_school, django_assert_max_num_queries):
    s = small_school
    c = as_user(client, s.admin)
    with django_assert_max_num_queries(20) as few:
        c.get(url("assignments", year=s.year.pk))
    extra_teachers = [s.person(f"Новый{i}", "Учитель", "teacher") for i in range(6)]
    for i, teacher in enumerate(extra_teachers):
        subject = services.create_subject(actor=s.admin, name=f"Предмет {i}")
        a = services.create_assignment(actor=s.admin, teacher=teacher, class_group=s.class_10a, subject=subject)
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=2, number=i + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(url("assignments", year=s.year.pk))
