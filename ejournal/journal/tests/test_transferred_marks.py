"""A student moved from 5А to 5Б mid-quarter keeps every mark of the quarter (journal.counting): the grid of
5Б (average, suggested period mark, the earlier marks read-only with their class), the diary, the class
overview and the reports all count the same marks and show the same average; an earlier mark cannot be
edited from 5Б's journal."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ejournal.diary.marks import period_report
from ejournal.journal import counting, period_marks
from ejournal.journal.grid_html import render_grid_table
from ejournal.journal.models import PeriodMarkKind
from ejournal.journal.overview import class_overview
from ejournal.journal.selectors import journal_grid
from ejournal.notifications.averages import check_average
from ejournal.notifications.models import Preferences
from ejournal.reports.selectors import period_data

from .conftest import TODAY

AVERAGE = Decimal("2.83")  # (2 + 2 + 2 + 4×2 + 3) / 6; 5Б alone: 3.67, 5А alone: 2.00


def row_of(grid, student):
    return next(row for row in grid.rows if row.student_id == student.pk)


def test_the_one_rule_returns_both_classes_marks_with_their_class(transfer):
    j = transfer.j
    rows = list(
        counting.marks_that_count(
            school_id=transfer.s.school.pk,
            start=j.q2.start,
            end=j.q2.end,
            students=[transfer.student.pk],
            subjects=[transfer.s.math.pk],
        ).values_list("value", "lesson__class_group_id")
    )
    assert sorted(rows) == sorted(
        [("2", transfer.s.class_5a.pk)] * 3 + [("4", transfer.class_5b.pk), ("3", transfer.class_5b.pk)]
    )


def test_grid_of_the_new_class_counts_and_shows_the_earlier_marks(transfer, django_assert_max_num_queries):
    s = transfer.s
    with django_assert_max_num_queries(9):
        grid = journal_grid(user=s.teacher2, assignment=transfer.math_5b, period=transfer.j.q2)
    row = row_of(grid, transfer.student)
    assert row.average == AVERAGE and row.marks_count == 5 and row.suggestion == "3"
    assert [(m.value, m.source) for m in row.foreign] == [("2", "5А")] * 3
    assert row.enrolled_from == transfer.first_day
    html = render_grid_table(grid)
    assert "2,83" in html and 'class="jr-ext"' in html and 'title="отметка из 5А, ' in html
    # The earlier marks sit after the period mark, without data-v: the page's script never edits them.
    ext = html.split('class="jr-ext"', 1)[1].split("</td>", 1)[0]
    assert "data-v" not in ext and ext.count("jr-fm") == 3
    # The suggestion of the period-mark cell is computed by the same rule.
    state = period_marks.period_mark_state(
        assignment=transfer.math_5b, student=transfer.student, kind=PeriodMarkKind.PERIOD, period=transfer.j.q2
    )
    assert (state.average, state.marks_count, state.suggested) == (AVERAGE, 5, "3")
    # The former class's journal shows her with the same figure (its own days editable, 5Б's read-only).
    old = row_of(journal_grid(user=s.teacher, assignment=s.math_5a, period=transfer.j.q2), transfer.student)
    assert old.average == AVERAGE and [(m.value, m.source) for m in old.foreign] == [("4", "5Б"), ("3", "5Б")]


def test_a_grid_without_marks_from_elsewhere_has_no_extra_column(journal):
    html = render_grid_table(journal_grid(user=journal.teacher, assignment=journal.assignment, period=journal.q2))
    assert "jr-ext" not in html


def test_diary_shows_the_same_average_and_where_each_mark_came_from(client, transfer):
    report = period_report(transfer.student, period_id=transfer.j.q2.pk, today=TODAY)
    math = next(line for line in report.subjects if line.subject_id == transfer.s.math.pk)
    assert math.average == AVERAGE and len(math.marks) == 5 and math.several_classes
    assert [m.source for m in math.marks] == ["5А"] * 3 + ["5Б"] * 2
    client.force_login(transfer.s.parent)
    page = client.get(reverse("diary:student_marks", args=[transfer.student.pk]), {"period": transfer.j.q2.pk})
    html = page.content.decode()
    assert "2,83" in html and "из 5А" in html


def test_class_overview_counts_every_mark(transfer):
    overview = class_overview(user=transfer.s.admin, class_group=transfer.class_5b, period=transfer.j.q2)
    i = next(i for i, c in enumerate(overview.columns) if c.subject_id == transfer.s.math.pk)
    row = next(r for r in overview.rows if r.student_id == transfer.student.pk)
    cell = row.cells[i]
    assert cell is not None and (cell.average, cell.marks_count) == (AVERAGE, 5)


def test_reports_count_every_mark(client, transfer):
    s, q2 = transfer.s, transfer.j.q2
    school_data = period_data(school=s.school, period=q2)
    cell = school_data.cell(transfer.student.pk, s.math.pk)
    assert (cell.average, cell.marks, cell.suggestion) == (AVERAGE, 5, "3")
    class_data = period_data(school=s.school, period=q2, class_ids=[transfer.class_5b.pk])
    assert class_data.cell(transfer.student.pk, s.math.pk).average == AVERAGE
    client.force_login(s.deputy)
    student = client.get(reverse("reports:student", args=[transfer.student.pk]), {"period": q2.pk})
    [math] = [row for row in student.context["report"].rows if row.cells[0].endswith("Математика")]
    assert math.cells[2:4] == (AVERAGE, 5)
    teacher = client.get(reverse("reports:teacher"), {"teacher": s.teacher2.pk, "period": q2.pk})
    [row] = [row for row in teacher.context["report"].rows if row.cells[0] == "5Б · Математика"]
    assert row.cells[-1] == Decimal("3.00")  # the counted mark is the suggestion «3» from 2,83 (not «4»)
    school = client.get(reverse("reports:school"), {"period": q2.pk})
    assert school.status_code == 200


def test_low_average_notification_uses_the_same_marks(transfer):
    # The average the family is told about is the one they see: 2,83 over both classes, below 3,00.
    s = transfer.s
    Preferences.objects.update_or_create(
        school_id=s.school.pk, user=s.parent, defaults={"average_threshold": Decimal("3.00")}
    )
    told = check_average(
        school_id=s.school.pk, student_id=transfer.student.pk, lesson_id=transfer.after[1].pk, previous=["5"]
    )
    assert told == 1


def test_editing_an_earlier_mark_from_the_new_class_is_refused(client, transfer):
    s = transfer.s
    lesson = transfer.before[0]
    client.force_login(s.teacher2)  # 5Б's teacher: 5А's lessons are not theirs
    url = reverse("journal:cell", args=[lesson.pk, transfer.student.pk])
    response = client.post(url, {"text": "5"}, content_type="application/json")
    assert response.status_code == 404
    assert (
        counting.marks_that_count(
            school_id=s.school.pk, start=lesson.date, end=lesson.date, students=[transfer.student.pk]
        )
        .get()
        .value
        == "2"
    )
