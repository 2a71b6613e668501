"""The grid's HTML builder: structure the page script relies on, escaping, labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

from ejournal.journal import lessons, services
from ejournal.journal.grid_html import EMPTY_VERSION, decimal_ru, period_label, render_grid_table
from ejournal.journal.selectors import EMPTY_CELL, journal_grid
from ejournal.schools import services as schools

MONDAY = dt.date(2026, 12, 21)


class Shape(HTMLParser):
    """Counts rows and cells and checks that every opened tag is closed."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.rows: list[int] = []
        self.body = False

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "tbody":
            self.body = True
        if self.body and tag == "tr":
            self.rows.append(0)
        if self.body and tag in ("td", "th") and self.rows:
            self.rows[-1] += 1

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()


def test_every_row_has_name_cells_and_four_figures(journal):
    s = journal.s
    schools.withdraw(actor=s.admin, student=s.students_5a[4], last_day=dt.date(2026, 12, 1), reason="переезд")
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=s.students_5a[0], text="оп 5/4")
    grid = journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2)
    html = render_grid_table(grid)
    shape = Shape()
    shape.feed(html)
    assert shape.stack == []
    assert shape.rows == [1 + len(grid.lessons) + 4] * len(grid.rows)
    assert html.count('class="x"') == sum(1 for c in grid.rows[-1].cells if c is None) > 0
    assert ">оп 5/4</td>" in html
    assert html.count("<td></td>") == sum(1 for row in grid.rows for c in row.cells if c is EMPTY_CELL)


def test_user_text_is_escaped(journal):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    lessons.set_topic(actor=s.teacher, lesson=lesson, topic='"><script>alert(1)</script>')
    services.set_marks(actor=s.teacher, lesson=lesson, student=s.students_5a[0], values=["5"], comment="<img src=x>")
    html = render_grid_table(journal_grid(user=s.teacher, assignment=s.math_5a, period=journal.q2))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x&gt;" in html


def test_labels():
    assert decimal_ru(Decimal("4.5")) == "4,50" and decimal_ru(None) == ""
    assert EMPTY_CELL.version == EMPTY_VERSION


def test_period_labels(journal):
    s = journal.s
    assert period_label(journal.q2) == "II ч."
    half = schools.periods_for_grade(s.year, 10)[0]
    assert period_label(half) == "I п/г"
