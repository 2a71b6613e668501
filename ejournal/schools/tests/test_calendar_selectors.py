"""The visual calendar and the choice of the year: pure functions over the year's data."""

import datetime as dt

from ejournal.schools.models import AcademicYear
from ejournal.schools.selectors import calendar_page, default_year, month_grids, next_year_spec

d = dt.date


def cell(page, day):
    for month in page.months:
        for week in month.weeks:
            for c in week:
                if c is not None and c.date == day:
                    return c
    raise AssertionError(day)


def test_year_has_nine_month_grids_from_monday(small_school):
    page = calendar_page(year=small_school.year, grade=5)
    assert [m.title for m in page.months] == [
        "Сентябрь 2026",
        "Октябрь 2026",
        "Ноябрь 2026",
        "Декабрь 2026",
        "Январь 2027",
        "Февраль 2027",
        "Март 2027",
        "Апрель 2027",
        "Май 2027",
    ]
    september = page.months[0].weeks
    # 1 September 2026 is a Tuesday: Monday's cell of the first week is blank.
    first_day = september[0][1]
    assert september[0][0] is None and first_day is not None and first_day.date == d(2026, 9, 1)
    assert all(len(week) == 7 for m in page.months for week in m.weeks)


def test_days_are_coloured_by_kind(small_school):
    page = calendar_page(year=small_school.year, grade=5)
    assert cell(page, d(2026, 10, 27)).css == "day-holiday"
    assert cell(page, d(2026, 11, 4)).css == "day-public"
    assert cell(page, d(2026, 11, 4)).title == "День народного единства"
    assert cell(page, d(2026, 12, 31)).kind == "vacation"
    assert cell(page, d(2026, 11, 30)).kind == "study"
    assert cell(page, d(2026, 11, 29)).kind == "sunday"
    assert cell(page, d(2027, 5, 26)).kind == "study"


def test_grade_one_has_the_february_week(small_school):
    year = small_school.year
    assert cell(calendar_page(year=year, grade=1), d(2027, 2, 16)).kind == "vacation"
    assert cell(calendar_page(year=year, grade=2), d(2027, 2, 16)).kind == "study"


def test_days_outside_periods_are_marked(small_school):
    year = small_school.year
    # 10–11 study in half-years: 31.12–11.01 are vacation, and without periods the year is all "outside".
    year.schemes.filter(grade_from=10).delete()
    page = calendar_page(year=year, grade=10)
    assert cell(page, d(2026, 12, 1)).kind == "outside"
    assert page.grade_periods == []


def test_school_days_per_period(small_school):
    page = calendar_page(year=small_school.year, grade=5)
    first = page.grade_periods[0]
    # 01.09–24.10.2026: eight weeks from Tuesday to Saturday.
    assert (first.period.number, first.five_day, first.six_day) == (1, 39, 47)


def test_default_year_is_the_one_containing_today_then_the_coming_one():
    a = AcademicYear(name="2025/2026", start=d(2025, 9, 1), end=d(2026, 5, 26))
    b = AcademicYear(name="2026/2027", start=d(2026, 9, 1), end=d(2027, 5, 26))
    assert default_year([b, a], d(2026, 3, 1)) == a
    assert default_year([b, a], d(2026, 7, 1)) == b
    assert default_year([b, a], d(2027, 7, 1)) == b
    assert default_year([], d(2027, 7, 1)) is None
    assert next_year_spec([a, b], d(2026, 11, 1)).name == "2027/2028"
    assert next_year_spec([], d(2026, 11, 1)).name == "2026/2027"


def test_month_grid_of_a_year_ending_in_june_has_ten_months():
    grids = month_grids(d(2026, 9, 1), d(2027, 6, 15), 5, [], [])
    assert len(grids) == 10
    june = [c for week in grids[-1].weeks for c in week if c is not None]
    assert [c.title for c in june if c.date == d(2027, 6, 20)] == ["вне учебного года"]
    assert [c.title for c in june if c.date == d(2027, 6, 15)] == ["вне учебных периодов"]
