"""A class: its students over time, enrolment, transfer, withdrawal, class teachers and subgroups."""

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.accounts.models import Role, User
from ejournal.schools import services
from ejournal.schools.models import Enrolment, Subgroup, SubgroupMember

d = dt.date


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


@pytest.fixture
def class_5b(small_school):
    return services.create_class(actor=small_school.admin, year=small_school.year, grade=5, letter="Б")


def url(group, name="schools:class_detail"):
    return reverse(name, args=[group.pk])


def roster(client, group, on):
    page = client.get(url(group), {"on": on.isoformat()}).context["page"]
    return (
        [e.student for e in page.current],
        [e.student for e in page.left],
        [e.student for e in page.coming],
    )


def test_anonymous_is_sent_to_login(client, small_school):
    response = client.get(url(small_school.class_5a))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_admin_sees_students_and_forms(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = client.get(url(s.class_5a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Класс 5А · 2026/2027" in body and "Ученики на 30.11.2026: 5" in body
    assert all(st.full_name in body for st in s.students_5a)
    assert "Перевести" in body and "Оформить выбытие" in body and "Новая подгруппа" in body


def test_director_reads_without_forms(client, small_school):
    s = small_school
    client.force_login(s.director)
    body = client.get(url(s.class_5a)).content.decode()
    assert s.students_5a[0].full_name in body
    assert "Оформить выбытие" not in body and "Создать подгруппу" not in body
    response = client.post(url(s.class_5a, "schools:class_withdraw"), {"withdraw-student": s.students_5a[0].pk})
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404_even_the_class_teacher(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(url(small_school.class_5a)).status_code == 404


def test_student_gets_404(client, small_school):
    client.force_login(small_school.students_5a[0])
    assert client.get(url(small_school.class_5a)).status_code == 404


@pytest.mark.parametrize(
    "name", ["schools:class_enrol", "schools:class_transfer", "schools:class_withdraw", "schools:subgroup_create"]
)
def test_foreign_admin_gets_404(client, small_school, other_school, name):
    s = small_school
    client.force_login(other_school.admin)
    assert client.get(url(s.class_5a)).status_code == 404
    before = Enrolment.objects.count(), Subgroup.objects.count()
    assert client.post(url(s.class_5a, name), {}).status_code == 404
    assert (Enrolment.objects.count(), Subgroup.objects.count()) == before


def test_enrol_an_existing_student(client, small_school, class_5b):
    s = small_school
    newcomer = s.person("Новикова", "Нина", Role.STUDENT)
    client.force_login(s.admin)
    response = client.post(
        url(class_5b, "schools:class_enrol"), {"enrol-student": newcomer.pk, "enrol-start": "2026-12-01"}
    )
    assert response.status_code == 302
    # The success message is shown once, on the page the browser is sent back to.
    assert "зачислен(а) в 5Б с 01.12.2026" in client.get(response["Location"]).content.decode()
    assert roster(client, class_5b, d(2026, 12, 1))[0] == [newcomer]


def test_a_student_enrolled_twice_at_once_is_refused_with_the_place_named(client, small_school, class_5b):
    s = small_school
    student = s.students_5a[0]
    # Leaving 5А at the end of December: listed as enrollable, but not before that.
    services.withdraw(actor=s.admin, student=student, last_day=d(2026, 12, 25), reason="переезд")
    client.force_login(s.admin)
    before = Enrolment.objects.count()
    response = client.post(
        url(class_5b, "schools:class_enrol"), {"enrol-student": student.pk, "enrol-start": "2026-12-01"}
    )
    assert response.status_code == 422
    assert (
        f"{student.full_name} уже зачислен(а) в 5А (01.09.2026–25.12.2026): ученик не может быть в двух классах "
        "одновременно." in response.content.decode()
    )
    assert Enrolment.objects.count() == before


def test_a_student_still_in_a_class_is_not_offered_for_enrolment(client, small_school, class_5b):
    s = small_school
    client.force_login(s.admin)
    choices = client.get(url(class_5b)).context["enrol_form"].fields["student"].queryset
    assert s.students_5a[0] not in choices
    response = client.post(
        url(class_5b, "schools:class_enrol"), {"enrol-student": s.students_5a[0].pk, "enrol-start": "2026-12-01"}
    )
    assert response.status_code == 422
    assert Enrolment.objects.filter(class_group=class_5b).count() == 0


def test_deputy_does_not_manage_people(client, small_school, class_5b):
    """Users and enrolment are the responsible administrator's (docs/domain.md); the deputy builds the timetable."""
    client.force_login(small_school.deputy)
    data = {
        "new-last_name": "Петров",
        "new-first_name": "Пётр",
        "new-birth_date": "2015-04-01",
        "new-start": "2026-12-01",
    }
    response = client.post(url(class_5b, "schools:class_new_student"), data)
    assert response.status_code == 404
    assert not User.objects.filter(last_name="Петров").exists()


def test_create_a_new_student_and_enrol(client, small_school, class_5b):
    s = small_school
    client.force_login(s.admin)
    data = {
        "new-last_name": "Петров",
        "new-first_name": "Пётр",
        "new-middle_name": "Ильич",
        "new-birth_date": "2015-04-01",
        "new-start": "2026-12-01",
    }
    response = client.post(url(class_5b, "schools:class_new_student"), data)
    assert response.status_code == 302
    student = User.objects.get(last_name="Петров", school=s.school)
    assert student.has_role(Role.STUDENT) and student.birth_date == d(2015, 4, 1)
    assert roster(client, class_5b, d(2026, 12, 1))[0] == [student]
    users = User.objects.count()
    response = client.post(url(class_5b, "schools:class_new_student"), data)
    assert response.status_code == 422
    assert "Петров Пётр Ильич, 01.04.2015 г. р., в школе уже есть" in response.content.decode()
    assert User.objects.count() == users


def test_new_student_with_a_date_outside_the_year_saves_nothing(client, small_school, class_5b):
    s = small_school
    client.force_login(s.admin)
    users, enrolments = User.objects.count(), Enrolment.objects.count()
    data = {
        "new-last_name": "Сидоров",
        "new-first_name": "Сидор",
        "new-birth_date": "2015-01-01",
        "new-start": "2027-07-01",
    }
    response = client.post(url(class_5b, "schools:class_new_student"), data)
    assert response.status_code == 422
    assert "Зачисление в 5Б с 01.07.2027 вне учебного года 2026/2027." in response.content.decode()
    assert (User.objects.count(), Enrolment.objects.count()) == (users, enrolments)


def test_mid_year_transfer_shows_the_student_in_each_class_for_the_dates_enrolled(client, small_school, class_5b):
    s = small_school
    student = s.students_5a[1]
    client.force_login(s.admin)
    response = client.post(
        url(s.class_5a, "schools:class_transfer"),
        {"transfer-student": student.pk, "transfer-to_class": class_5b.pk, "transfer-first_day": "2027-01-12"},
    )
    assert response.status_code == 302
    current, left, _ = roster(client, s.class_5a, d(2027, 1, 11))
    assert student in current and student not in left
    current, left, _ = roster(client, s.class_5a, d(2027, 1, 12))
    assert student not in current and student in left
    assert roster(client, class_5b, d(2027, 1, 11)) == ([], [], [student])
    assert roster(client, class_5b, d(2027, 1, 12)) == ([student], [], [])
    body = client.get(url(s.class_5a), {"on": "2027-02-01"}).content.decode()
    assert "11.01.2027" in body and "переведён(а) в 5Б" in body


def test_transfer_on_the_first_day_of_the_enrolment_is_refused(client, small_school, class_5b):
    s = small_school
    student = s.students_5a[1]
    client.force_login(s.admin)
    response = client.post(
        url(s.class_5a, "schools:class_transfer"),
        {"transfer-student": student.pk, "transfer-to_class": class_5b.pk, "transfer-first_day": "2026-09-01"},
    )
    assert response.status_code == 422
    assert "зачисление в 5А начинается 01.09.2026, перевести можно только позже" in response.content.decode()
    assert Enrolment.objects.get(student=student).end is None


def test_withdraw_with_a_reason(client, small_school):
    s = small_school
    student = s.students_5a[2]
    client.force_login(s.admin)
    target = url(s.class_5a, "schools:class_withdraw")
    response = client.post(target, {"withdraw-student": student.pk, "withdraw-last_day": "2026-12-10"})
    assert response.status_code == 422 and "Обязательное поле" in response.content.decode()
    assert Enrolment.objects.get(student=student).end is None
    response = client.post(
        target,
        {"withdraw-student": student.pk, "withdraw-last_day": "2026-12-10", "withdraw-reason": "переезд в Пермь"},
    )
    assert response.status_code == 302
    current, left, _ = roster(client, s.class_5a, d(2026, 12, 11))
    assert student in left and student not in current
    assert "переезд в Пермь" in client.get(url(s.class_5a), {"on": "2026-12-11"}).content.decode()


def test_set_class_teachers(client, small_school):
    s = small_school
    client.force_login(s.deputy)
    response = client.post(
        url(s.class_5a, "schools:class_teachers"), {"teachers-teachers": [s.teacher.pk, s.teacher2.pk]}
    )
    assert response.status_code == 302
    assert set(s.class_5a.class_teachers.all()) == {s.teacher, s.teacher2}


def test_subgroups_and_their_members(client, small_school):
    s = small_school
    client.force_login(s.admin)
    first = s.students_5a[:2]
    response = client.post(
        url(s.class_5a, "schools:subgroup_create"),
        {"subgroup-subject": s.math.pk, "subgroup-name": "1 группа", "subgroup-students": [st.pk for st in first]},
    )
    assert response.status_code == 302
    g1 = Subgroup.objects.get(class_group=s.class_5a, name="1 группа")
    assert set(g1.students.all()) == set(first)
    client.post(
        url(s.class_5a, "schools:subgroup_create"), {"subgroup-subject": s.math.pk, "subgroup-name": "2 группа"}
    )
    g2 = Subgroup.objects.get(class_group=s.class_5a, name="2 группа")

    response = client.post(
        reverse("schools:subgroup_members", args=[g2.pk]), {"students": [first[0].pk, s.students_5a[3].pk]}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f"{first[0].full_name} уже в подгруппе «1 группа» по этому предмету." in body
    assert SubgroupMember.objects.filter(subgroup=g2).count() == 0
    # The refused ticks stay on screen so they can be corrected.
    assert f'id="sg{g2.pk}-s{s.students_5a[3].pk}" checked' in body

    response = client.post(reverse("schools:subgroup_members", args=[g2.pk]), {"students": [s.students_5a[3].pk]})
    assert response.status_code == 302
    assert list(g2.students.all()) == [s.students_5a[3]]


def test_subgroup_of_a_foreign_school_is_404(client, small_school, other_school):
    g = services.create_subgroup(
        actor=other_school.admin, class_group=other_school.class_5a, subject=other_school.math, name="1 группа"
    )
    client.force_login(small_school.admin)
    response = client.post(
        reverse("schools:subgroup_members", args=[g.pk]), {"students": [small_school.students_5a[0].pk]}
    )
    assert response.status_code == 404
    assert SubgroupMember.objects.filter(subgroup=g).count() == 0


@pytest.mark.parametrize("size", [5, 20])
def test_query_count_does_not_grow_with_class_size(client, small_school, size, django_assert_max_num_queries):
    school = small_school
    grow_5a(school, size)
    services.create_subgroup(
        actor=school.admin, class_group=school.class_5a, subject=school.math, name="1", students=school.students_5a[:3]
    )
    services.withdraw(actor=school.admin, student=school.students_5a[-1], last_day=d(2026, 10, 1), reason="переезд")
    client.force_login(school.admin)
    with django_assert_max_num_queries(16):
        response = client.get(url(school.class_5a))
    assert len(response.context["page"].current) == size - 1


def test_deputy_sees_no_enrolment_forms(client, small_school):
    client.force_login(small_school.deputy)
    body = client.get(reverse("schools:class_detail", args=[small_school.class_5a.pk])).content.decode()
    assert "Подгруппы" in body
    assert "Зачислить ученика школы" not in body
