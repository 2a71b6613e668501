"""/api/v1/classes/, their enrolments, and /api/v1/enrolments/{id}/transfer/."""

import datetime as dt

import pytest

from ejournal.accounts.models import Role
from ejournal.schools import services
from ejournal.schools.models import ClassGroup, Enrolment

d = dt.date
CLASSES = "/api/v1/classes/"


def grow_5a(school, size):
    """The fixture's 5А has five students; make it `size` to compare query counts across class sizes."""
    for i in range(size - len(school.students_5a)):
        student = school.person(f"Добавленный{i}", "Ученик", Role.STUDENT)
        services.enrol(actor=school.admin, student=student, class_group=school.class_5a, start=school.year.start)
        school.students_5a.append(student)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = d(2026, 11, 30)
    monkeypatch.setattr("ejournal.api.v1.schools.school_today", lambda tz: day)
    return day


@pytest.fixture
def class_5b(small_school):
    return services.create_class(actor=small_school.admin, year=small_school.year, grade=5, letter="Б")


def class_url(group, tail=""):
    return f"{CLASSES}{group.pk}/{tail}"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_anonymous_gets_403(client, small_school):
    assert client.get(CLASSES).status_code == 403
    assert client.get(class_url(small_school.class_5a, "enrolments/")).status_code == 403


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_lists_classes_of_a_year(client, small_school, other_school, who):
    s = small_school
    services.create_year(actor=s.admin, school=s.school, name="2027/2028", start=d(2027, 9, 1), end=d(2028, 5, 26))
    client.force_login(getattr(s, who))
    body = client.get(CLASSES, {"year": s.year.pk}).json()
    assert [(c["name"], c["students_now"]) for c in body["results"]] == [("5А", 5), ("10А", 5)]
    assert body["results"][0]["class_teachers"] == [{"id": s.class_teacher.pk, "full_name": "Классова Клара"}]
    assert client.get(CLASSES, {"year": other_school.year.pk}).json()["count"] == 0


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(CLASSES).status_code == 404
    assert client.get(class_url(small_school.class_5a)).status_code == 404
    assert client.get(class_url(small_school.class_5a, "enrolments/")).status_code == 404


def test_student_gets_404(client, small_school):
    client.force_login(small_school.students_5a[0])
    assert client.get(class_url(small_school.class_5a, "enrolments/")).status_code == 404


def test_foreign_admin_gets_404_on_this_schools_class_and_enrolment(client, small_school, other_school):
    s = small_school
    client.force_login(other_school.admin)
    assert client.get(class_url(s.class_5a)).status_code == 404
    enrolment = Enrolment.objects.filter(class_group=s.class_5a).earliest("pk")
    response = post(
        client, f"/api/v1/enrolments/{enrolment.pk}/transfer/", {"to_class": s.class_10a.pk, "first_day": "2027-01-12"}
    )
    assert response.status_code == 404
    # Another school's ids are as unknown as missing ones.
    response = post(client, CLASSES, {"year": s.year.pk, "grade": 6, "letter": "А"})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["year"]
    assert not ClassGroup.objects.filter(grade=6).exists()


def test_class_detail_has_teachers_and_subgroups(client, small_school):
    s = small_school
    services.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=s.math, name="1", students=s.students_5a[:2]
    )
    client.force_login(s.admin)
    body = client.get(class_url(s.class_5a)).json()
    assert body["name"] == "5А" and body["students_now"] == 5
    assert body["subgroups"] == [
        {
            "id": body["subgroups"][0]["id"],
            "class_group": s.class_5a.pk,
            "subject": s.math.pk,
            "name": "1",
            "students": sorted(st.pk for st in s.students_5a[:2]),
        }
    ]


