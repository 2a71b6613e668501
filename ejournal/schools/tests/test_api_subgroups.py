"""/api/v1/subgroups/: subgroups of classes per subject."""

import pytest

from ejournal.schools import services
from ejournal.schools.models import Subgroup, SubgroupMember

SUBGROUPS = "/api/v1/subgroups/"


def post(client, data):
    return client.post(SUBGROUPS, data, content_type="application/json")


def test_anonymous_gets_403(client, small_school):
    assert client.get(SUBGROUPS).status_code == 403


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(SUBGROUPS).status_code == 404


def test_student_gets_404(client, small_school):
    client.force_login(small_school.students_5a[0])
    assert client.get(SUBGROUPS).status_code == 404


@pytest.mark.parametrize("who", ["admin", "deputy"])
def test_create_and_list_subgroups(client, small_school, who):
    s = small_school
    client.force_login(getattr(s, who))
    response = post(
        client,
        {"class_group": s.class_5a.pk, "subject": s.math.pk, "name": "1 группа", "students": [s.students_5a[0].pk]},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["students"] == [s.students_5a[0].pk]
    post(client, {"class_group": s.class_10a.pk, "subject": s.math.pk, "name": "А"})
    assert client.get(SUBGROUPS).json()["count"] == 2
    listed = client.get(SUBGROUPS, {"class_group": s.class_5a.pk}).json()["results"]
    assert [g["name"] for g in listed] == ["1 группа"]


def test_director_reads_but_cannot_create(client, small_school):
    s = small_school
    services.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=s.math, name="1 группа")
    client.force_login(s.director)
    assert client.get(SUBGROUPS).json()["count"] == 1
    assert post(client, {"class_group": s.class_5a.pk, "subject": s.math.pk, "name": "2"}).status_code == 404
    assert Subgroup.objects.count() == 1


def test_a_student_of_another_class_is_refused_and_nothing_saved(client, small_school):
    s = small_school
    client.force_login(s.admin)
    response = post(
        client,
        {"class_group": s.class_5a.pk, "subject": s.math.pk, "name": "1 группа", "students": [s.students_10a[0].pk]},
    )
    assert response.status_code == 422
    assert response.json()["message"] == f"{s.students_10a[0].full_name} не учится в классе 5А."
    assert Subgroup.objects.count() == 0 and SubgroupMember.objects.count() == 0


def test_foreign_admin_sees_none_and_cannot_use_this_schools_class(client, small_school, other_school):
    s = small_school
    services.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=s.math, name="1 группа")
    client.force_login(other_school.admin)
    assert client.get(SUBGROUPS).json()["count"] == 0
    response = post(client, {"class_group": s.class_5a.pk, "subject": other_school.math.pk, "name": "X"})
    assert response.status_code == 400 and list(response.json()["fields"]) == ["class_group"]
    assert Subgroup.objects.count() == 1


def test_query_count_is_fixed(client, small_school, django_assert_max_num_queries):
    s = small_school
    for n in range(3):
        services.create_subgroup(
            actor=s.admin, class_group=s.class_5a, subject=s.math, name=str(n), students=s.students_5a[n : n + 1]
        )
    client.force_login(s.admin)
    with django_assert_max_num_queries(7):
        assert client.get(SUBGROUPS).json()["count"] == 3
