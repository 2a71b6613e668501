"""What a teacher types into a journal cell, and the values the journal keeps.

Pure functions without the database, so the rules are easy to read and to test: a cell holds a list of
marks (5/4 for a dictation) and at most one attendance code; «оп» (late) may stand with marks, an absence
may not.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ejournal.core.errors import ValidationFailed

from .errors import JournalCode

GRADES = ("5", "4", "3", "2", "1")
PASS_FAIL = ("зач", "незач")
MARK_VALUES = GRADES + PASS_FAIL
ATTENDANCE_CODES = ("н", "б", "у", "п", "оп")
ABSENCE_CODES = ("н", "б", "у", "п")
# The class teacher explains an absence later, when a document arrives.
REASON_CODES = ("б", "у", "п")
PERIOD_VALUES = ("5", "4", "3", "2", "1", "н/а", "осв", "зач", "незач")
MAX_MARKS_PER_CELL = 4

# Spelling a teacher may use for the same value.
_ALIASES = {
    "зачёт": "зач",
    "зачет": "зач",
    "незачёт": "незач",
    "незачет": "незач",
    "нз": "незач",
    "на": "н/а",
    "н/а": "н/а",
    "н\\а": "н/а",
    "осв.": "осв",
    "освобождён": "осв",
    "освобожден": "осв",
}

ALLOWED_CELL_TEXT = "5, 4, 3, 2, 1, 5/4, зач, незач, н, б, у, п, оп"
ALLOWED_PERIOD_TEXT = "5, 4, 3, 2, 1, н/а, осв, зач, незач"


@dataclass(frozen=True)
class CellInput:
    """A parsed cell: marks in the order typed, and the attendance code or ""."""

    marks: tuple[str, ...] = ()
    attendance: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.marks and not self.attendance


def _bad_value(message: str) -> ValidationFailed:
    """Every refusal of typed text is one code: the client shows the message and keeps the cell open."""
    return ValidationFailed(message, code=JournalCode.BAD_MARK_VALUE)


def _normal(token: str) -> str:
    token = token.strip().lower()
    return _ALIASES.get(token, token.replace("ё", "е"))


def parse_cell(text: str) -> CellInput:
    """Parse «5», «5/4», «н», «оп 5», «зач»; "" clears the cell. Anything else is refused in Russian."""
    text = (text or "").strip()
    if not text:
        return CellInput()
    if len(text) > 40:
        raise _bad_value(f"Слишком длинная запись. Допустимо: {ALLOWED_CELL_TEXT}.")
    marks: list[str] = []
    attendance = ""
    # «5/4» is the journal's spelling; on a Russian keyboard «5.4», «5,4» or «5 4» come easier.
    for raw in re.split(r"[/\\,.;\s]+", text.lower()):
        if not raw:
            continue
        token = _normal(raw)
        if token in MARK_VALUES:
            marks.append(token)
        elif token in ATTENDANCE_CODES:
            if attendance:
                raise _bad_value(f"«{text}»: в клетке может быть только одна отметка посещаемости.")
            attendance = token
        else:
            raise _bad_value(f"«{raw}» — не отметка и не код посещаемости. Допустимо: {ALLOWED_CELL_TEXT}.")
    if attendance in ABSENCE_CODES and marks:
        raise _bad_value(
            f"«{text}»: отсутствовавшему на уроке отметку не ставят; с отметкой возможно только «оп» (опоздание)."
        )
    if len(marks) > MAX_MARKS_PER_CELL:
        raise _bad_value(f"«{text}»: больше {MAX_MARKS_PER_CELL} отметок за один урок не ставят.")
    return CellInput(marks=tuple(marks), attendance=attendance)


def parse_mark(value: str) -> str:
    """One mark value (5…1, зач, незач)."""
    token = _normal(value or "")
    if token not in MARK_VALUES:
        raise _bad_value(f"«{value}» — не отметка. Допустимо: 5, 4, 3, 2, 1, зач, незач.")
    return token


def parse_attendance(code: str) -> str:
    """An attendance code or "" (present)."""
    token = _normal(code or "")
    if token and token not in ATTENDANCE_CODES:
        raise _bad_value(f"«{code}» — не код посещаемости. Допустимо: н, б, у, п, оп.")
    return token


def parse_period_value(value: str) -> str:
    """A period, year, exam or final mark; "" removes it."""
    token = _normal(value or "")
    if token and token not in PERIOD_VALUES:
        raise _bad_value(f"«{value}» — не отметка за период. Допустимо: {ALLOWED_PERIOD_TEXT}.")
    return token


def cell_text(marks: Iterable[str], attendance: str) -> str:
    """How a cell reads in the grid and in the history: «оп 5/4», «н», «5»."""
    joined = "/".join(marks)
    return f"{attendance} {joined}".strip() if attendance else joined


def cell_version(marks: Sequence[tuple[str, int, str]], attendance: str) -> str:
    """A token of the cell's current content (value, kind and comment of each mark, attendance).

    A page sends back the token it saw; a different token on the server means someone else changed the
    cell meanwhile. A content hash rather than a counter: the grid computes it from rows it reads anyway.
    """
    state = "|".join(f"{v}:{k}:{c}" for v, k, c in marks) + "#" + attendance
    return f"{zlib.crc32(state.encode()):08x}"


def weighted_average(marks: Iterable[tuple[str, Decimal]]) -> Decimal | None:
    """Σ(mark × weight) / Σ weight over marks 1–5, to two decimals; зач/незач do not count."""
    total = Decimal(0)
    weights = Decimal(0)
    for value, weight in marks:
        if value in GRADES:
            total += int(value) * weight
            weights += weight
    if not weights:
        return None
    return (total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def suggest_mark(average: Decimal | None, thresholds: tuple[Decimal, Decimal, Decimal]) -> str:
    """The period mark the school's thresholds give for an average (5 from 4.5, 4 from 3.5, 3 from 2.5)."""
    if average is None:
        return ""
    five, four, three = thresholds
    if average >= five:
        return "5"
    if average >= four:
        return "4"
    if average >= three:
        return "3"
    return "2"
