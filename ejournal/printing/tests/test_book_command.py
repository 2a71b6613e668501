"""`ejournal book`: the class book from the operator's console."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ejournal.conftest import SmallSchool

from .conftest import TOPICS, Printed, pdf_pages


def test_writes_the_book(printed: Printed, tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    call_command("book", "--class", "5а", "--period", "1", "--out", str(out))
    text = " ".join(pdf_pages(out.read_bytes()))
    assert all(student.last_name in text for student in printed.j.students)
    assert all(topic in text for topic in TOPICS) and "Русский язык" in text


def test_one_subject(printed: Printed, tmp_path: Path) -> None:
    out = tmp_path / "math.pdf"
    call_command("book", "--class", "5А", "--period", "1", "--subject", "математика", "--out", str(out))
    text = " ".join(pdf_pages(out.read_bytes()))
    assert "Математика" in text and "Русский язык" not in text


def test_refusals_in_russian(printed: Printed, other_school: SmallSchool, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="Школ несколько"):
        call_command("book", "--class", "5А", "--period", "1", "--out", out)
    school = str(printed.j.s.school.pk)
    with pytest.raises(CommandError, match="Класса 7В"):
        call_command("book", "--class", "7В", "--period", "1", "--out", out, "--school", school)
    with pytest.raises(CommandError, match="нет периода № 3"):
        call_command("book", "--class", "10А", "--period", "3", "--out", out, "--school", school)
    with pytest.raises(CommandError, match="нет уроков"):
        call_command("book", "--class", "10А", "--period", "1", "--out", out, "--school", school)
    assert not Path(out).exists()


def test_dates_and_the_summary(printed: Printed, tmp_path: Path) -> None:
    lessons = printed.j.in_period(printed.j.q1)
    out = tmp_path / "range.pdf"
    dates = ["--from", f"{lessons[0].date}", "--to", f"{lessons[1].date}"]
    call_command("book", "--class", "5А", *dates, "--out", str(out))
    text = " ".join(pdf_pages(out.read_bytes()))
    assert TOPICS[0] in text and TOPICS[1] in text and TOPICS[2] not in text
    call_command("book", "--class", "5А", "--period", "1", "--summary", "--out", str(out))
    assert "Сводная ведомость отметок" in pdf_pages(out.read_bytes())[0]
    with pytest.raises(CommandError, match="Укажите период или даты"):
        call_command("book", "--class", "5А", "--out", str(out))
    with pytest.raises(CommandError, match="Неверная дата"):
        call_command("book", "--class", "5А", "--from", "1 сентября", "--to", "2026-09-30", "--out", str(out))
