"""The journal's small school (ejournal/journal/tests/conftest.py) with a filled first quarter to print."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from ejournal.conftest import SmallSchool
from ejournal.journal import lessons as lesson_writes
from ejournal.journal import services
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock

TOPICS = ["Натуральные числа", "Сложение <и> вычитание #set", "Умножение"]
# (student index, index of the Q1 math lesson, marks of the cell, attendance code)
CELLS = [(0, 0, ["5", "4"], ""), (1, 0, ["3"], ""), (2, 1, [], "б"), (3, 2, ["2"], ""), (4, 2, [], "н")]


@dataclass
class Printed:
    j: Journal
    marks: list[str]


@pytest.fixture
def printed(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> Printed:
    set_clock(monkeypatch, TODAY)
    j = build_journal(small_school)
    q1_math = j.in_period(j.q1)
    for lesson, topic in zip(q1_math, TOPICS, strict=False):
        lesson_writes.set_topic(actor=j.teacher, lesson=lesson, topic=topic)
    lesson_writes.set_homework(actor=j.teacher, lesson=q1_math[0], text="№ 15, 16 на стр. 7")
    for student_index, lesson_index, marks, code in CELLS:
        services.set_cell_content(
            actor=j.teacher,
            lesson=q1_math[lesson_index],
            student=j.students[student_index],
            marks=marks,
            attendance=code,
        )
    return Printed(j=j, marks=["5/4", "3", "2"])


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (typst may break a cell's words over lines)."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages]
