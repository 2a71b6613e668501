"""«Сводка класса»: class_overview, the page, its XLSX export and the API; who may read it; query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.core.spreadsheet import safe_text
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.journal import period_marks, services
from ejournal.journal.absences import Missed
from ejournal.journal.overview import OverviewCell, OverviewColumn, OverviewSource, build_overview, class_overview
from ejournal.journal.selectors import journal_grid
from ejournal.schools import services as schools
from ejournal.schools.models import Period

MONDAY = dt.date(2026, 12, 21)  # math, 1st lesson
TUESDAY = dt.date(2026, 12, 22)  # russian, 1st lesson
WEDNESDAY = dt.date(2026, 12, 23)  # math, 2nd lesson


def page_url(journal, period=None) -> str:
    url = reverse("journal:class_overview", args=[journal.s.class_5a.pk])
    return f"{url}?period={period.pk}" if period else url


def russian_on(journal, day: dt.date) -> Lesson:
    return Lesson.objects.get(assignment=journal.s.russian_5a, date=day)


def fill(journal) -> None:
    """Student a: math 5/4 and a test 3, russian 5, period mark 4 in math; absent (ill) all of Tuesday.
    Student b: absent from one math lesson without a reason yet («н»)."""
    s = journal.s
    a, b = s.students_5a[0], s.students_5a[1]
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=a, text="5/4")
    services.set_marks(
        actor=s.teacher, lesson=journal.lesson_on(WEDNESDAY), student=a, values=["3"], kind=journal.kinds["test"]
    )
    services.set_cell(actor=s.teacher2, lesson=russian_on(journal, dt.date(2026, 12, 15)), student=a, text="5")
    services.set_cell(actor=s.teacher2, lesson=russian_on(journal, TUESDAY), student=a, text="б")
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=b, text="н")
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=a, period=journal.q2, value="4")


def test_every_subject_of_the_class_with_marks_norm_and_absences(journal, django_assert_max_num_queries):
    s = journal.s
    fill(journal)
    a, b = s.students_5a[0], s.students_5a[1]
    user = User.objects.get(pk=s.class_teacher.pk)  # roles not read yet: counted below
    with django_assert_max_num_queries(12):
        overview = class_overview(user=user, class_group=s.class_5a.pk)
    assert overview.period.pk == journal.q2.pk  # today's period by default
    assert overview.title == "Сводка класса 5А · 2 четверть"
    assert [c.title for c in overview.columns] == ["Математика", "Русский язык"]
    assert [c.assignment_id for c in overview.columns] == [s.math_5a.pk, s.russian_5a.pk]
    assert len(overview.rows) == len(s.students_5a)
    row_a = next(r for r in overview.rows if r.student_id == a.pk)
    row_b = next(r for r in overview.rows if r.student_id == b.pk)
    math, russian = row_a.cells
    assert math is not None and russian is not None
    # (5 + 4 + 3×2) / 4 = 3.75, as in the grid
    assert (math.average, math.marks_count, math.period_mark) == (Decimal("3.75"), 3, "4")
    assert (russian.average, russian.marks_count, russian.period_mark) == (Decimal("5.00"), 1, "")
    assert math.below_norm and russian.below_norm  # norm 5 (2 lessons a week) and 3 (1 a week)
    assert (row_a.lessons_missed, row_a.days_missed) == ((1, 1, 0, 0, 0), (1, 1, 0, 0, 0))
    assert (row_b.lessons_missed, row_b.days_missed) == ((1, 0, 0, 0, 1), (1, 0, 0, 0, 1))


def test_figures_agree_with_the_subject_journal(journal):
    s = journal.s
    fill(journal)
    overview = class_overview(user=s.deputy, class_group=s.class_5a, period=journal.q2)
    grid = journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2)
    by_student = {row.student_id: row.cells[0] for row in overview.rows}
    for row in grid.rows:
        cell = by_student[row.student_id]
        assert cell is not None
        assert (cell.average, cell.marks_count, cell.norm, cell.period_mark) == (
            row.average,
            row.marks_count,
            row.norm,
            row.period_mark,
        )


def test_subgroup_subjects_show_only_their_members(journal):
    s = journal.s
    english = curriculum.create_subject(actor=s.admin, name="Английский язык", short_name="Англ")
    group = schools.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=english, name="1 группа", students=s.students_5a[:2]
    )
    curriculum.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_5a, subject=english, subgroup=group
    )
    overview = class_overview(user=s.class_teacher, class_group=s.class_5a, period=journal.q2)
    titles = [c.title for c in overview.columns]
    assert titles == ["Английский язык (1 группа)", "Математика", "Русский язык"]
    members = {st.pk for st in s.students_5a[:2]}
    for row in overview.rows:
        assert (row.cells[0] is not None) == (row.student_id in members)


def test_students_who_left_before_the_period_are_not_listed(journal):
    s = journal.s
    leaver = s.students_5a[2]
    schools.withdraw(actor=s.admin, student=leaver, last_day=dt.date(2026, 10, 1), reason="переезд")
    overview = class_overview(user=s.class_teacher, class_group=s.class_5a, period=journal.q2)
    assert leaver.pk not in {r.student_id for r in overview.rows}
    q1 = class_overview(user=s.class_teacher, class_group=s.class_5a, period=journal.q1)
    row = next(r for r in q1.rows if r.student_id == leaver.pk)
    assert row.enrolled_to == dt.date(2026, 10, 1)


@pytest.mark.parametrize("size", [5, 20])
def test_queries_do_not_grow_with_the_class(client, big_journal, django_assert_max_num_queries, size):
    journal = big_journal(size)
    s = journal.s
    for i, student in enumerate(s.students_5a):
        for j, lesson in enumerate(journal.in_period(journal.q2)[:6]):
            services.set_cell(actor=s.teacher, lesson=lesson, student=student, text=["5", "4/3", "н", ""][(i + j) % 4])
    client.force_login(s.class_teacher)
    with django_assert_max_num_queries(16):  # the selector's twelve plus session, user, menu (roles, leads a class)
        response = client.get(page_url(journal, journal.q2))
    assert response.status_code == 200
    assert response.content.decode().count('<tr data-s="') == size
    with django_assert_max_num_queries(15):  # the page's reads less the menu, plus the export's security event
        assert client.get(reverse("journal:class_overview_xlsx", args=[s.class_5a.pk])).status_code == 200


def test_page_links_each_subject_to_its_journal(client, journal):
    s = journal.s
    fill(journal)
    client.force_login(s.class_teacher)
    response = client.get(page_url(journal, journal.q2))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Сводка класса 5А · 2 четверть" in html
    assert f"{reverse('journal:grid', args=[s.math_5a.pk])}?period={journal.q2.pk}" in html
    assert f"{reverse('journal:grid', args=[s.russian_5a.pk])}?period={journal.q2.pk}" in html
    assert reverse("journal:class_overview_xlsx", args=[s.class_5a.pk]) in html
    assert "3,75" in html and 'class="ov-cnt low"' in html
    assert "<script>" not in html
    # The class teacher may open the journals the page links to.
    assert client.get(reverse("journal:grid", args=[s.russian_5a.pk])).status_code == 200


@pytest.mark.parametrize("who", ["class_teacher", "deputy", "director", "admin"])
def test_class_teacher_and_management_read_it(client, journal, who):
    client.force_login(getattr(journal.s, who))
    assert client.get(page_url(journal)).status_code == 200
    assert client.get(reverse("journal:class_overview_xlsx", args=[journal.s.class_5a.pk])).status_code == 200


def test_others_get_404(client, journal, other_school):
    s = journal.s
    # The math teacher teaches in 5А but does not lead it; a student; a parent; another school.
    for user in (s.teacher, s.teacher2, s.students_5a[0], s.parent, other_school.admin):
        client.force_login(user)
        assert client.get(page_url(journal)).status_code == 404
        assert client.get(reverse("journal:class_overview_xlsx", args=[s.class_5a.pk])).status_code == 404
    # The class teacher of 5А does not lead 10А.
    client.force_login(s.class_teacher)
    assert client.get(reverse("journal:class_overview", args=[s.class_10a.pk])).status_code == 404
    with pytest.raises(NotFound):
        class_overview(user=s.teacher, class_group=s.class_5a)


def test_a_period_of_another_grade_band_or_school_is_404(client, journal, other_school):
    s = journal.s
    client.force_login(s.class_teacher)
    foreign = other_school.year.schemes.first().periods.first()
    assert client.get(f"{page_url(journal)}?period={foreign.pk}").status_code == 404
    assert client.get(f"{page_url(journal)}?period=abc").status_code == 422


def test_anonymous_is_sent_to_login(client, journal):
    response = client.get(page_url(journal))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_index_links_to_the_overview(client, journal):
    s = journal.s
    url_5a = reverse("journal:class_overview", args=[s.class_5a.pk])
    url_10a = reverse("journal:class_overview", args=[s.class_10a.pk])
    client.force_login(s.class_teacher)
    html = client.get(reverse("journal:index")).content.decode()
    assert url_5a in html and url_10a not in html
    client.force_login(s.deputy)
    html = client.get(reverse("journal:index")).content.decode()
    assert url_5a in html and url_10a in html
    client.force_login(s.teacher)
    assert "journal/class/" not in client.get(reverse("journal:index")).content.decode()


def test_xlsx_export_holds_the_same_table(client, journal):
    s = journal.s
    fill(journal)
    User.objects.filter(pk=s.students_5a[0].pk).update(last_name='=HYPERLINK("http://x")', first_name="Ан")
    client.force_login(s.class_teacher)
    response = client.get(reverse("journal:class_overview_xlsx", args=[s.class_5a.pk]), {"period": journal.q2.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''") and "%D0%A1%D0%B2%D0%BE%D0%B4" in disposition
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("Сводка класса 5А · 2 четверть")
    assert str(sheet["C4"].value).startswith("Математика") and str(sheet["F4"].value).startswith("Русский язык")
    assert sheet["I4"].value == "Пропущено уроков" and sheet["N4"].value == "Пропущено дней"
    rows = {str(sheet.cell(row=r, column=2).value): r for r in range(6, sheet.max_row + 1)}
    evil = next(name for name in rows if "HYPERLINK" in name)
    assert evil.startswith("'=") and sheet.cell(row=rows[evil], column=2).data_type == "s"
    r = rows[evil]
    assert [sheet.cell(row=r, column=c).value for c in range(3, 9)] == [Decimal("3.75"), 3, 4, 5, 1, None]
    assert [sheet.cell(row=r, column=c).value for c in range(9, 19)] == [1, 1, 0, 0, 0, 1, 1, 0, 0, 0]
    assert sheet.cell(row=r, column=4).fill.fgColor.rgb.endswith("FDE8E7")  # below the norm


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+2", "'=1+2"), ("+7 900", "'+7 900"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("Иванов", "Иванов")],
)
def test_formula_like_text_is_escaped(text, expected):
    assert safe_text(text) == expected


def test_api_returns_the_overview(journal, other_school):
    s = journal.s
    fill(journal)
    api = APIClient()
    url = reverse("api-journal-class-overview", args=[s.class_5a.pk])
    assert url == f"/api/v1/journal/classes/{s.class_5a.pk}/overview/"
    api.force_authenticate(s.class_teacher)
    response = api.get(url, {"period": journal.q2.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["class"]["name"] == "5А" and data["period"]["id"] == journal.q2.pk
    assert [subject["title"] for subject in data["subjects"]] == ["Математика", "Русский язык"]
    a = next(st for st in data["students"] if st["id"] == s.students_5a[0].pk)
    assert a["subjects"][0] == {
        "average": "3.75",
        "marks_count": 3,
        "norm": 5,
        "below_norm": True,
        "period_mark": "4",
    }
    assert a["missed"]["days"] == {"total": 1, "ill": 1, "excused": 0, "unexcused": 0, "unsettled": 0}
    assert api.get(url, {"period": "x"}).status_code == 422
    for user in (s.teacher, s.students_5a[0], s.parent, other_school.admin):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
    api.force_authenticate(None)
    assert api.get(url).status_code == 403  # DRF: not signed in


# --- build_overview: the pure half, on hand-made rows (no database) ----------------------------------------


def test_build_overview_places_marks_in_the_students_own_column():
    period = Period(pk=7, number=2, start=dt.date(2026, 11, 9), end=dt.date(2026, 12, 27))
    teacher = "Учителева А. А."
    columns = [
        OverviewColumn(1, 10, None, "Математика", "", teacher, norm=2),
        OverviewColumn(2, 20, 5, "Английский", "1 группа", teacher, norm=2),
        OverviewColumn(3, 20, 6, "Английский", "2 группа", teacher, norm=2),
    ]
    source = OverviewSource(
        class_id=1,
        class_name="5А",
        period=period,
        periods=[period],
        columns=columns,
        names={1: "Агеев Артём", 2: "Борисова Вера"},
        spans={1: [(dt.date(2026, 9, 1), None)], 2: [(dt.date(2026, 9, 1), dt.date(2026, 12, 1))]},
        subgroups={1: {5}, 2: {6}},
        marks=[
            (1, 10, "5", Decimal(2)),
            (1, 10, "2", Decimal(1)),
            (1, 20, "4", Decimal(1)),  # in his subgroup's column
            (2, 20, "3", Decimal(1)),  # in hers
            (2, 30, "5", Decimal(1)),  # a subject the class has no journal of: nowhere
        ],
        period_marks={(1, 10): "4"},
        missed={2: Missed(lessons=3, lessons_by_code={"б": 3}, days=1, days_by_code={"б": 1})},
    )
    overview = build_overview(source)
    first, second = overview.rows
    assert first.cells[0] == OverviewCell(average=Decimal("4.00"), marks_count=2, norm=2, period_mark="4")
    english, theirs, maths = first.cells[1], second.cells[2], second.cells[0]
    assert english is not None and theirs is not None and maths is not None
    assert english.marks_count == 1 and first.cells[2] is None
    assert second.cells[1] is None and theirs.average == Decimal("3.00")
    assert maths.below_norm and maths.marks_count == 0
    assert second.enrolled_to == dt.date(2026, 12, 1) and first.enrolled_from is None
    assert first.lessons_missed == (0, 0, 0, 0, 0) and second.days_missed == (1, 1, 0, 0, 0)
    assert (overview.class_id, overview.class_name, overview.columns) == (1, "5А", columns)
