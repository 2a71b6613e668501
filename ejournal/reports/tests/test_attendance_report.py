"""Посещаемость: hand-computed lessons and days missed by reason, cross-checked against the class teacher's
count (journal/absences.py); the page, its drill-down and XLSX; who sees which classes; query count."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.core.errors import NotFound
from ejournal.curriculum.lessons import add_extra_lesson
from ejournal.curriculum.models import Lesson
from ejournal.journal import services
from ejournal.journal.absences import missed_in_class
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock
from ejournal.reports.attendance import attendance_figures
from ejournal.reports.keeping_spans import parse_span, school_calendar

URL = reverse("reports:attendance")
WEEK = {"start": "2026-12-14", "end": "2026-12-18"}
MON, TUE, WED = dt.date(2026, 12, 14), dt.date(2026, 12, 15), dt.date(2026, 12, 16)


@pytest.fixture
def j(small_school, monkeypatch):
    """The week of 14 December in 5А: Mon math (1st) and an extra Russian lesson (2nd), Tue Russian,
    Wed math. a: «н» at Monday's math (present at Russian: no day), «б» on Tuesday (a day, illness).
    b: «оп» on Monday (late, no absence), «п» on Wednesday (a day). d: «у» and «п» on Monday (a day,
    unexcused: the least excused reason). Lessons 5 (б 1, у 1, п 2, н 1), days 3 (б 1, п 2), late 1."""
    set_clock(monkeypatch, TODAY)
    j = build_journal(small_school)
    s = j.s
    a, b, _, d = s.students_5a[:4]
    extra = add_extra_lesson(actor=s.admin, assignment=s.russian_5a, day=MON, number=2)
    tuesday = Lesson.objects.get(assignment=s.russian_5a, date=TUE)
    services.set_cell(actor=s.teacher, lesson=j.lesson_on(MON), student=a, text="н")
    services.set_cell(actor=s.teacher2, lesson=tuesday, student=a, text="б")
    services.set_cell(actor=s.teacher, lesson=j.lesson_on(MON), student=b, text="оп")
    services.set_cell(actor=s.teacher, lesson=j.lesson_on(WED), student=b, text="п")
    services.set_cell(actor=s.teacher, lesson=j.lesson_on(MON), student=d, text="у")
    services.set_cell(actor=s.teacher2, lesson=extra, student=d, text="п")
    return j


def figures_for(user, params=WEEK, class_id=None):
    calendar = school_calendar(user)
    return attendance_figures(user=user, calendar=calendar, span=parse_span(calendar, params), class_id=class_id)


def test_school_level_by_class(j):
    figures = figures_for(j.s.deputy)
    lines = {line.name: line for line in figures.lines}
    assert set(lines) == {"5А", "10А"}
    five = lines["5А"]
    assert five.students == 5
    assert (five.missed.lessons, dict(five.missed.lessons_by_code)) == (5, {"н": 1, "б": 1, "п": 2, "у": 1})
    assert (five.missed.days, dict(five.missed.days_by_code)) == (3, {"б": 1, "п": 2})
    assert five.missed.late == 1
    assert five.lessons_per_student == Decimal("1.00")
    ten = lines["10А"]
    assert (ten.students, ten.missed.lessons, ten.missed.days) == (5, 0, 0)
    assert figures.total.students == 10 and figures.total.missed.lessons == 5


def test_students_of_a_class_agree_with_the_class_teachers_count(j):
    s = j.s
    figures = figures_for(s.class_teacher, class_id=s.class_5a.pk)
    mine = {line.id: line.missed for line in figures.lines}
    theirs = missed_in_class(s.class_5a, MON, dt.date(2026, 12, 18))
    assert set(mine) == set(theirs)
    for student_id, missed in theirs.items():
        assert mine[student_id].lessons == missed.lessons
        assert dict(mine[student_id].lessons_by_code) == missed.lessons_by_code
        assert mine[student_id].days == missed.days
        assert dict(mine[student_id].days_by_code) == missed.days_by_code
    a, b = s.students_5a[:2]
    assert (mine[a.pk].lessons, mine[a.pk].days, mine[b.pk].late) == (2, 1, 1)


def test_subject_teacher_sees_only_their_lessons_and_no_days(j):
    s = j.s
    figures = figures_for(s.teacher)
    assert [line.name for line in figures.lines] == ["5А"]
    math = figures.lines[0].missed
    assert (math.lessons, dict(math.lessons_by_code), math.late) == (3, {"н": 1, "п": 1, "у": 1}, 1)
    assert math.days is None
    russian = figures_for(s.teacher2).lines[0].missed
    assert (russian.lessons, dict(russian.lessons_by_code)) == (2, {"б": 1, "п": 1})
    with pytest.raises(NotFound):
        figures_for(s.teacher, class_id=s.class_10a.pk)


def test_a_period_covers_only_its_grades(j):
    s = j.s
    quarter = figures_for(s.deputy, {"period": str(j.q2.pk)})
    assert [line.name for line in quarter.lines] == ["5А"]
    half = figures_for(s.deputy, {"period": str(j.q2.scheme.year.schemes.get(grade_from=10).periods.first().pk)})
    assert [line.name for line in half.lines] == ["10А"]
    assert half.lines[0].missed.lessons == 0 and half.lines[0].lessons_per_student == Decimal("0.00")


def test_no_lessons_empty_class_and_empty_school_say_so(j, monkeypatch):
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role
    from ejournal.schools import services as schools

    s = j.s
    holidays = figures_for(s.deputy, {"start": "2026-11-04", "end": "2026-11-04"})
    assert "В выбранные даты нет уроков." in holidays.notes
    empty = schools.create_class(actor=s.admin, year=s.year, grade=5, letter="Б")
    figures = figures_for(s.deputy)
    line = next(line for line in figures.lines if line.id == empty.pk)
    assert line.students == 0 and line.lessons_per_student is None
    assert "В классе 5Б нет учеников в выбранные даты." in figures.notes
    school = people.create_school(name="Пустая", short_name="Пустая")
    admin = people.create_person(actor=None, school=school, last_name="А", first_name="Б", roles=[Role.ADMIN])
    nothing = figures_for(admin, {})
    assert nothing.lines == [] and nothing.notes


# --- the page, the file, access ---------------------------------------------------------------------


def test_page_links_classes_to_their_students(client, j):
    client.force_login(j.s.deputy)
    html = client.get(URL, WEEK).content.decode()
    assert "Посещаемость" in html and "<svg" in html
    assert f"class={j.s.class_5a.pk}" in html
    assert "1,00" in html  # lessons per student in 5А
    drilled = client.get(URL, {**WEEK, "class": j.s.class_5a.pk}).content.decode()
    assert "Ученик50 Имя0" in drilled and "← Все классы" in drilled


def test_xlsx_holds_the_numbers_of_the_page(client, j):
    client.force_login(j.s.deputy)
    response = client.get(URL, {**WEEK, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    # Класс, учеников, уроков: всего б у п н, дней: всего б у п н, опозданий, на ученика.
    assert rows["5А"] == ("5А", 5, 5, 1, 1, 2, 1, 3, 1, 0, 2, 0, 1, 1.0)
    assert rows["Итого"][2] == 5


def test_a_file_of_students_is_a_traced_personal_data_export(client, j):
    client.force_login(j.s.class_teacher)
    response = client.get(URL, {**WEEK, "class": j.s.class_5a.pk, "format": "csv"})
    assert response.status_code == 200
    assert "Ученик50 Имя0" in response.content.decode("cp1251")
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA_EXPORT, actor=j.s.class_teacher)
    assert str(j.s.class_5a.pk) in event.summary and "Ученик" not in event.summary


def test_teacher_asking_for_another_class_gets_404(client, j, other_school):
    client.force_login(j.s.teacher)
    assert client.get(URL, {**WEEK, "class": j.s.class_10a.pk}).status_code == 404
    assert client.get(URL, {**WEEK, "class": other_school.class_5a.pk}).status_code == 404
    html = client.get(URL, WEEK).content.decode()
    assert "10А" not in html and "все уроки дня" not in html


@pytest.mark.parametrize("who", ["student", "parent"])
def test_students_and_parents_get_404(client, j, who):
    client.force_login(j.s.students_5a[0] if who == "student" else j.s.parent)
    assert client.get(URL).status_code == 404


def test_anonymous_goes_to_login_and_bad_dates_are_refused(client, j):
    assert client.get(URL).status_code == 302
    client.force_login(j.s.deputy)
    response = client.get(URL, {"start": "2026-12-18", "end": "2026-12-14"})
    assert response.status_code == 422 and "Дата начала позже даты окончания" in response.content.decode()
    assert client.get(URL, {"start": "2026-12-14"}).status_code == 422


@pytest.mark.parametrize("students", [3, 12])
def test_query_count_does_not_grow_with_students(client, db, monkeypatch, students, django_assert_max_num_queries):
    from ejournal.conftest import build_small_school

    set_clock(monkeypatch, TODAY)
    j = build_journal(build_small_school(name=f"Школа {students}", students_per_class=students))
    for student in j.s.students_5a:
        services.set_cell(actor=j.s.teacher, lesson=j.lesson_on(MON), student=student, text="н")
    client.force_login(j.s.deputy)
    with django_assert_max_num_queries(13):
        assert client.get(URL, {"period": j.q2.pk}).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(URL, {"period": j.q2.pk, "class": j.s.class_5a.pk}).status_code == 200
