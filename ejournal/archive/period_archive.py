"""The period archive (архив периода): the data of a reporting period for every class of the period's grade band,
in one AES-256 encrypted 7z container that stock 7-Zip opens with the director's access code.

Inside: per class the class list, marks, attendance and period / year marks, each as CSV in UTF-8, as CSV in
cp1251 with `;` (Russian Excel) and as one XLSX; at the root `manifest.csv` / `manifest.json` (SHA-256 of every
file) and `README.txt` in Russian. The file names are encrypted too (header encryption): without the code
nobody learns even which classes are inside.

The access code is never stored, not even as a hash: the director types it twice (page or console) and the
archive itself is the only thing that "knows" it. Losing the code loses the archive — the README and
docs/user/archive.md say so.

Writing is all or nothing: the container is written under a temporary name in the target directory, reopened
with the code and checked against its manifest, and only then renamed (atomically, same directory) to its
final name. A full disk, an unwritable directory or an interruption leaves no file that looks like a finished
archive. Every attempt goes into the backup log (`archive.services.log_entry`).

`build_period_archive` = `read_period_archive` (the queries: a fixed number, whatever the number of classes)
+ `build_files` (pure: rows to files) + `write_container` / `verify_container`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import py7zr
from django.db.models import Q
from openpyxl import Workbook
from py7zr.io import BytesIOFactory

from ejournal.access import archive as archive_access
from ejournal.access import roles, tenancy
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, ValidationFailed
from ejournal.core.spreadsheet import csv_cp1251, safe_text
from ejournal.journal.counting import marks_that_count
from ejournal.journal.models import Attendance, AttendanceCode, PeriodMark, PeriodMarkKind
from ejournal.printing.books import class_book
from ejournal.schools.models import ClassGroup, Enrolment, Period, School

from .disk import file_digest, sync_directory
from .models import LogKind, LogStatus
from .services import log_entry

# Long enough that guessing is hopeless against AES-256 with 7-Zip's key derivation (2^19 SHA-256 rounds).
MIN_CODE_LENGTH = 8
SUFFIX = ".7z"
# py7zr's in-memory reader silently stops at this size per file; a file cut there fails its checksum.
READ_LIMIT = 1 << 32
PARTIAL = ".partial"

CLASS_LIST = ("№", "Фамилия", "Имя", "Отчество", "Дата рождения", "Зачислен(а) с", "Выбыл(а) после")
MARKS = ("Дата", "Урок №", "Предмет", "Ученик", "Отметка", "Вид работы", "Вес", "Класс, где выставлена")
ATTENDANCE = ("Дата", "Урок №", "Предмет", "Ученик", "Код", "Расшифровка")
PERIOD_MARKS = ("Ученик", "Предмет", "Вид", "Период", "Отметка", "Предложено системой", "Средний балл", "Отметок")

# (file stem, sheet title, header) in the order of the README and of the XLSX sheets.
TABLES = (
    ("список_класса", "Список класса", CLASS_LIST),
    ("отметки", "Отметки", MARKS),
    ("посещаемость", "Посещаемость", ATTENDANCE),
    ("итоговые_отметки", "Итоговые отметки", PERIOD_MARKS),
)


@dataclass(frozen=True)
class ClassData:
    name: str
    pk: int = 0
    class_list: list[tuple[str, ...]] = field(default_factory=list)
    marks: list[tuple[str, ...]] = field(default_factory=list)
    attendance: list[tuple[str, ...]] = field(default_factory=list)
    period_marks: list[tuple[str, ...]] = field(default_factory=list)

    def table(self, stem: str) -> list[tuple[str, ...]]:
        return {
            "список_класса": self.class_list,
            "отметки": self.marks,
            "посещаемость": self.attendance,
            "итоговые_отметки": self.period_marks,
        }[stem]


@dataclass(frozen=True)
class PeriodData:
    school_name: str
    year_name: str
    period_name: str
    start: dt.date
    end: dt.date
    grade_from: int
    grade_to: int
    classes: list[ClassData]
    groups: dict[int, ClassGroup] = field(default_factory=dict)  # by pk: what the class books are printed of


@dataclass(frozen=True)
class Books:
    """Each class's book (`<class>/журнал.pdf`) and, for a class without one, why (shown in the README)."""

    pdf: dict[str, bytes] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ArchiveResult:
    path: Path
    sha256: str
    size: int
    files: int
    classes: list[str]
    marks: int


