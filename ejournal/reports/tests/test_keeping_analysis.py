"""«Анализ работы с классным журналом ЭЖ»: hand-computed figures, the norm pro-rated to the span, period
marks at the deadline, the page, its XLSX, who may read it, and a query count constant in the class size."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal.core.errors import NotFound
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.lessons import replace_teacher
from ejournal.curriculum.models import Lesson
from ejournal.journal import lessons as lesson_records
from ejournal.journal import period_marks, services
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock
from ejournal.reports.keeping import keeping_analysis, span_norm
from ejournal.reports.keeping_spans import parse_span, school_calendar

URL = reverse("reports:journal_keeping")
DECEMBER = {"month": "2026-12"}


def on(monkeypatch, day: dt.date) -> None:
    set_clock(monkeypatch, day)


def fill(j, monkeypatch) -> None:
    """December 2026 (counted 1–24: today is the 25th). Math 5А (teacher, 5 h/week, norm 5 → 3 for the
    24 of Q2's 58 days): 7 lessons (Mon 7, 14, 21; Wed 2, 9, 16, 23); topics on the 2nd, 7th, 9th,
    homework on the 2nd; student a: marks on the 7th and 9th entered that day, on the 14th entered on the
    25th (oral: late); student b: a test on the 16th entered on the 23rd (written, 7 days: in time);
    c absent on the 21st; the 23rd has no record. Russian 5А (teacher2, 1 h/week, norm 3 → 2): topics on
    1, 8, 15; the 22nd given by the math teacher as a substitute, with a topic."""
    s = j.s
    curriculum.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(5))
    curriculum.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.russian, hours_per_week=Decimal(1))
    a, b, c = s.students_5a[:3]
    math = j.lesson_on
    for day in (2, 7, 9):
        lesson_records.set_topic(actor=s.teacher, lesson=math(dt.date(2026, 12, day)), topic=f"Тема {day}")
    lesson_records.set_homework(actor=s.teacher, lesson=math(dt.date(2026, 12, 2)), text="№ 1–5")
    for day in (7, 9):
        on(monkeypatch, dt.date(2026, 12, day))
        services.set_cell(actor=s.teacher, lesson=math(dt.date(2026, 12, day)), student=a, text="5")
    on(monkeypatch, dt.date(2026, 12, 23))
    services.set_marks(
        actor=s.teacher, lesson=math(dt.date(2026, 12, 16)), student=b, values=["4"], kind=j.kinds["test"]
    )
    on(monkeypatch, TODAY)
    services.set_cell(actor=s.teacher, lesson=math(dt.date(2026, 12, 14)), student=a, text="3")
    services.set_cell(actor=s.teacher, lesson=math(dt.date(2026, 12, 21)), student=c, text="н")
    russian = {lesson.date.day: lesson for lesson in Lesson.objects.filter(assignment=s.russian_5a, date__month=12)}
    for day in (1, 8, 15):
        lesson_records.set_topic(actor=s.teacher2, lesson=russian[day], topic=f"Тема {day}")
    replace_teacher(actor=s.admin, lesson=russian[22], substitute=s.teacher)
    lesson_records.set_topic(actor=s.teacher, lesson=Lesson.objects.get(pk=russian[22].pk), topic="Замена")


@pytest.fixture
def j(small_school, monkeypatch):
    on(monkeypatch, TODAY)
    journal = build_journal(small_school)
    fill(journal, monkeypatch)
    on(monkeypatch, TODAY)
    return journal


def analyse(user, params=DECEMBER, teacher_id=None):
    calendar = school_calendar(user)
    return keeping_analysis(user=user, calendar=calendar, span=parse_span(calendar, params), teacher_id=teacher_id)


def test_norm_is_pro_rated_to_the_span(j):
    q2 = j.q2  # 3 Nov – 30 Dec: 58 days
    assert span_norm(5, [q2], dt.date(2026, 12, 1), dt.date(2026, 12, 24)) == 3  # 5 × 24/58 = 2.07 → 3
    assert span_norm(3, [q2], dt.date(2026, 12, 1), dt.date(2026, 12, 24)) == 2  # 1.24 → 2
    assert span_norm(5, [q2], q2.start, q2.end) == 5
    assert span_norm(5, [q2], dt.date(2026, 12, 31), dt.date(2027, 1, 5)) == 0  # holidays: nothing asked


def test_management_sees_every_teacher_with_hand_computed_figures(j):
    analysis = analyse(j.s.deputy)
    assert analysis.counted == (dt.date(2026, 12, 1), dt.date(2026, 12, 24))
    rows = {line.id: line.figures for line in analysis.lines}
    assert set(rows) == {j.s.teacher.pk, j.s.teacher2.pk}
    math = rows[j.s.teacher.pk]
    # 7 math lessons + the Russian lesson given as a substitute.
    assert (math.lessons, math.with_topic, math.with_homework, math.no_record) == (8, 4, 1, 1)
    assert (math.marks, math.late_marks) == (4, 1)
    assert (math.topic_percent, math.homework_percent, math.late_percent) == (
        Decimal("50.0"),
        Decimal("12.5"),
        Decimal("25.0"),
    )
    # Накопляемость of math: 5 students, norm 3; only a has 3 marks.
    assert (math.judged, math.judged_marks, math.below_norm) == (5, 4, 4)
    assert math.norm_percent == Decimal("20.0") and math.marks_per_student == Decimal("0.80")
    assert math.flagged
    russian = rows[j.s.teacher2.pk]
    assert (russian.lessons, russian.with_topic, russian.no_record, russian.marks) == (3, 3, 0, 0)
    # The Russian journal stays teacher2's: 5 students without a mark against the norm of 2.
    assert (russian.judged, russian.below_norm, russian.norm_percent) == (5, 5, Decimal("0.0"))
    assert analysis.total.lessons == 11 and analysis.total.judged == 10


def test_teacher_sees_only_their_own_journals(j):
    analysis = analyse(j.s.teacher)
    assert analysis.teacher_id == j.s.teacher.pk
    by_name = {line.name: line for line in analysis.lines}
    assert set(by_name) == {"5А · Математика", "5А · Русский язык"}
    assert by_name["5А · Математика"].norm == 3
    assert by_name["5А · Русский язык"].figures.lessons == 1  # the substitution
    assert by_name["5А · Русский язык"].figures.judged == 0  # not their journal
    assert analysis.total.lessons == 8
    with pytest.raises(NotFound):
        analyse(j.s.teacher, teacher_id=j.s.teacher2.pk)


def test_period_marks_missing_at_the_deadline(j, monkeypatch):
    """Q1 ends 24.10, deadline 27.10 (3 days): a mark set on the 26th counts, one set on the 30th does not."""
    s = j.s
    a, b = s.students_5a[:2]
    on(monkeypatch, dt.date(2026, 10, 26))
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=a, period=j.q1, value="5")
    on(monkeypatch, dt.date(2026, 10, 30))
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=b, period=j.q1, value="4")
    on(monkeypatch, TODAY)
    analysis = analyse(s.deputy, {"period": str(j.q1.pk)})
    rows = {line.id: line.figures for line in analysis.lines}
    assert (rows[s.teacher.pk].period_marks_due, rows[s.teacher.pk].period_marks_missing) == (5, 4)
    assert (rows[s.teacher2.pk].period_marks_due, rows[s.teacher2.pk].period_marks_missing) == (5, 5)
    # Q1's lessons: none of them has a record (the fixture writes only in December).
    q1_math = Lesson.objects.filter(assignment=s.math_5a, date__range=(j.q1.start, j.q1.end)).count()
    assert rows[s.teacher.pk].lessons == rows[s.teacher.pk].no_record == q1_math
    # A month holding the deadline judges the same marks; December holds none, and Q2's is not over yet.
    october = analyse(s.deputy, {"month": "2026-10"})
    assert sum(line.figures.period_marks_missing for line in october.lines) == 9
    assert all(line.figures.period_marks_due == 0 for line in analyse(s.deputy).lines)
    q2 = analyse(s.deputy, {"period": str(j.q2.pk)})
    assert any("срок ещё не наступил" in note for note in q2.notes)


def test_an_empty_span_and_a_future_month_say_so(j):
    future = analyse(j.s.deputy, {"month": "2027-02"})
    assert future.counted is None and not future.lines
    assert "ещё не прошли" in future.notes[0]
    holidays = analyse(j.s.deputy, {"start": "2026-11-04", "end": "2026-11-04"})  # a public holiday
    assert not holidays.lines and "нет проведённых уроков" in holidays.notes[0]


def test_an_empty_school_has_no_rows_and_no_division(db, monkeypatch):
    from ejournal.accounts import services as people
    from ejournal.accounts.models import Role

    on(monkeypatch, TODAY)
    school = people.create_school(name="Пустая школа", short_name="Пустая")
    admin = people.create_person(actor=None, school=school, last_name="А", first_name="Б", roles=[Role.ADMIN])
    analysis = analyse(admin)
    assert analysis.lines == [] and analysis.total.topic_percent is None
    assert "нет проведённых уроков" in analysis.notes[0]


# --- the page, the file, access ---------------------------------------------------------------------


def test_page_shows_teachers_and_flags_and_links_to_their_journals(client, j):
    client.force_login(j.s.director)
    response = client.get(URL, DECEMBER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Анализ работы с классным журналом ЭЖ" in html
    assert "Учителева Ульяна" in html and "Педагогов Пётр" in html
    assert f"teacher={j.s.teacher.pk}" in html
    assert 'class="flagged"' in html and "<svg" in html
    assert "50,0%" in html  # math teacher's lessons with a topic
    drilled = client.get(URL, {**DECEMBER, "teacher": j.s.teacher.pk}).content.decode()
    assert "5А · Математика" in drilled and "Педагогов" not in drilled


def test_xlsx_holds_the_numbers_of_the_page(client, j):
    client.force_login(j.s.deputy)
    response = client.get(URL, {**DECEMBER, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    math = rows["Учителева Ульяна"]
    # Проведено, с темой, с д/з, без записей, отметок, после срока, %, на ученика, ниже нормы, не ниже нормы.
    assert math[1:11] == (8, 0.5, 0.125, 1, 4, 1, 0.25, 0.8, 4, 0.2)
    assert rows["Итого"][1] == 11


def test_pdf_and_csv_carry_the_same_cells(client, j):
    client.force_login(j.s.deputy)
    pdf = client.get(URL, {**DECEMBER, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Анализ работы с классным журналом ЭЖ" in text and "Учителева Ульяна" in text and "50,0%" in text
    lines = client.get(URL, {**DECEMBER, "format": "csv"}).content.decode("cp1251").splitlines()
    assert any(line.startswith("Учителева Ульяна;8;50,0%;12,5%;1;4;1;25,0%;0,80;4;20,0%") for line in lines)


def test_teacher_asking_for_another_teachers_analysis_gets_404(client, j):
    client.force_login(j.s.teacher)
    assert client.get(URL, {**DECEMBER, "teacher": j.s.teacher2.pk}).status_code == 404
    own = client.get(URL, DECEMBER)
    assert own.status_code == 200 and "Педагогов" not in own.content.decode()


@pytest.mark.parametrize("who", ["student", "parent"])
def test_students_and_parents_get_404(client, j, who):
    user = j.s.students_5a[0] if who == "student" else j.s.parent
    client.force_login(user)
    assert client.get(URL).status_code == 404


def test_other_schools_teacher_id_is_404_and_anonymous_goes_to_login(client, j, other_school):
    client.force_login(j.s.deputy)
    assert client.get(URL, {"teacher": other_school.teacher.pk}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_bad_month_is_a_clear_message(client, j):
    client.force_login(j.s.deputy)
    response = client.get(URL, {"month": "декабрь"})
    assert response.status_code == 422
    assert "Месяц «декабрь» указан неверно" in response.content.decode()


@pytest.mark.parametrize("students", [3, 12])
def test_query_count_does_not_grow_with_students(client, db, monkeypatch, students, django_assert_max_num_queries):
    from ejournal.conftest import build_small_school

    on(monkeypatch, TODAY)
    j = build_journal(build_small_school(name=f"Школа {students}", students_per_class=students))
    for student in j.s.students_5a:
        services.set_cell(actor=j.s.teacher, lesson=j.lesson_on(dt.date(2026, 12, 21)), student=student, text="5")
    client.force_login(j.s.deputy)
    with django_assert_max_num_queries(20):
        assert client.get(URL, {"period": j.q2.pk}).status_code == 200
