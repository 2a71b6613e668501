"""The figures of school quality reports (docs/domain.md), as pure functions over plain data.

N = students of the group minus the exempt minus those with no marks.
- успеваемость, % = (n5 + n4 + n3) × 100 / N;
- качество знаний, % = (n5 + n4) × 100 / N;
- СОУ, % = (n5·100 + n4·64 + n3·36 + n2·16 + n_н/а·7) / N;
- средний балл = the mean of the marks counted (1–5).

For one subject each student has one mark. For a class, a parallel or the school a student is counted
by their worst mark across subjects: «н/а» is worse than «2», which is worse than «3», and so on.
When N is 0 (no marks at all, everyone exempt, an empty school) every percentage is None: the report
says «нет отметок» instead of dividing by zero.

The mark counted for a student in a subject is the period mark the teacher set; while it is not set,
the mark the journal suggests from the weighted average stands for it (journal.values.weighted_average and
suggest_mark, applied in reports.selectors: one computation for the grid and the reports).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

NA = "н/а"
EXEMPT = "осв"
# Worst first: the order in which a student's marks decide where they are counted.
WORST_FIRST = (NA, "2", "3", "4", "5")
SOU_WEIGHTS = {"5": 100, "4": 64, "3": 36, "2": 16, NA: 7}
NO_MARKS_TEXT = "нет отметок"
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


def bucket(mark: str) -> str:
    """Where a period mark is counted: «5»…«2» («1» and «незач» with «2»), «н/а», «осв», or "" (nothing
    to count: no mark, or «зач», which passes but says nothing of quality)."""
    if mark in ("5", "4", "3", "2", NA, EXEMPT):
        return mark
    if mark in ("1", "незач"):
        return "2"
    return ""


def counted_mark(period_mark: str, suggestion: str) -> str:
    """The period mark set by the teacher; while there is none, the one suggested from the marks."""
    return period_mark or suggestion


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Standing:
    """Where one student is counted in a group: by their worst mark, with the marks behind it."""

    worst: str  # «5», «4», «3», «2», «н/а», «осв» (exempt from everything) or "" (no marks)
    fours: int = 0
    threes: int = 0
    # Subjects (by the caller's key) with «2» or «н/а»: what makes the student неуспевающий.
    failing: tuple[str, ...] = ()

    @property
    def one_four(self) -> bool:
        return self.worst == "4" and self.fours == 1

    @property
    def one_three(self) -> bool:
        return self.worst == "3" and self.threes == 1


def standing(marks: Iterable[tuple[str, str]]) -> Standing:
    """A student's standing from (subject, period mark) pairs."""
    buckets = [(subject, bucket(mark)) for subject, mark in marks]
    counted = [(subject, b) for subject, b in buckets if b]
    if not counted:
        return Standing("")
    graded = [(subject, b) for subject, b in counted if b != EXEMPT]
    if not graded:
        return Standing(EXEMPT)
    worst = min((b for _, b in graded), key=WORST_FIRST.index)
    tally = Counter(b for _, b in graded)
    failing = tuple(subject for subject, b in graded if b in ("2", NA))
    return Standing(worst, fours=tally["4"], threes=tally["3"], failing=failing)


@dataclass(frozen=True)
class Counts:
    """How many students of a group stand where, and the sum and number of marks for the mean.

    Counts of groups add up (`a + b`): a parallel is the sum of its classes, the school of its classes.
    """

    n5: int = 0
    n4: int = 0
    n3: int = 0
    n2: int = 0
    n_na: int = 0
    exempt: int = 0
    no_marks: int = 0
    one_four: int = 0
    one_three: int = 0
    marks_sum: int = 0
    marks_count: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, name) + getattr(other, name) for name in _COUNT_NAMES))

    @property
    def students(self) -> int:
        return self.n5 + self.n4 + self.n3 + self.n2 + self.n_na + self.exempt + self.no_marks

    @property
    def counted(self) -> int:
        """N: students minus the exempt minus those with no marks."""
        return self.n5 + self.n4 + self.n3 + self.n2 + self.n_na

    @property
    def failing(self) -> int:
        """Неуспевающие: a «2» or «н/а»."""
        return self.n2 + self.n_na

    @property
    def success(self) -> Decimal | None:
        return percent(self.n5 + self.n4 + self.n3, self.counted)

    @property
    def quality(self) -> Decimal | None:
        return percent(self.n5 + self.n4, self.counted)

    @property
    def sou(self) -> Decimal | None:
        if not self.counted:
            return None
        points = sum(getattr(self, _FIELD_OF[mark]) * weight for mark, weight in SOU_WEIGHTS.items())
        return (Decimal(points) / self.counted).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    @property
    def average(self) -> Decimal | None:
        """Средний балл: the mean of the marks 1–5 counted."""
        if not self.marks_count:
            return None
        return (Decimal(self.marks_sum) / self.marks_count).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


_COUNT_NAMES = tuple(f.name for f in fields(Counts))
_FIELD_OF = {"5": "n5", "4": "n4", "3": "n3", "2": "n2", NA: "n_na", EXEMPT: "exempt", "": "no_marks"}


def _marks_total(marks: Iterable[str]) -> tuple[int, int]:
    numbers = [int(m) for m in marks if m in ("5", "4", "3", "2", "1")]
    return sum(numbers), len(numbers)


def subject_counts(marks: Iterable[str]) -> Counts:
    """A subject of a class (or subgroup): one counted mark per student, "" for a student with none."""
    marks = list(marks)
    tally = Counter(_FIELD_OF[bucket(m)] for m in marks)
    total, count = _marks_total(marks)
    return Counts(**tally, marks_sum=total, marks_count=count)


def group_counts(students: Iterable[Iterable[tuple[str, str]]]) -> Counts:
    """A class (or any group of students): each student given as (subject, counted mark) pairs, counted by
    their worst mark; the mean over every mark of every student."""
    tally: Counter[str] = Counter()
    total = count = 0
    for marks in students:
        marks = list(marks)
        place = standing(marks)
        tally[_FIELD_OF[place.worst]] += 1
        tally["one_four"] += place.one_four
        tally["one_three"] += place.one_three
        s, c = _marks_total(m for _, m in marks)
        total, count = total + s, count + c
    return Counts(**tally, marks_sum=total, marks_count=count)


def change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change of a percentage against the previous period, in points; None when either is missing."""
    if now is None or before is None:
        return None
    return now - before
