"""Period, year, exam and final marks of every year the student has."""

import pytest
from django.urls import reverse

from ejournal.diary.marks import results


def url(diary, student=None):
    return reverse("diary:student_results", args=[(student or diary.child).pk])


def test_every_year_newest_first(diary):
    years = results(diary.child)
    assert [y.year.name for y in years] == ["2026/2027", "2025/2026"]
    current, old = years
    assert [p.name for p in current.periods] == ["1 четверть", "2 четверть", "3 четверть", "4 четверть"]
    math = next(row for row in current.rows if row.name == "Математика")
    assert math.periods == ["4", "", "", ""] and math.finals == [""]
    assert [kind for kind, _ in old.final_kinds] == ["year"]
    assert next(row for row in old.rows if row.name == "Математика").finals == ["5"]


def test_page(client, diary, django_assert_max_num_queries):
    client.force_login(diary.s.parent)
    with django_assert_max_num_queries(6):  # session, user, roles, diaries, periods, period marks
        response = client.get(url(diary))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2025/2026" in body and "Годовая" in body and "table-wrap" in body
    assert response["X-Diary-Page"] == "results"


def test_student_at_the_bare_address(client, diary):
    client.force_login(diary.child)
    assert client.get(reverse("diary:results")).status_code == 200


def test_classmate_gets_404(client, diary):
    client.force_login(diary.s.students_5a[1])
    assert client.get(url(diary)).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "admin"])
def test_staff_have_no_diary(client, diary, who):
    client.force_login(getattr(diary.s, who))
    assert client.get(url(diary)).status_code == 404


def test_anonymous_is_sent_to_login(client, diary):
    assert reverse("login") in client.get(url(diary))["Location"]
