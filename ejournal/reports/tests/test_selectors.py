"""reports.selectors: build_period_data, the pure half of period_data, on hand-made rows (no database).
period_data's reads and query count are covered by the report tests and core/tests/test_query_counts.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ejournal.reports.selectors import Cell, JournalInfo, PeriodRows, Student, build_period_data
from ejournal.schools.models import Period, School

START, END = dt.date(2026, 11, 9), dt.date(2026, 12, 27)


def test_build_period_data_places_students_on_the_day_and_fills_cells():
    school = School(threshold_5=Decimal("4.5"), threshold_4=Decimal("3.5"), threshold_3=Decimal("2.5"))
    rows = PeriodRows(
        school=school,
        period=Period(pk=7, number=2, start=START, end=END),
        day=dt.date(2026, 12, 1),
        classes=[(1, 5, "А"), (2, 5, "Б")],
        enrolments=[
            (10, 1, dt.date(2026, 9, 1), None, "Агеев", "Артём", ""),
            # Вера moved from 5Б to 5А on 20.11: counted in 5А on the day, with her 5Б marks.
            (11, 2, dt.date(2026, 9, 1), dt.date(2026, 11, 19), "Борисова", "Вера", "Ивановна"),
            (11, 1, dt.date(2026, 11, 20), None, "Борисова", "Вера", "Ивановна"),
            (12, 2, dt.date(2026, 9, 1), dt.date(2026, 11, 30), "Волков", "Глеб", ""),  # gone before the day
        ],
        assignments=[
            (100, 1, 50, None, None, 7, "Математика", False, "Учителева", "Анна", "Павловна"),
            (101, 1, 50, None, None, 8, "Математика", False, "Новикова", "Ольга", ""),  # took over the journal
            (102, 1, 60, 3, "1 группа", 8, "Английский", False, "Новикова", "Ольга", ""),
        ],
        members=[(10, 3)],
        marks=[(10, 50, "5", 200, 1), (10, 50, "3", 100, 1), (11, 50, "4", 300, 3), (12, 50, "2", 100, 1)],
        period_marks=[(11, 50, "4"), (10, 60, "5")],
    )
    data = build_period_data(rows)
    assert list(data.students.values()) == [Student(10, "Агеев Артём", 1), Student(11, "Борисова Вера Ивановна", 1)]
    counted = {pk: (info.at_start, info.at_end) for pk, info in data.classes.items()}
    assert counted == {1: (1, 2), 2: (2, 0)}
    assert [j.assignment_id for j in data.journals] == [102, 101]  # by subject name; the latest teacher's
    assert data.journals[1] == JournalInfo(101, 1, 50, None, "", 8) and data.teachers[7] == "Учителева А. П."
    assert data.cell(10, 50) == Cell(period_mark="", suggestion="4", average=Decimal("4.33"), marks=2)
    assert data.cell(11, 50) == Cell(period_mark="4", suggestion="4", average=Decimal("4.00"), marks=3)
    assert (12, 50) not in data.cells  # not counted on the day
    assert data.cell(10, 60).mark == "5" and data.suggested == 1
    ageev, vera = data.students.values()
    assert [j.assignment_id for j in data.own_journals(ageev)] == [102, 101]
    assert [j.assignment_id for j in data.own_journals(vera)] == [101]
    assert data.spans[2][11] == [(dt.date(2026, 9, 1), dt.date(2026, 11, 19))]
