"""«Классы»: the classes of a year with class teachers and the number of students; creating a class."""

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.accounts.models import Role
from ejournal.schools import services
from ejournal.schools.models import ClassGroup

d = dt.date
URL = reverse("schools:class_list")


def grow_5a(school, size):
    """The fixture's 5А has five students; make it `size` to compare query counts across class sizes."""
    for i in range(size - len(school.students_5a)):
        student = school.person(f"Добавленный{i}", "Ученик", Role.STUDENT)
        services.enrol(actor=school.admin, student=student, class_group=school.class_5a, start=school.year.start)
        school.students_5a.append(student)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = d(2026, 11, 30)
    monkeypatch.setattr("ejournal.schools.views.common.school_today", lambda tz: day)
    return day


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_sees_classes_with_teachers_and_counts(client, small_school, who):
    s = small_school
    services.withdraw(actor=s.admin, student=s.students_5a[0], last_day=d(2026, 11, 20), reason="переезд")
    client.force_login(getattr(s, who))
    response = client.get(URL)
    assert response.status_code == 200
    rows = {c.name: c for c in response.context["classes"]}
    assert rows["5А"].students_now == 4 and rows["10А"].students_now == 5
    body = response.content.decode()
    assert "Классова Клара" in body and "Учеников на 30.11.2026" in body
    assert ("Создать класс" in body) == (who != "director")


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(URL).status_code == 404


def test_student_gets_404(client, small_school):
    client.force_login(small_school.students_5a[0])
    assert client.get(URL).status_code == 404


def test_foreign_admin_gets_404_on_this_schools_year(client, small_school, other_school):
    client.force_login(other_school.admin)
    assert client.get(URL, {"year": small_school.year.pk}).status_code == 404
    response = client.post(reverse("schools:class_create", args=[small_school.year.pk]), {"grade": 6, "letter": "А"})
    assert response.status_code == 404
    assert not ClassGroup.objects.filter(grade=6).exists()
    # Their own list shows only their classes.
    names = [c.name for c in client.get(URL).context["classes"]]
    assert names == ["5А", "10А"] and all(
        c.school_id == other_school.school.pk for c in client.get(URL).context["classes"]
    )


def test_create_a_class_with_a_class_teacher(client, small_school):
    s = small_school
    client.force_login(s.deputy)
    response = client.post(
        reverse("schools:class_create", args=[s.year.pk]),
        {"grade": "6", "letter": "в", "class_teachers": [s.teacher2.pk]},
    )
    group = ClassGroup.objects.get(year=s.year, grade=6, letter="В")
    assert response.status_code == 302 and response["Location"] == reverse("schools:class_detail", args=[group.pk])
    assert list(group.class_teachers.all()) == [s.teacher2]


def test_duplicate_class_is_refused_in_the_form(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.post(reverse("schools:class_create", args=[s.year.pk]), {"grade": "5", "letter": "а"})
    assert response.status_code == 422
    assert "Класс 5А в 2026/2027 уже есть." in response.content.decode()
    assert ClassGroup.objects.filter(year=s.year).count() == 2


def test_a_non_teacher_cannot_be_chosen_as_class_teacher(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.post(
        reverse("schools:class_create", args=[s.year.pk]),
        {"grade": "6", "letter": "А", "class_teachers": [s.parent.pk]},
    )
    assert response.status_code == 422
    assert not ClassGroup.objects.filter(grade=6).exists()


def test_director_cannot_create(client, small_school):
    s = small_school
    client.force_login(s.director)
    assert (
        client.post(reverse("schools:class_create", args=[s.year.pk]), {"grade": 6, "letter": "А"}).status_code == 404
    )


@pytest.mark.parametrize("size", [5, 20])
def test_query_count_does_not_grow_with_class_size(client, small_school, size, django_assert_max_num_queries):
    school = small_school
    grow_5a(school, size)
    services.create_class(actor=school.admin, year=school.year, grade=7, letter="А", class_teachers=[school.teacher])
    client.force_login(school.admin)
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert {c.name: c.students_now for c in response.context["classes"]}["5А"] == size
