"""The period archive: opened with Debian's stock 7-Zip (`7zz`) and the director's code, checked against its
manifest; a wrong code, a damaged file, a missing directory and an interruption leave no archive behind."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal.archive import period_archive
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.period_archive import build_period_archive, check_code, read_period_archive, verify_container
from ejournal.conftest import build_small_school
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.journal import period_marks, services
from ejournal.journal.counting import marks_that_count
from ejournal.journal.services import MarkInput
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock
from ejournal.schools import services as schools
from ejournal.schools.models import Period

CODE = "Дир-код 2026!"
# Debian's stock 7-Zip, installed by `make sevenzip` (test-sqlite, test-postgres): missing, the tests fail rather
# than skip, since opening the archive with it is what "done" means for the period archive.
SEVEN_ZIP = shutil.which("7zz") or shutil.which("7z") or "7zz"


@pytest.fixture
def marked(db: None, monkeypatch: pytest.MonkeyPatch) -> Journal:
    """5А with math marks of three kinds, absences and first-quarter marks."""
    set_clock(monkeypatch, TODAY)
    j = build_journal(build_small_school())
    s = j.s
    lessons = j.in_period(j.q1)
    a, b, c = j.students[:3]
    services.set_cell_content(actor=s.teacher, lesson=lessons[0], student=a, marks=["5"], attendance="")
    services.set_cell_content(actor=s.teacher, lesson=lessons[0], student=b, marks=["4"], attendance="")
    services.set_cell_content(
        actor=s.teacher, lesson=lessons[1], student=a, marks=[MarkInput("3", j.kinds["test"])], attendance=""
    )
    services.set_cell_content(actor=s.teacher, lesson=lessons[1], student=c, marks=[], attendance="н")
    services.set_cell_content(actor=s.teacher, lesson=lessons[2], student=b, marks=["5", "4"], attendance="")
    period_marks.set_period_mark(actor=s.teacher, assignment=s.math_5a, student=a, period=j.q1, value="4")
    return j


def _archive(j: Journal, to: Path) -> period_archive.ArchiveResult:
    return build_period_archive(actor=j.s.director, school=j.s.school, period=j.q1, access_code=CODE, to_dir=to)


def _read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding)), delimiter=";"))


def test_stock_7zip_opens_the_archive_with_the_code_and_every_file_matches_the_manifest(
    marked: Journal, tmp_path: Path
) -> None:
    j = marked
    empty = schools.create_class(actor=j.s.admin, year=j.s.year, grade=6, letter="Б")  # no lessons: no book
    (tmp_path / "out").mkdir()
    result = _archive(j, tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.path.name]  # no temporary file left
    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()

    out = tmp_path / "x"
    run = subprocess.run([SEVEN_ZIP, "x", f"-p{CODE}", f"-o{out}", str(result.path)], capture_output=True)
    assert run.returncode == 0, run.stdout.decode(errors="replace")
    manifest = json.loads((out / "manifest.json").read_bytes())
    listed = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    extracted = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert extracted == set(listed) | {"manifest.json", "manifest.csv"}
    for name, sha in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
    assert {row[0] for row in _read_csv(out / "manifest.csv")[1:]} == set(listed)
    assert "код доступа" in (out / "README.txt").read_text(encoding="utf-8-sig").lower()

    # Every mark that counts in the quarter is in 5А's marks, in both encodings and in the workbook.
    expected = sorted(
        (f"{d:%d.%m.%Y}", v, s)
        for d, v, s in marks_that_count(
            school_id=j.s.school.pk, start=j.q1.start, end=j.q1.end, students=[u.pk for u in j.students]
        ).values_list("lesson__date", "value", "student__last_name")
    )
    assert len(expected) == 5  # 5, 4, 3 (test), then 5 and 4 in one cell
    for name, encoding in (("отметки.csv", "utf-8-sig"), ("отметки_cp1251.csv", "cp1251")):
        rows = _read_csv(out / "5А" / name, encoding)
        assert rows[0][:5] == ["Дата", "Урок №", "Предмет", "Ученик", "Отметка"]
        assert sorted((r[0], r[4], r[3].split()[0]) for r in rows[1:]) == expected
    test_row = next(r for r in _read_csv(out / "5А" / "отметки.csv")[1:] if r[4] == "3")
    assert test_row[6] == "2" and test_row[7] == "5А"
    absences = _read_csv(out / "5А" / "посещаемость.csv")[1:]
    assert [(r[3].split()[0], r[4]) for r in absences] == [(j.students[2].last_name, "н")]
    finals = _read_csv(out / "5А" / "итоговые_отметки.csv")[1:]
    assert [(r[0].split()[0], r[1], r[4]) for r in finals] == [(j.students[0].last_name, "Математика", "4")]
    class_list = _read_csv(out / "5А" / "список_класса.csv")[1:]
    assert [r[1] for r in class_list] == sorted(u.last_name for u in j.students)
    book = load_workbook(out / "5А" / "5А.xlsx")
    assert book.sheetnames == ["Список класса", "Отметки", "Посещаемость", "Итоговые отметки"]
    assert book["Отметки"].max_row == 1 + len(expected)
    # The quarter belongs to grades 1–9: 10А (half-years) is not in it.
    assert not (out / "10А").exists()
    # The class book as printing.books prints it; a class without lessons has none, and the README says why.
    book_pdf = PdfReader(out / "5А" / "журнал.pdf")
    assert len(book_pdf.pages) > 2 and "Математика" in "".join(page.extract_text() for page in book_pdf.pages)
    assert (out / empty.name).is_dir() and not (out / empty.name / "журнал.pdf").exists()
    assert f"Журнала в PDF нет у классов:\n  {empty.name}: " in (out / "README.txt").read_text(encoding="utf-8-sig")

    entry = BackupLogEntry.objects.get(kind=LogKind.ARCHIVE)
    assert (entry.status, entry.sha256, entry.actor_id, entry.school_id) == (
        LogStatus.DONE,
        result.sha256,
        j.s.director.pk,
        j.s.school.pk,
    )
    assert CODE not in json.dumps(entry.details) and CODE not in entry.what + entry.where


def test_a_wrong_code_opens_nothing_in_7zip_and_our_reader_refuses_in_russian(marked: Journal, tmp_path: Path) -> None:
    result = _archive(marked, tmp_path)
    run = subprocess.run([SEVEN_ZIP, "x", "-pНе-тот-код", f"-o{tmp_path / 'x'}", str(result.path)], capture_output=True)
    assert run.returncode == 2
    with pytest.raises(ValidationFailed, match="неверный код доступа"):
        verify_container(result.path, code="Не-тот-код")
    # 4 tables × 2 CSV, the XLSX, the book, README
    assert len(verify_container(result.path, code=CODE)) == 11


def test_a_corrupted_archive_is_refused_by_the_verify_step(marked: Journal, tmp_path: Path) -> None:
    result = _archive(marked, tmp_path)
    data = bytearray(result.path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    result.path.write_bytes(bytes(data))
    with pytest.raises(ValidationFailed, match="повреждён"):
        verify_container(result.path, code=CODE)
    (tmp_path / "foreign.7z").write_bytes(b"not an archive at all")
    with pytest.raises(ValidationFailed):
        verify_container(tmp_path / "foreign.7z", code=CODE)


def test_only_the_director_of_the_school_orders_the_archive(marked: Journal, tmp_path: Path) -> None:
    s = marked.s
    other = build_small_school(name="Школа №2", students_per_class=1)
    for actor in (s.admin, s.deputy, s.teacher, s.students_5a[0], s.parent, other.director):
        assert actor is not None
        with pytest.raises(NotFound):
            build_period_archive(actor=actor, school=s.school, period=marked.q1, access_code=CODE, to_dir=tmp_path)
    with pytest.raises(NotFound):  # the other school's director with their own school and our period
        build_period_archive(
            actor=other.director, school=other.school, period=marked.q1, access_code=CODE, to_dir=tmp_path
        )
    assert list(tmp_path.iterdir()) == []
    assert not BackupLogEntry.objects.exists()


def test_the_code_is_long_enough_and_typed_twice_the_same() -> None:
    with pytest.raises(ValidationFailed, match="не короче 8"):
        check_code("1234567")
    with pytest.raises(ValidationFailed, match="не совпадают"):
        check_code(CODE, CODE + "x")
    check_code(CODE, CODE)


def test_a_missing_directory_is_reported_and_logged_as_failed(marked: Journal, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="Архив не записан"):
        _archive(marked, tmp_path / "no-such-disk")
    entry = BackupLogEntry.objects.get(kind=LogKind.ARCHIVE)
    assert entry.status == LogStatus.FAILED and entry.sha256 == ""


def test_a_full_disk_leaves_no_half_written_file(
    marked: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, files: dict[str, bytes], *, code: str) -> None:
        path.write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\0" * 100)  # the start of a 7z, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(period_archive, "write_container", disk_full)
    with pytest.raises(ValidationFailed, match=r"No space left on device\. Готового файла нет"):
        _archive(marked, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert BackupLogEntry.objects.get().details["error"] == "No space left on device"


def test_a_failed_verification_or_an_interruption_leaves_no_file(
    marked: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(path: Path, *, code: str) -> dict[str, str]:
        raise ValidationFailed("Файл «README.txt» в архиве повреждён.")

    monkeypatch.setattr(period_archive, "verify_container", damaged)
    with pytest.raises(ValidationFailed, match="повреждён"):
        _archive(marked, tmp_path)
    assert list(tmp_path.iterdir()) == []

    def interrupted(path: Path, *, code: str) -> dict[str, str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(period_archive, "verify_container", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _archive(marked, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert BackupLogEntry.objects.filter(status=LogStatus.DONE).count() == 0


def test_reading_takes_the_same_queries_for_more_classes(
    marked: Journal, django_assert_max_num_queries: pytest.FixtureRequest
) -> None:
    s = marked.s
    for letter in "БВГ":
        group = schools.create_class(actor=s.admin, year=s.year, grade=6, letter=letter)
        student = s.person(f"Шестой{letter}", "Иван", "student")
        schools.enrol(actor=s.admin, student=student, class_group=group, start=s.year.start)
    period = Period.objects.select_related("scheme__year").get(pk=marked.q1.pk)
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        data = read_period_archive(school=s.school, period=period)
    assert [c.name for c in data.classes] == ["5А", "6Б", "6В", "6Г"]
    assert sum(len(c.marks) for c in data.classes) == 5
