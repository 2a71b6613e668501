from decimal import Decimal

import pytest

from ejournal.core.errors import ValidationFailed
from ejournal.journal.values import (
    CellInput,
    cell_text,
    cell_version,
    parse_cell,
    parse_period_value,
    suggest_mark,
    weighted_average,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", CellInput(("5",), "")),
        (" 4 ", CellInput(("4",), "")),
        ("5/4", CellInput(("5", "4"), "")),
        ("5 / 4 / 3", CellInput(("5", "4", "3"), "")),
        ("5.4", CellInput(("5", "4"), "")),
        ("5,4", CellInput(("5", "4"), "")),
        ("5 4", CellInput(("5", "4"), "")),
        ("н", CellInput((), "н")),
        ("Н", CellInput((), "н")),
        ("б", CellInput((), "б")),
        ("у", CellInput((), "у")),
        ("п", CellInput((), "п")),
        ("оп", CellInput((), "оп")),
        ("оп 5", CellInput(("5",), "оп")),
        ("5/оп", CellInput(("5",), "оп")),
        ("зач", CellInput(("зач",), "")),
        ("зачёт", CellInput(("зач",), "")),
        ("незач", CellInput(("незач",), "")),
        ("", CellInput()),
        ("   ", CellInput()),
    ],
)
def test_cell_input_is_parsed(text, expected):
    assert parse_cell(text) == expected


@pytest.mark.parametrize("text", ["7", "ы", "0", "6", "5+", "4-", "n", "5/7", "абв", "5//ы"])
def test_wrong_cell_input_is_refused_in_russian(text):
    with pytest.raises(ValidationFailed) as caught:
        parse_cell(text)
    assert "Допустимо" in caught.value.message


def test_absence_with_a_mark_is_refused_but_late_with_a_mark_is_fine():
    with pytest.raises(ValidationFailed, match="отсутствовавшему"):
        parse_cell("н 5")
    assert parse_cell("оп 4").marks == ("4",)


def test_two_attendance_codes_and_too_many_marks_are_refused():
    with pytest.raises(ValidationFailed, match="только одна"):
        parse_cell("н б")
    with pytest.raises(ValidationFailed, match="больше 4"):
        parse_cell("5/5/5/5/5")


def test_cell_text_puts_attendance_first():
    assert cell_text(["5", "4"], "") == "5/4"
    assert cell_text(["5"], "оп") == "оп 5"
    assert cell_text([], "н") == "н"
    assert cell_text([], "") == ""


def test_version_changes_with_value_kind_comment_and_attendance():
    base = cell_version([("5", 1, "")], "")
    assert base == cell_version([("5", 1, "")], "")
    assert base != cell_version([("4", 1, "")], "")
    assert base != cell_version([("5", 2, "")], "")
    assert base != cell_version([("5", 1, "устно")], "")
    assert base != cell_version([("5", 1, "")], "оп")
    assert cell_version([], "") != cell_version([], "н")


def test_weighted_average_to_two_decimals_ignores_pass_fail():
    marks = [("5", Decimal(1)), ("3", Decimal(2)), ("зач", Decimal(1))]
    assert weighted_average(marks) == Decimal("3.67")
    assert weighted_average([("незач", Decimal(1))]) is None
    assert weighted_average([]) is None


@pytest.mark.parametrize(
    ("average", "expected"),
    [("4.50", "5"), ("4.49", "4"), ("3.50", "4"), ("3.49", "3"), ("2.50", "3"), ("2.49", "2"), ("1.00", "2")],
)
def test_suggestion_by_default_thresholds(average, expected):
    assert suggest_mark(Decimal(average), (Decimal("4.5"), Decimal("3.5"), Decimal("2.5"))) == expected


def test_suggestion_by_stricter_thresholds_and_none_without_marks():
    strict = (Decimal("4.65"), Decimal("3.65"), Decimal("2.65"))
    assert suggest_mark(Decimal("4.6"), strict) == "4"
    assert suggest_mark(None, strict) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", "5"), ("н/а", "н/а"), ("на", "н/а"), ("осв", "осв"), ("осв.", "осв"), ("зачёт", "зач"), ("", "")],
)
def test_period_values(text, expected):
    assert parse_period_value(text) == expected


@pytest.mark.parametrize("text", ["7", "ы", "н", "5/4"])
def test_wrong_period_values_are_refused(text):
    with pytest.raises(ValidationFailed):
        parse_period_value(text)
