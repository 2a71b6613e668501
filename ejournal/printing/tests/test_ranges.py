"""printing.books.class_book with dates instead of a period, and the сводная ведомость alone."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.core.errors import ValidationFailed
from ejournal.journal import periods
from ejournal.journal.period_marks import set_period_mark
from ejournal.printing.books import class_book

from .conftest import TOPICS, Printed, pdf_pages


def _range(printed: Printed) -> tuple[dt.date, dt.date]:
    q1_math = printed.j.in_period(printed.j.q1)
    return q1_math[0].date, q1_math[2].date


def test_a_date_range_prints_its_lessons_numbered_without_the_summary(printed: Printed) -> None:
    j = printed.j
    start, end = _range(printed)
    pages = pdf_pages(class_book(actor=j.s.admin, class_group=j.s.class_5a, start=start, end=end))
    text = " ".join(pages)
    assert all(student.last_name in text for student in j.students)
    assert all(f" {mark} " in text for mark in printed.marks)
    assert all(topic in text for topic in TOPICS)
    assert f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}" in pages[0]
    total = len(pages)
    assert all(f"Страница {n} из {total}" in page for n, page in enumerate(pages, start=1))
    assert f"скреплено печатью {total} страниц" in pages[-1]
    # Period marks belong to periods: a range has no сводная ведомость, only the absences of its days.
    assert "Сводная ведомость" not in text and "Пропуски уроков" in text
    # Only the range's lessons: the fourth math lesson of the quarter is after it.
    fourth = j.in_period(j.q1)[3]
    assert f"{fourth.date:%d.%m.%Y}" not in text


def test_a_range_is_a_draft_until_every_period_it_touches_is_closed(printed: Printed) -> None:
    j = printed.j
    start, end = _range(printed)
    across = (start, j.q2.start + dt.timedelta(days=3))
    assert "ЧЕРНОВИК" in pdf_pages(class_book(actor=j.s.admin, class_group=j.s.class_5a, start=start, end=end))[0]
    periods.close_period(actor=j.s.admin, period=j.q1, class_group=j.s.class_5a)
    final = pdf_pages(class_book(actor=j.s.admin, class_group=j.s.class_5a, start=start, end=end))
    assert not any("ЧЕРНОВИК" in page for page in final)
    # Into the second quarter, still open: a draft again.
    book = class_book(actor=j.s.admin, class_group=j.s.class_5a, start=across[0], end=across[1])
    assert "ЧЕРНОВИК" in pdf_pages(book)[0]


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.date(2027, 3, 1), dt.date(2027, 2, 1)), (dt.date(2026, 8, 1), dt.date(2026, 9, 10))],
)
def test_a_range_backwards_or_outside_the_year_is_refused_in_russian(
    printed: Printed, start: dt.date, end: dt.date
) -> None:
    with pytest.raises(ValidationFailed, match="Даты печати должны идти по порядку"):
        class_book(actor=printed.j.s.admin, class_group=printed.j.s.class_5a, start=start, end=end)


def test_a_range_without_lessons_is_a_clear_message(printed: Printed) -> None:
    j = printed.j
    holidays = j.q1.end + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match=f"В классе 5А нет уроков с {holidays:%d.%m.%Y}"):
        class_book(actor=j.s.admin, class_group=j.s.class_5a, start=holidays, end=holidays)


def test_period_and_dates_together_or_neither_are_refused(printed: Printed) -> None:
    j = printed.j
    start, end = _range(printed)
    for extra in ({}, {"period": j.q1, "start": start, "end": end}):
        with pytest.raises(ValidationFailed, match="Укажите период или даты"):
            class_book(actor=j.s.admin, class_group=j.s.class_5a, **extra)  # type: ignore[arg-type]


def test_the_summary_alone(printed: Printed) -> None:
    j = printed.j
    set_period_mark(actor=j.teacher, assignment=j.assignment, student=j.students[0], value="5", period=j.q1)
    pages = pdf_pages(class_book(actor=j.s.admin, class_group=j.s.class_5a, period=j.q1, part="summary"))
    text = " ".join(pages)
    assert "Сводная ведомость отметок · 5А класс" in pages[0] and "Математика" in text and "Русский язык" in text
    assert all(student.last_name in text for student in j.students)
    assert f"{j.students[0].last_name} {j.students[0].first_name}" in text and "5 / —" in text
    assert not any(topic in text for topic in TOPICS) and "скреплено печатью" not in text
    assert all(f"Страница {n} из {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "ЧЕРНОВИК" in pages[0] and "Классный руководитель: Классова Клара" in text


def test_the_summary_is_per_period_and_the_parts_are_known(printed: Printed) -> None:
    j = printed.j
    start, end = _range(printed)
    with pytest.raises(ValidationFailed, match="за период, не за даты"):
        class_book(actor=j.s.admin, class_group=j.s.class_5a, start=start, end=end, part="summary")
    with pytest.raises(ValidationFailed, match="Неизвестная часть журнала"):
        class_book(actor=j.s.admin, class_group=j.s.class_5a, period=j.q1, part="cover")
