"""journal_grid: content, enrolment dates, averages, norm, period marks, modes, scope, query count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ejournal.core.errors import NotFound
from ejournal.curriculum import services as curriculum
from ejournal.journal import lessons, period_marks, services
from ejournal.journal.periods import close_period
from ejournal.journal.selectors import (
    EMPTY_CELL,
    ForeignMark,
    GridKind,
    GridLesson,
    GridSource,
    build_grid,
    journal_grid,
)
from ejournal.schools import services as schools
from ejournal.schools.models import Period

from .conftest import TODAY

MONDAY = dt.date(2026, 12, 21)


def test_grid_shows_students_lessons_cells_and_figures(journal):
    s = journal.s
    q2_lessons = journal.in_period(journal.q2)
    first, second = q2_lessons[0], q2_lessons[1]
    a, b = s.students_5a[0], s.students_5a[1]
    services.set_cell(actor=s.teacher, lesson=first, student=a, text="5/4")
    services.set_marks(actor=s.teacher, lesson=second, student=a, values=["3"], kind=journal.kinds["test"])
    services.set_cell(actor=s.teacher, lesson=first, student=b, text="н")
    lessons.set_topic(actor=s.teacher, lesson=first, topic="Дроби")
    lessons.set_homework(actor=s.teacher, lesson=first, text="№ 5")
    lessons.set_lesson_kind(actor=s.teacher, lesson=second, kind=journal.kinds["test"])
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=a, period=journal.q2, value="4")

    grid = journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2)

    assert grid.title == "5А · Математика" and grid.mode == "edit" and not grid.locked
    assert [lesson.id for lesson in grid.lessons] == [lesson.pk for lesson in q2_lessons]
    assert grid.lessons[0].topic == "Дроби" and grid.lessons[0].homework == "№ 5"
    assert grid.lessons[1].kind_id == journal.kinds["test"].pk
    assert [row.name for row in grid.rows] == sorted(row.name for row in grid.rows)
    row_a = next(row for row in grid.rows if row.student_id == a.pk)
    row_b = next(row for row in grid.rows if row.student_id == b.pk)
    cells_a, cells_b = [c or EMPTY_CELL for c in row_a.cells], [c or EMPTY_CELL for c in row_b.cells]
    assert cells_a[0].text == "5/4" and cells_a[1].text == "3"
    assert cells_b[0].text == "н" and cells_b[1].text == ""
    # (5 + 4 + 3×2) / 4 = 3.75
    assert (row_a.average, row_a.marks_count, row_a.suggestion, row_a.period_mark) == (Decimal("3.75"), 3, "4", "4")
    assert row_a.norm == 5 and row_a.below_norm and not row_a.is_deviation
    assert cells_a[0].version == services.cell_state(lesson=first, student=a).version
    assert row_b.average is None and row_b.suggestion == ""


def test_students_who_joined_or_left_during_the_period(journal):
    s = journal.s
    leaver = s.students_5a[2]
    schools.withdraw(actor=s.admin, student=leaver, last_day=dt.date(2026, 12, 1), reason="переезд")
    comer = s.person("Аазов", "Артём", "student")
    schools.enrol(actor=s.admin, student=comer, class_group=s.class_5a, start=dt.date(2026, 12, 2))
    grid = journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2)
    rows = {row.student_id: row for row in grid.rows}
    assert rows[leaver.pk].enrolled_to == dt.date(2026, 12, 1) and rows[leaver.pk].enrolled_from is None
    assert rows[comer.pk].enrolled_from == dt.date(2026, 12, 2)
    assert grid.rows[0].student_id == comer.pk  # «Аазов» first
    days = [lesson.date for lesson in grid.lessons]
    assert all(
        (cell is None) == (day > dt.date(2026, 12, 1)) for cell, day in zip(rows[leaver.pk].cells, days, strict=True)
    )
    assert all(
        (cell is None) == (day < dt.date(2026, 12, 2)) for cell, day in zip(rows[comer.pk].cells, days, strict=True)
    )
    # Someone who left before the period is not listed.
    q3 = schools.periods_for_grade(s.year, 5)[2]
    assert leaver.pk not in {
        row.student_id for row in journal_grid(user=s.teacher, assignment=s.math_5a, period=q3).rows
    }


def test_cancelled_lessons_are_not_columns(journal):
    s = journal.s
    lesson = journal.lesson_on(dt.date(2026, 12, 16))
    curriculum.cancel_lesson(actor=s.admin, lesson=lesson, note="карантин")
    grid = journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2)
    assert lesson.pk not in [column.id for column in grid.lessons]


def test_subgroup_journal_lists_only_its_students(journal):
    s = journal.s
    english = curriculum.create_subject(actor=s.admin, name="Английский язык", short_name="Англ")
    group = schools.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=english, name="1 группа", students=s.students_5a[:2]
    )
    assignment = curriculum.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_5a, subject=english, subgroup=group
    )
    grid = journal_grid(user=s.teacher2, assignment=assignment, period=journal.q2)
    assert {row.student_id for row in grid.rows} == {st.pk for st in s.students_5a[:2]}
    assert grid.title == "5А (1 группа) · Английский язык"


def test_modes_and_scope(journal, other_school):
    s = journal.s
    assert journal_grid(user=s.class_teacher, assignment=s.math_5a, period=journal.q2).mode == "reasons"
    assert journal_grid(user=s.director, assignment=s.math_5a, period=journal.q2).mode == "read"
    assert journal_grid(user=s.deputy, assignment=s.math_5a, period=journal.q2).mode == "read"
    assert journal_grid(user=s.admin, assignment=s.math_5a, period=journal.q2).mode == "correct"
    for outsider in (s.teacher2, s.students_5a[0], s.parent, other_school.teacher, other_school.admin):
        with pytest.raises(NotFound):
            journal_grid(user=outsider, assignment=s.math_5a, period=journal.q2)


def test_substitute_sees_the_journal_and_edits_only_their_lesson(journal):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    curriculum.replace_teacher(actor=s.admin, lesson=lesson, substitute=s.teacher2)
    grid = journal_grid(user=s.teacher2, assignment=s.math_5a, period=journal.q2)
    assert grid.mode == "edit"
    assert [column.id for column in grid.lessons if column.editable] == [lesson.pk]


def test_closed_period_and_period_of_another_grade(journal):
    s = journal.s
    close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)
    assert journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q1).locked
    assert not journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2).locked
    half = schools.periods_for_grade(s.year, 10)[0]
    with pytest.raises(NotFound):
        journal_grid(user=s.teacher, assignment=s.math_5a, period=half)


def test_default_period_is_the_current_one(journal):
    grid = journal_grid(user=journal.teacher, assignment=journal.assignment)
    assert grid.period.pk == journal.q2.pk


def _fill(journal) -> None:
    s = journal.s
    for i, lesson in enumerate(lesson for lesson in journal.in_period(journal.q2) if lesson.date <= TODAY):
        for j, student in enumerate(s.students_5a):
            text = ["5", "4/3", "н", "оп 5", ""][(i + j) % 5]
            services.set_cell(actor=s.teacher, lesson=lesson, student=student, text=text)
    period_marks.set_period_mark(
        actor=s.teacher, assignment=s.math_5a, student=s.students_5a[0], period=journal.q2, value="4"
    )


@pytest.mark.parametrize("size", [5, 25])
def test_query_count_is_constant_in_class_size(big_journal, django_assert_max_num_queries, size):
    journal = big_journal(size)
    _fill(journal)
    teacher = journal.s.teacher.__class__.objects.get(pk=journal.s.teacher.pk)  # roles not cached yet
    with django_assert_max_num_queries(10):
        grid = journal_grid(user=teacher, assignment=journal.s.math_5a, period=journal.q2)
    assert len(grid.rows) == size and all(len(row.cells) == len(grid.lessons) for row in grid.rows)


# --- build_grid: the pure half, on hand-made rows (no database) ------------------------------------------


def _source(**changes: Any) -> GridSource:
    period = Period(pk=7, number=2, start=dt.date(2026, 11, 9), end=dt.date(2026, 12, 27))
    lessons = [
        GridLesson(
            id=lid, date=day, number=1, topic=topic, kind_id=None, homework="", homework_due=None, editable=False
        )
        for lid, day, topic in ((11, dt.date(2026, 11, 10), "Дроби"), (12, dt.date(2026, 12, 1), ""))
    ]
    fields: dict[str, Any] = {
        "assignment_id": 3,
        "class_name": "5А",
        "subgroup_name": "",
        "subject_name": "Математика",
        "teacher_name": "Учителева А. А.",
        "grade": 5,
        "pass_fail": False,
        "period": period,
        "periods": [period],
        "locked": False,
        "mode": "edit",
        "thresholds": (Decimal("4.5"), Decimal("3.5"), Decimal("2.5")),
        "norm": 3,
        "students": {
            1: ("Агеев Артём", [(dt.date(2026, 9, 1), None)]),
            2: ("Борисова Вера", [(dt.date(2026, 11, 20), None)]),  # joined after the first lesson
        },
        "lessons": lessons,
        "kinds": [
            GridKind(1, "answer", "Ответ", Decimal(1), True),
            GridKind(2, "test", "Контрольная", Decimal(2), False),
        ],
        "marks": [
            (11, 1, "5", 2, "", False, dt.date(2026, 11, 10), 5, "А", None),
            (12, 1, "3", 1, "устно", True, dt.date(2026, 12, 1), 5, "А", None),
            (99, 2, "4", 1, "", False, dt.date(2026, 11, 12), 5, "Б", "1 группа"),  # before her transfer
        ],
        "attendance": [(12, 2, "н")],
        "period_marks": {1: "5"},
    }
    fields.update(changes)
    return GridSource(**fields)


def test_build_grid_fills_cells_figures_and_marks_from_elsewhere():
    grid = build_grid(_source())
    first, second = grid.rows
    assert [c.text if c else None for c in first.cells] == ["5", "3"]
    late, absent = first.cells[1], second.cells[1]
    assert late is not None and absent is not None
    assert late.is_late and first.average == Decimal("4.33") and first.marks_count == 2
    assert (first.period_mark, first.suggestion, first.is_deviation, first.below_norm) == ("5", "4", True, True)
    assert second.cells[0] is None and absent.text == "н"  # not in the class on the first lesson
    assert second.enrolled_from == dt.date(2026, 11, 20) and second.enrolled_to is None
    assert second.foreign == (ForeignMark(dt.date(2026, 11, 12), "4", 1, "", "5Б, 1 группа"),)
    assert second.average == Decimal("4.00") and second.marks_count == 1
    assert grid.title == "5А · Математика" and grid.lessons_without_topic == 1 and grid.has_foreign


def test_build_grid_lets_a_substitute_write_only_where_the_read_allowed():
    lessons = _source().lessons
    given = [lessons[0], GridLesson(**{**lessons[1].__dict__, "editable": True})]
    grid = build_grid(_source(mode="read", lessons=given))
    assert grid.mode == "edit" and not grid.period_marks_editable
    assert build_grid(_source(mode="read")).mode == "read"
    assert build_grid(_source(mode="correct")).period_marks_editable
