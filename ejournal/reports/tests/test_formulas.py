"""The formulas against tables computed by hand (docs/domain.md): exempt students, «н/а», students with no marks,
a class where everyone is exempt, an empty school — never a division by zero."""

from decimal import Decimal

from ejournal.reports import formulas
from ejournal.reports.formulas import Counts, group_counts, standing, subject_counts


def test_subject_counts_by_hand():
    # 8 students: 5 5 4 3 2 н/а осв and one without marks → N = 8 − 1 exempt − 1 without marks = 6.
    c = subject_counts(["5", "5", "4", "3", "2", "н/а", "осв", ""])
    assert (c.n5, c.n4, c.n3, c.n2, c.n_na, c.exempt, c.no_marks) == (2, 1, 1, 1, 1, 1, 1)
    assert c.students == 8 and c.counted == 6 and c.failing == 2
    assert c.success == Decimal("66.7")  # (2 + 1 + 1) × 100 / 6
    assert c.quality == Decimal("50.0")  # (2 + 1) × 100 / 6
    assert c.sou == Decimal("53.8")  # (200 + 64 + 36 + 16 + 7) / 6 = 53.83
    assert c.average == Decimal("3.80")  # (5 + 5 + 4 + 3 + 2) / 5


def test_one_and_fail_count_with_two_and_pass_counts_nowhere():
    c = subject_counts(["1", "незач", "зач"])
    assert (c.n2, c.no_marks, c.counted) == (2, 1, 2)
    assert c.success == Decimal("0.0") and c.sou == Decimal("16.0")
    assert c.average == Decimal("1.00")  # only «1» is a number


CLASS = [
    [("Мат", "5"), ("Рус", "5")],  # A отличник
    [("Мат", "5"), ("Рус", "4")],  # B хорошист, one «4»
    [("Мат", "4"), ("Рус", "4"), ("Физ", "3")],  # C with one «3»
    [("Мат", "3"), ("Рус", "3")],  # D with «3»
    [("Мат", "2"), ("Рус", "5")],  # E with «2»
    [("Мат", "н/а"), ("Рус", "2")],  # F н/а (worse than «2»)
    [("Мат", "осв"), ("Рус", "осв")],  # G exempt from everything
    [("Мат", ""), ("Рус", "")],  # H no marks
    [("Мат", "осв"), ("Рус", "4")],  # I exempt from one subject: counted by the other, one «4»
    [("Мат", "зач"), ("Рус", "")],  # J a pass only: nothing to count
    [("Мат", "незач"), ("Рус", "5")],  # K a fail counts as «2»
]


def test_class_counts_students_by_their_worst_mark():
    c = group_counts(CLASS)
    assert (c.n5, c.n4, c.n3, c.n2, c.n_na, c.exempt, c.no_marks) == (1, 2, 2, 2, 1, 1, 2)
    assert (c.one_four, c.one_three) == (2, 1)
    assert c.students == 11 and c.counted == 8 and c.failing == 3
    assert c.success == Decimal("62.5")  # (1 + 2 + 2) / 8
    assert c.quality == Decimal("37.5")  # (1 + 2) / 8
    assert c.sou == Decimal("42.4")  # (100 + 2·64 + 2·36 + 2·16 + 7) / 8 = 42.375
    assert c.average == Decimal("3.86")  # 54 / 14 marks 1–5


def test_standing_names_the_failing_subjects():
    assert standing(CLASS[5]).failing == ("Мат", "Рус")
    assert standing(CLASS[5]).worst == formulas.NA
    assert standing(CLASS[1]).one_four and not standing(CLASS[0]).one_four
    assert standing(CLASS[2]).one_three and not standing(CLASS[3]).one_three
    assert standing(CLASS[6]).worst == formulas.EXEMPT
    assert standing(CLASS[7]).worst == ""


def test_everyone_exempt_divides_by_nothing():
    c = group_counts([[("Физкультура", "осв")], [("Физкультура", "осв")]])
    assert c.exempt == 2 and c.counted == 0
    assert (c.success, c.quality, c.sou, c.average) == (None, None, None, None)
    assert subject_counts(["осв", "осв"]).quality is None


def test_an_empty_school_has_no_figures():
    for c in (group_counts([]), subject_counts([]), Counts()):
        assert c.students == 0
        assert (c.success, c.quality, c.sou, c.average) == (None, None, None, None)


def test_counts_add_up_like_the_whole():
    a, b = group_counts(CLASS[:5]), group_counts(CLASS[5:])
    assert a + b == group_counts(CLASS)


def test_counted_mark_prefers_the_teachers_and_change_needs_both():
    assert formulas.counted_mark("4", "5") == "4"
    assert formulas.counted_mark("", "5") == "5"
    assert formulas.change(Decimal("50.0"), Decimal("62.5")) == Decimal("-12.5")
    assert formulas.change(None, Decimal("1")) is None