def _day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _weight(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def read_period_archive(*, school: School, period: Period) -> PeriodData:
    """The period's data for every class of its grade band: five queries whatever the number of classes."""
    scheme = period.scheme
    year = scheme.year
    sid = school.pk
    classes = list(
        ClassGroup.objects.filter(
            school_id=sid, year_id=year.pk, grade__gte=scheme.grade_from, grade__lte=scheme.grade_to
        ).order_by("grade", "letter")
    )
    class_ids = [c.pk for c in classes]
    enrolments = list(
        Enrolment.objects.filter(school_id=sid, class_group_id__in=class_ids, start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "start")
    )
    names = {e.student_id: e.student.full_name for e in enrolments}
    # The class a student sat in during the period (the last enrolment wins for a transfer): where a mark
    # given in a class outside the band is filed.
    home = {e.student_id: e.class_group_id for e in enrolments}
    marks = list(
        marks_that_count(school_id=sid, start=period.start, end=period.end, students=list(names))
        .values_list(
            "lesson__date",
            "lesson__number",
            "lesson__subject__name",
            "student_id",
            "value",
            "kind__name",
            "kind__weight",
            "lesson__class_group_id",
            "lesson__class_group__grade",
            "lesson__class_group__letter",
        )
        .order_by("lesson__date", "lesson__number", "lesson__subject__name", "student_id", "position")
    )
    attendance = list(
        Attendance.objects.filter(
            school_id=sid, lesson__class_group_id__in=class_ids, lesson__date__range=(period.start, period.end)
        )
        .values_list(
            "lesson__date", "lesson__number", "lesson__subject__name", "student_id", "code", "lesson__class_group_id"
        )
        .order_by("lesson__date", "lesson__number", "student_id")
    )
    period_marks = list(
        PeriodMark.objects.filter(school_id=sid, class_group_id__in=class_ids)
        .filter(
            Q(kind=PeriodMarkKind.PERIOD, period_id=period.pk) | (~Q(kind=PeriodMarkKind.PERIOD) & Q(year_id=year.pk))
        )
        .values_list(
            "student_id", "subject__name", "kind", "value", "suggested", "average", "marks_count", "class_group_id"
        )
        .order_by("subject__name", "kind", "student_id")
    )

    by_class = {c.pk: ClassData(name=c.name, pk=c.pk) for c in classes}
    numbers: dict[int, int] = defaultdict(int)
    for e in enrolments:
        numbers[e.class_group_id] += 1
        s = e.student
        by_class[e.class_group_id].class_list.append(
            (
                str(numbers[e.class_group_id]),
                safe_text(s.last_name),
                safe_text(s.first_name),
                safe_text(s.middle_name),
                _day(s.birth_date),
                _day(e.start),
                _day(e.end),
            )
        )
    for day, number, subject, student, value, kind, weight, class_id, grade, letter in marks:
        target = by_class.get(class_id) or by_class[home[student]]
        row = (_day(day), str(number), safe_text(subject), safe_text(names[student]), safe_text(value))
        target.marks.append((*row, safe_text(kind), _weight(weight), f"{grade}{letter}"))
    labels = dict(AttendanceCode.choices)
    for day, number, subject, student, code, class_id in attendance:
        row = (_day(day), str(number), safe_text(subject), safe_text(names.get(student, str(student))), code)
        by_class[class_id].attendance.append((*row, labels.get(code, code)))
    kinds = dict(PeriodMarkKind.choices)
    for student, subject, kind, value, suggested, average, count, class_id in period_marks:
        by_class[class_id].period_marks.append(
            (
                safe_text(names.get(student, str(student))),
                safe_text(subject),
                kinds[kind],
                period.name if kind == PeriodMarkKind.PERIOD else year.name,
                safe_text(value),
                safe_text(suggested),
                _weight(average),
                str(count),
            )
        )
    return PeriodData(
        school_name=school.name,
        year_name=year.name,
        period_name=period.name,
        start=period.start,
        end=period.end,
        grade_from=scheme.grade_from,
        grade_to=scheme.grade_to,
        classes=list(by_class.values()),
        groups={c.pk: c for c in classes},
    )


def print_books(data: PeriodData, *, period: Period, actor: User | None) -> Books:
    """The class book of every class (printing.books.class_book; `actor` None is the console). A class the book
    refuses (no lessons in the period) is named in the README instead of failing the whole archive."""
    books = Books()
    for class_data in data.classes:
        try:
            group = data.groups[class_data.pk]
            books.pdf[class_data.name] = class_book(actor=actor, class_group=group, period=period)
        except ValidationFailed as error:
            books.missing[class_data.name] = error.message
    return books


def _csv_utf8(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    # With a BOM and `;`, so that Excel of any language opens it by a double click and LibreOffice too.
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(data: ClassData) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for stem, title, header in TABLES:
        sheet = book.create_sheet(title)
        sheet.append(list(header))
        for row in data.table(stem):
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _readme(data: PeriodData, made_at: str, books: Books) -> str:
    classes = ", ".join(c.name for c in data.classes) or "нет классов"
    missing = "".join(f"\n  {name}: {reason}" for name, reason in books.missing.items())
    no_books = f"\nЖурнала в PDF нет у классов:{missing}\n" if missing else ""
    dates = f"{_day(data.start)} – {_day(data.end)}"
    return f"""АРХИВ УЧЕБНОГО ПЕРИОДА
{data.school_name}
Учебный год {data.year_name}, {data.period_name} ({dates}), {data.grade_from}–{data.grade_to} классы.
Создан {made_at} электронным журналом «ejournal». Классы: {classes}.

Архив зашифрован (7z, AES-256, зашифрованы и имена файлов). Открыть его можно любой версией
7-Zip (Windows: 7-Zip; Linux: 7zz или 7z; macOS: Keka или 7zz) без электронного журнала:
  7zz x -oпапка архив.7z   — программа спросит код доступа.
Код доступа задаёт директор; журнал его не хранит. Без кода архив не открыть никем и никак.

В папке каждого класса:
  список_класса.csv      — ученики, числившиеся в классе в этом периоде: ФИО, дата рождения,
                           даты зачисления и выбытия;
  отметки.csv            — все отметки периода, которые учитываются: дата, номер урока, предмет,
                           ученик, отметка, вид работы, вес и класс, где отметка выставлена
                           (ученик, переведённый из другого класса, сохраняет свои отметки);
  посещаемость.csv       — пропуски и опоздания: дата, урок, предмет, ученик, код (н, б, у, п, оп);
  итоговые_отметки.csv   — отметки за период (четверть, полугодие), а также годовые,
                           экзаменационные и итоговые, выставленные к моменту создания архива;
  *_cp1251.csv           — те же таблицы в кодировке Windows-1251 с разделителем «;»
                           (открываются двойным щелчком в русском Excel);
  класс.xlsx             — те же четыре таблицы листами одной книги Excel;
  журнал.pdf             — классный журнал за период, как его печатают и прошивают: все предметы,
                           сводная ведомость и пропуски, страницы пронумерованы.
Файлы *.csv без «_cp1251» — в кодировке UTF-8 с разделителем «;».
{no_books}
manifest.csv и manifest.json — контрольные суммы SHA-256 каждого файла архива. Проверить, что файл
не изменён: sha256sum файл (Linux) или certutil -hashfile файл SHA256 (Windows) и сравнить с манифестом.
Текст, начинающийся с «=», «+», «-» или «@», записан с апострофом в начале, чтобы таблица не приняла
его за формулу.
"""


def build_files(data: PeriodData, *, made_at: str, books: Books | None = None) -> dict[str, bytes]:
    """Every file of the archive by its path inside it, the manifests last (they list the others)."""
    books = books or Books()
    files: dict[str, bytes] = {}
    for class_data in data.classes:
        folder = class_data.name
        for stem, _title, header in TABLES:
            rows = class_data.table(stem)
            files[f"{folder}/{stem}.csv"] = _csv_utf8(header, rows)
            files[f"{folder}/{stem}_cp1251.csv"] = csv_cp1251([header, *rows])
        files[f"{folder}/{folder}.xlsx"] = _xlsx(class_data)
        if class_data.name in books.pdf:
            files[f"{folder}/журнал.pdf"] = books.pdf[class_data.name]
    files["README.txt"] = _readme(data, made_at, books).replace("\n", "\r\n").encode("utf-8-sig")
    sums = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    files["manifest.csv"] = _csv_utf8(
        ("Файл", "Размер, байт", "SHA-256"), [(n, str(len(files[n])), s) for n, s in sums.items()]
    )
    files["manifest.json"] = json.dumps(
        {"made_at": made_at, "files": [{"name": n, "size": len(files[n]), "sha256": s} for n, s in sums.items()]},
        ensure_ascii=False,
        indent=1,
    ).encode()
    return files


def check_code(code: str, repeated: str | None = None) -> None:
    if len(code) < MIN_CODE_LENGTH:
        raise ValidationFailed(f"Код доступа должен быть не короче {MIN_CODE_LENGTH} символов.", field="code")
    if repeated is not None and code != repeated:
        raise ValidationFailed("Коды доступа не совпадают: введите один и тот же код дважды.", field="code")


def write_container(path: Path, files: dict[str, bytes], *, code: str) -> None:
    with py7zr.SevenZipFile(path, "w", password=code, header_encryption=True) as archive:
        for name, content in files.items():
            archive.writestr(content, name)


def verify_container(path: Path, *, code: str) -> dict[str, str]:
    """Open the container with the code and check every file against manifest.json; returns name → SHA-256.
    A wrong code, a damaged or foreign file is refused in Russian (ValidationFailed)."""
    try:
        factory = BytesIOFactory(READ_LIMIT)
        with py7zr.SevenZipFile(path, "r", password=code) as archive:
            archive.extractall(factory=factory)
        contents = {}
        for name, product in factory.products.items():
            product.seek(0)
            contents[name] = product.read()
    except py7zr.PasswordRequired as error:
        raise ValidationFailed("Архив зашифрован: нужен код доступа.") from error
    except Exception as error:
        # py7zr reports a wrong key and a damaged file alike (a CRC, LZMA or header error): with AES the two
        # cannot be told apart, so the message names both.
        raise ValidationFailed(
            "Архив не открывается: неверный код доступа, или файл повреждён или не является архивом периода."
        ) from error
    manifest_bytes = contents.get("manifest.json")
    if manifest_bytes is None:
        raise ValidationFailed("В архиве нет manifest.json: это не архив периода или он повреждён.")
    expected = {entry["name"]: entry["sha256"] for entry in json.loads(manifest_bytes)["files"]}
    for name, sha in expected.items():
        if name not in contents or hashlib.sha256(contents[name]).hexdigest() != sha:
            raise ValidationFailed(f"Файл «{name}» в архиве повреждён: контрольная сумма не совпадает с манифестом.")
    return expected


def archive_name(data: PeriodData, made: dt.datetime) -> str:
    period = data.period_name.replace(" ", "_")
    grades = f"{data.grade_from}-{data.grade_to}кл"
    return f"архив_{data.year_name.replace('/', '-')}_{period}_{grades}_{made:%Y%m%d-%H%M%S}{SUFFIX}"


def build_period_archive(
    *, actor: User | None, school: School, period: Period, access_code: str, to_dir: Path
) -> ArchiveResult:
    """Write the period's archive into `to_dir` and return its path and SHA-256.

    `actor` is the director (pages); None is the operator's console (`ejournal archive`), where the director
    types the code at the server's terminal. The caller has had the code typed twice (check_code)."""
    if actor is not None:
        roles.require(archive_access.orders_period_archive(actor))
        tenancy.in_school_of(actor, school, period)
    elif not tenancy.one_school(school, period):
        raise ValidationFailed("Период относится к другой школе.")
    check_code(access_code)
    data = read_period_archive(school=school, period=period)
    books = print_books(data, period=period, actor=actor)
    made = clock.now()
    files = build_files(data, made_at=made.strftime("%d.%m.%Y %H:%M"), books=books)
    final = Path(to_dir) / archive_name(data, made)
    what = f"Архив периода: {data.year_name}, {data.period_name}, {data.grade_from}–{data.grade_to} кл."
    marks = sum(len(c.marks) for c in data.classes)
    if final.exists():
        raise Conflict(f"Файл {final.name} уже есть в {to_dir}: повторите через секунду.")
    partial = final.with_name(f".{final.name}.{secrets.token_hex(4)}{PARTIAL}")
    try:
        write_container(partial, files, code=access_code)
        verify_container(partial, code=access_code)
        with partial.open("rb") as handle:
            # On the disk before it gets its name: a power cut must not leave a named but empty archive.
            os.fsync(handle.fileno())
        sha256, size = file_digest(partial)
        os.replace(partial, final)
        # Best effort: some file systems refuse to sync a directory, and the archive is already complete and
        # verified under its name by then.
        with contextlib.suppress(OSError):
            sync_directory(final.parent)
    except (OSError, ValidationFailed) as error:
        partial.unlink(missing_ok=True)
        reason = error.message if isinstance(error, ValidationFailed) else (error.strerror or str(error))
        log_entry(
            kind=LogKind.ARCHIVE,
            status=LogStatus.FAILED,
            what=what,
            where=str(to_dir),
            school=school,
            actor=actor,
            details={"period_id": period.pk, "error": reason},
        )
        raise ValidationFailed(f"Архив не записан в {to_dir}: {reason}. Готового файла нет.") from error
    except BaseException:
        # Interrupted (Ctrl+C, the worker stopped): no half-written file may stay behind looking like an archive.
        partial.unlink(missing_ok=True)
        raise
    log_entry(
        kind=LogKind.ARCHIVE,
        status=LogStatus.DONE,
        what=what,
        where=str(final),
        size=size,
        sha256=sha256,
        school=school,
        actor=actor,
        details={
            "period_id": period.pk,
            "classes": [c.name for c in data.classes],
            "files": len(files),
            "marks": marks,
        },
    )
    return ArchiveResult(
        path=final, sha256=sha256, size=size, files=len(files), classes=[c.name for c in data.classes], marks=marks
    )
