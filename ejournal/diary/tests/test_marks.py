"""Marks by subject for a period: every mark with its date, kind and weight, the journal's weighted
average, the period and year marks; the period selector; who may see whose marks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ejournal.diary.marks import period_report
from ejournal.journal.selectors import journal_grid

from .conftest import TODAY


def url(diary, period=None, student=None):
    base = reverse("diary:student_marks", args=[(student or diary.child).pk])
    return f"{base}?period={period.pk}" if period else base


def test_report_of_a_period(diary):
    report = period_report(diary.child, period_id=diary.q1.pk, today=TODAY)
    math = next(line for line in report.subjects if line.name == "Математика")
    assert [(m.date, m.value, m.kind, m.weight) for m in math.marks] == [
        (dt.date(2026, 9, 7), "5", "Ответ на уроке", Decimal("1.00")),
        (dt.date(2026, 9, 9), "4", "Контрольная работа", Decimal("2.00")),
    ]
    assert math.average == Decimal("4.33") and math.period_mark == "4" and math.year_mark == ""
    russian = next(line for line in report.subjects if line.name == "Русский язык")
    assert russian.marks == [] and russian.average is None  # a subject of the timetable without marks


def test_current_period_by_default_and_the_same_average_as_the_journal(diary):
    report = period_report(diary.child, period_id=None, today=TODAY)
    assert report.period == diary.q2
    math = next(line for line in report.subjects if line.name == "Математика")
    assert [m.value for m in math.marks] == ["3", "5", "4"]
    assert math.average == Decimal("3.75") and math.period_mark == ""
    grid = journal_grid(user=diary.s.teacher, assignment=diary.s.math_5a, period=diary.q2)
    row = next(r for r in grid.rows if r.student_id == diary.child.pk)
    assert row.average == math.average  # the parent sees the teacher's figure


def test_periods_of_every_year_of_the_student(diary):
    report = period_report(diary.child, period_id=diary.old_q1.pk, today=TODAY)
    assert report.period == diary.old_q1
    assert diary.q1 in report.periods and diary.old_q1 in report.periods
    math = next(line for line in report.subjects if line.name == "Математика")
    assert math.period_mark == "5" and math.year_mark == "5"


def test_page_shows_marks_kinds_weights_average_and_period_mark(client, diary):
    client.force_login(diary.s.parent)
    response = client.get(url(diary, diary.q1))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Математика" in body and "Контрольная работа" in body and "вес 2" in body
    assert "09.09" in body and "4,33" in body
    assert "за период <b>4</b>" in body
    assert "1 четверть" in body and "2 четверть" in body and "2025/2026" in body  # selector and other years
    assert response["X-Diary-Page"] == "marks"


def test_student_sees_own_marks_at_the_bare_address(client, diary):
    client.force_login(diary.child)
    response = client.get(reverse("diary:marks"))
    assert response.status_code == 200
    assert "3,75" in response.content.decode()


def test_parent_is_taken_to_the_child(client, diary):
    client.force_login(diary.s.parent)
    response = client.get(reverse("diary:marks") + f"?period={diary.q1.pk}")
    assert response.status_code == 302
    assert response["Location"] == url(diary, diary.q1)


def test_another_childs_marks_are_404(client, diary):
    client.force_login(diary.s.parent)
    assert client.get(url(diary, student=diary.s.students_5a[1])).status_code == 404
    client.force_login(diary.s.students_5a[1])
    assert client.get(url(diary)).status_code == 404


def test_a_period_that_is_not_the_students_is_404(client, diary, other_school):
    client.force_login(diary.s.parent)
    half_year = diary.q1.scheme.year.schemes.get(grade_from=10).periods.first()  # periods of 10–11, not 5А's
    assert client.get(url(diary, half_year)).status_code == 404
    assert client.get(url(diary, other_school.year.schemes.first().periods.first())).status_code == 404
    assert client.get(url(diary) + "?period=abc").status_code == 404
    assert client.get(url(diary) + "?period=²").status_code == 404  # isdigit() but not int(): was a 500
    assert client.get(url(diary) + "?period=").status_code == 200  # an empty choice is the current period


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "admin", "director"])
def test_staff_have_no_diary(client, diary, who):
    client.force_login(getattr(diary.s, who))
    assert client.get(url(diary)).status_code == 404
    assert client.get(reverse("diary:marks")).status_code == 404


def test_anonymous_is_sent_to_login(client, diary):
    response = client.get(url(diary))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_query_count_is_fixed(client, diary, django_assert_max_num_queries):
    client.force_login(diary.s.parent)
    with django_assert_max_num_queries(8):  # session, user, roles, diaries, the report's four
        assert client.get(url(diary, diary.q2)).status_code == 200


def test_switcher_opens_the_other_childs_marks(client, diary, django_assert_max_num_queries):
    from ejournal.accounts import services as people

    s = diary.s
    people.link_parent(actor=s.admin, parent=s.parent, child=s.students_10a[0])
    client.force_login(s.parent)
    with django_assert_max_num_queries(8):  # two children: still one query for both
        body = client.get(url(diary, diary.q1)).content.decode()
    assert f'href="{reverse("diary:student_marks", args=[s.students_10a[0].pk])}"' in body
    other = client.get(reverse("diary:student_marks", args=[s.students_10a[0].pk]))
    assert other.status_code == 200 and "полугодие" in other.content.decode()  # 10А studies in half-years
