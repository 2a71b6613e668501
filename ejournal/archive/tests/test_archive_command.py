"""`ejournal archive --period N --to DIR`: the code from a file or typed twice, never from the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ejournal.archive.iso import verify_iso
from ejournal.archive.management.commands import archive as command
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.period_archive import verify_container
from ejournal.conftest import build_small_school
from ejournal.journal import services
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock

CODE = "Код-из-файла-42"


@pytest.fixture
def marked(db: None, monkeypatch: pytest.MonkeyPatch) -> Journal:
    set_clock(monkeypatch, TODAY)
    j = build_journal(build_small_school())
    lesson = j.in_period(j.q1)[0]
    services.set_cell_content(actor=j.teacher, lesson=lesson, student=j.students[0], marks=["5"], attendance="")
    return j


def test_the_code_from_a_file_makes_a_verified_archive_and_prints_its_checksum(marked: Journal, tmp_path: Path) -> None:
    code_file = tmp_path / "code.txt"
    code_file.write_text(CODE + "\n", encoding="utf-8")
    out = io.StringIO()
    to = tmp_path / "disk"
    to.mkdir()
    call_command("archive", period=marked.q1.pk, to=str(to), code_file=str(code_file), stdout=out)
    path, checksum = out.getvalue().splitlines()[:2]
    assert Path(path).parent == to and checksum.startswith("SHA-256 ")
    assert "отметок: 1" in out.getvalue()
    # The console prints the books too (class_book with no person: the operator's console).
    assert "5А/журнал.pdf" in verify_container(Path(path), code=CODE)
    entry = BackupLogEntry.objects.get()
    assert (entry.status, entry.actor_id, entry.sha256) == (LogStatus.DONE, None, checksum.split()[1])


def test_the_code_typed_twice_at_the_terminal(marked: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command.sys, "stdin", type("Tty", (), {"isatty": staticmethod(lambda: True)})())
    typed = iter([CODE, CODE + "!"])
    monkeypatch.setattr(command.getpass, "getpass", lambda prompt: next(typed))
    with pytest.raises(CommandError, match="не совпадают"):
        call_command("archive", period=marked.q1.pk, to=str(tmp_path), stdout=io.StringIO())
    typed = iter([CODE, CODE])
    call_command("archive", period=marked.q1.pk, to=str(tmp_path), stdout=io.StringIO())
    assert len(list(tmp_path.glob("*.7z"))) == 1


def test_no_code_on_the_command_line_nor_from_a_pipe(
    marked: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CommandError):
        call_command("archive", "--code", CODE, period=marked.q1.pk, to=str(tmp_path))
    monkeypatch.setattr(command.sys, "stdin", io.StringIO(CODE))
    with pytest.raises(CommandError, match="--code-file"):
        call_command("archive", period=marked.q1.pk, to=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_a_wrong_school_period_or_directory_is_refused_in_russian(marked: Journal, tmp_path: Path) -> None:
    other = build_small_school(name="Школа №2", students_per_class=1)
    code_file = tmp_path / "code.txt"
    code_file.write_text(CODE, encoding="utf-8")
    with pytest.raises(CommandError, match="не найден в этой школе"):
        call_command("archive", period=marked.q1.pk, to=str(tmp_path), school=other.school.pk, code_file=str(code_file))
    with pytest.raises(CommandError, match="Учебный период 999999 не найден"):
        call_command("archive", period=999999, to=str(tmp_path), code_file=str(code_file))
    with pytest.raises(CommandError, match="Папки"):
        call_command("archive", period=marked.q1.pk, to=str(tmp_path / "нет"), code_file=str(code_file))
    code_file.write_text("short", encoding="utf-8")
    with pytest.raises(CommandError, match="не короче"):
        call_command("archive", period=marked.q1.pk, to=str(tmp_path), code_file=str(code_file))
    assert not BackupLogEntry.objects.exists()


def test_the_periods_are_listed_with_their_ids(marked: Journal) -> None:
    out = io.StringIO()
    call_command("archive", "--list", school=marked.s.school.pk, stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{marked.q1.pk}\tШкола №1\t2026/2027\t1 четверть\t1–9 кл.\t01.09.2026–24.10.2026" in lines
    with pytest.raises(CommandError, match="--list"):
        call_command("archive", to="/tmp")


def test_with_iso_the_archive_gets_its_image_beside_it(marked: Journal, tmp_path: Path) -> None:
    code_file = tmp_path / "code.txt"
    code_file.write_text(CODE, encoding="utf-8")
    to = tmp_path / "disk"
    to.mkdir()
    out = io.StringIO()

    call_command("archive", period=marked.q1.pk, to=str(to), code_file=str(code_file), iso=True, stdout=out)

    archive_path = Path(out.getvalue().splitlines()[0])
    image = next(to.glob("*.iso"))
    assert image.name == archive_path.name.removesuffix(".7z") + ".iso"
    assert f"Образ ISO для записи на диск: {image}" in out.getvalue()
    assert verify_iso(image)[archive_path.name] == out.getvalue().splitlines()[1].split()[1]
    entry = BackupLogEntry.objects.get(kind=LogKind.ISO)
    assert entry.details["of"] == "archive" and entry.school_id == marked.s.school.pk
