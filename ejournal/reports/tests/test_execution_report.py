"""Выполнение программы: curriculum and КТП plans against lessons given, hand-computed; grouping and
drill-down; the page, its XLSX; who reads which journals; query count constant in lessons and students."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.curriculum import services as curriculum
from ejournal.curriculum.lessons import add_extra_lesson, cancel_lesson, move_lesson
from ejournal.curriculum.models import Lesson
from ejournal.curriculum.plans import import_plan
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock
from ejournal.reports.execution import program_execution
from ejournal.reports.keeping_spans import parse_span, school_calendar

URL = reverse("reports:program_execution")
DECEMBER = {"start": "2026-12-01", "end": "2026-12-31"}  # counted to today, 25 December


def ktp_csv(hours: int) -> bytes:
    lines = ["№;Тема;Часы", *(f"{i};Тема {i};1" for i in range(1, hours - 4)), f"{hours - 4};Повторение;5"]
    return "\n".join(lines).encode()


@pytest.fixture
def j(small_school, monkeypatch):
    """Math 5А: 2 h/week (year 238 study days: 68 h), КТП of 60 h; in December to the 25th 7 timetable
    lessons (Wed 2, 9, 16, 23; Mon 7, 14, 21), 22 before. Cancelled: 2, 7, 9, 14; the 16th moved to
    Thursday 17th; an extra lesson on Friday 18th: given 4 of a plan of 7 → lag 3 (flagged).
    Russian 5А: no curriculum line, no КТП: planned by the timetable, 4 Tuesdays, all given."""
    set_clock(monkeypatch, TODAY)
    j = build_journal(small_school)
    s = j.s
    curriculum.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(2))
    import_plan(actor=s.teacher, assignment=s.math_5a, filename="ktp.csv", data=ktp_csv(60))
    for day in (2, 7, 9, 14):
        cancel_lesson(actor=s.admin, lesson=j.lesson_on(dt.date(2026, 12, day)), note="болезнь учителя")
    move_lesson(actor=s.admin, lesson=j.lesson_on(dt.date(2026, 12, 16)), day=dt.date(2026, 12, 17), number=3)
    add_extra_lesson(actor=s.admin, assignment=s.math_5a, day=dt.date(2026, 12, 18), number=1)
    return j


def run(user, params=DECEMBER, **kwargs):
    calendar = school_calendar(user)
    return program_execution(user=user, calendar=calendar, span=parse_span(calendar, params, default="year"), **kwargs)


def test_lessons_before_december_are_as_the_calendar_says(j):
    """The independent count the figures below rest on: Mondays and Wednesdays of 1.09–30.11 outside the
    autumn holidays and 4 November."""
    assert Lesson.objects.filter(assignment=j.s.math_5a, date__lt=dt.date(2026, 12, 1)).count() == 22


def test_journal_figures_by_hand(j):
    analysis = run(j.s.deputy)
    assert analysis.counted == (dt.date(2026, 12, 1), TODAY)
    lines = {line.name: line for line in analysis.lines}
    math = lines["5А · Математика"].figures
    assert lines["5А · Математика"].hours_per_week == Decimal(2) and lines["5А · Математика"].has_ktp
    assert (math.year_plan, math.ktp_hours, math.curriculum_plan, math.ktp_plan) == (68, 60, 7, 7)
    assert (math.plan, math.given, math.lag, math.percent, math.lagging) == (7, 4, 3, Decimal("57.1"), 1)
    russian = lines["5А · Русский язык"].figures
    assert (russian.year_plan, russian.ktp_hours, russian.plan, russian.given, russian.lag) == (0, 0, 4, 4, 0)
    assert russian.percent == Decimal("100.0") and not russian.lagging
    assert any("КТП не загружено" in note for note in analysis.notes)


def test_year_to_date_and_the_ktp_cap(j, monkeypatch):
    math = next(line.figures for line in run(j.s.deputy, {}).lines if line.name == "5А · Математика")
    # 29 timetable lessons to date (22 + 7), 26 given (29 − 4 cancelled + 1 extra).
    assert (math.ktp_plan, math.given, math.lag) == (29, 26, 3)
    # A КТП shorter than the timetable caps the plan: 25 h, of which 3 fall in December.
    import_plan(actor=j.s.teacher, assignment=j.s.math_5a, filename="ktp.csv", data=ktp_csv(25))
    short = next(line.figures for line in run(j.s.deputy).lines if line.name == "5А · Математика")
    assert (short.ktp_plan, short.plan, short.given, short.lag, short.lagging) == (3, 3, 4, -1, 0)


def test_grouped_by_teacher_and_class(j):
    s = j.s
    by_teacher = {line.id: line.figures for line in run(s.deputy, group="teacher").lines}
    assert by_teacher[s.teacher.pk].lagging == 1 and by_teacher[s.teacher2.pk].lagging == 0
    (five,) = run(s.deputy, group="class").lines
    assert (five.name, five.figures.journals, five.figures.plan, five.figures.given, five.figures.lagging) == (
        "5А",
        2,
        11,
        8,
        1,
    )


def test_teacher_reads_own_journals_class_teacher_the_class(j):
    s = j.s
    assert [line.name for line in run(s.teacher).lines] == ["5А · Математика"]
    assert {line.name for line in run(s.class_teacher).lines} == {"5А · Математика", "5А · Русский язык"}


def test_future_span_and_empty_school_say_so(j, monkeypatch):
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role

    future = run(j.s.deputy, {"month": "2027-03"})
    assert future.lines == [] and "ещё не наступили" in future.notes[0]
    school = people.create_school(name="Пустая", short_name="Пустая")
    admin = people.create_person(actor=None, school=school, last_name="А", first_name="Б", roles=[Role.ADMIN])
    empty = run(admin, {})
    assert empty.lines == [] and empty.total.percent is None and empty.notes


# --- the page, the file, access ---------------------------------------------------------------------


def test_page_flags_the_lag_and_drills_from_teacher_to_journals(client, j):
    client.force_login(j.s.director)
    html = client.get(URL, {**DECEMBER, "group": "teacher"}).content.decode()
    assert "Выполнение программы" in html and "<svg" in html and 'class="flagged"' in html
    assert f"teacher={j.s.teacher.pk}" in html
    drilled = client.get(URL, {**DECEMBER, "teacher": j.s.teacher.pk}).content.decode()
    assert "5А · Математика" in drilled and "Русский язык" not in drilled and "57,1%" in drilled


def test_xlsx_holds_the_numbers_of_the_page(client, j):
    client.force_login(j.s.deputy)
    response = client.get(URL, {**DECEMBER, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    # Журнал, учитель, ч/нед, уч. план за год, КТП за год, план по уч. плану, по КТП, дано, отставание, %.
    assert rows["5А · Математика"][2:] == pytest.approx((2.0, 68, 60, 7, 7, 4, 3, 0.571))
    assert rows["Итого"][7:9] == (8, 3)


def test_teacher_asking_for_another_teacher_or_class_gets_404(client, j, other_school):
    s = j.s
    client.force_login(s.teacher)
    assert client.get(URL, {"teacher": s.teacher2.pk}).status_code == 404
    assert client.get(URL, {"class": s.class_10a.pk}).status_code == 404
    assert client.get(URL, {"subject": s.russian.pk}).status_code == 404
    assert client.get(URL, {"teacher": s.teacher.pk}).status_code == 200
    client.force_login(s.deputy)
    assert client.get(URL, {"class": other_school.class_5a.pk}).status_code == 404
    assert client.get(URL, {"class": s.class_10a.pk}).status_code == 200


@pytest.mark.parametrize("who", ["student", "parent", "anonymous"])
def test_students_parents_and_anonymous_are_refused(client, j, who):
    if who != "anonymous":
        client.force_login(j.s.students_5a[0] if who == "student" else j.s.parent)
    assert client.get(URL).status_code == (302 if who == "anonymous" else 404)


def test_bad_group_is_a_clear_message(client, j):
    client.force_login(j.s.deputy)
    response = client.get(URL, {"group": "всё"})
    assert response.status_code == 422 and "Группировка указана неверно" in response.content.decode()


@pytest.mark.parametrize("students", [3, 12])
def test_query_count_does_not_grow(client, db, monkeypatch, students, django_assert_max_num_queries):
    from ejournal.conftest import build_small_school

    set_clock(monkeypatch, TODAY)
    j = build_journal(build_small_school(name=f"Школа {students}", students_per_class=students))
    client.force_login(j.s.deputy)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