def test_create_a_class(client, small_school):
    s = small_school
    client.force_login(s.deputy)
    response = post(client, CLASSES, {"year": s.year.pk, "grade": 6, "letter": "в", "class_teachers": [s.teacher.pk]})
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "6В"
    assert response.json()["class_teachers"] == [{"id": s.teacher.pk, "full_name": s.teacher.full_name}]
    response = post(client, CLASSES, {"year": s.year.pk, "grade": 6, "letter": "В"})
    assert response.status_code == 422 and response.json()["message"] == "Класс 6В в 2026/2027 уже есть."


def test_director_cannot_create_a_class(client, small_school):
    client.force_login(small_school.director)
    assert post(client, CLASSES, {"year": small_school.year.pk, "grade": 6, "letter": "А"}).status_code == 404


def test_enrolments_list_and_enrol(client, small_school, class_5b):
    s = small_school
    newcomer = s.person("Новикова", "Нина", "student")
    client.force_login(s.admin)
    response = post(client, class_url(class_5b, "enrolments/"), {"student": newcomer.pk, "start": "2026-12-01"})
    assert response.status_code == 201
    assert response.json()["student"] == {"id": newcomer.pk, "full_name": "Новикова Нина"}
    listed = client.get(class_url(class_5b, "enrolments/")).json()["results"]
    assert [(e["student"]["id"], e["start"], e["end"]) for e in listed] == [(newcomer.pk, "2026-12-01", None)]


def test_student_enrolled_twice_at_once_is_422_and_nothing_saved(client, small_school, class_5b):
    s = small_school
    student = s.students_5a[0]
    client.force_login(s.admin)
    before = Enrolment.objects.count()
    response = post(client, class_url(class_5b, "enrolments/"), {"student": student.pk, "start": "2026-12-01"})
    assert response.status_code == 422
    assert response.json()["message"] == (
        f"{student.full_name} уже зачислен(а) в 5А (с 01.09.2026): ученик не может быть в двух классах одновременно."
    )
    assert Enrolment.objects.count() == before


def test_mid_year_transfer(client, small_school, class_5b):
    s = small_school
    student = s.students_5a[1]
    enrolment = Enrolment.objects.get(student=student)
    client.force_login(s.admin)
    response = post(
        client, f"/api/v1/enrolments/{enrolment.pk}/transfer/", {"to_class": class_5b.pk, "first_day": "2027-01-12"}
    )
    assert response.status_code == 201
    assert (response.json()["class_group"], response.json()["start"]) == (class_5b.pk, "2027-01-12")
    old = [
        e
        for e in client.get(class_url(s.class_5a, "enrolments/")).json()["results"]
        if e["student"]["id"] == student.pk
    ]
    assert [(e["start"], e["end"], e["reason_out"]) for e in old] == [("2026-09-01", "2027-01-11", "переведён(а) в 5Б")]
    # The old enrolment no longer holds on a later day: transferring it again is refused, nothing changes.
    response = post(
        client, f"/api/v1/enrolments/{enrolment.pk}/transfer/", {"to_class": s.class_10a.pk, "first_day": "2027-02-01"}
    )
    assert response.status_code == 422 and "на 01.02.2027 не действует" in response.json()["message"]
    assert Enrolment.objects.filter(student=student).count() == 2


def test_director_cannot_transfer(client, small_school, class_5b):
    s = small_school
    enrolment = Enrolment.objects.get(student=s.students_5a[1])
    client.force_login(s.director)
    response = post(
        client, f"/api/v1/enrolments/{enrolment.pk}/transfer/", {"to_class": class_5b.pk, "first_day": "2027-01-12"}
    )
    assert response.status_code == 404
    assert Enrolment.objects.filter(student=s.students_5a[1]).count() == 1


@pytest.mark.parametrize("size", [5, 20])
def test_query_counts_do_not_grow_with_class_size(client, small_school, size, django_assert_max_num_queries):
    school = small_school
    grow_5a(school, size)
    client.force_login(school.admin)
    with django_assert_max_num_queries(7):
        assert client.get(CLASSES).json()["results"][0]["students_now"] == size
    with django_assert_max_num_queries(8):
        assert client.get(class_url(school.class_5a, "enrolments/")).json()["count"] == size
