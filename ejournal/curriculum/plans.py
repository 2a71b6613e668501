"""КТП import: the ordered topics of an assignment from XLSX or CSV, as teachers keep them in Excel.

A file is read whole and checked row by row; one broken row refuses the whole file, naming the row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction

from ejournal.access import roles
from ejournal.access.curriculum import can_edit_plan
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.spreadsheet import csv_cp1251, safe_text

from .errors import CurriculumCode
from .models import Lesson, PlannedTopic, TeachingAssignment

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
TITLE_HEADERS = {"тема", "тема урока", "наименование темы", "название темы", "раздел, тема"}
HOURS_HEADERS = {"часы", "часов", "кол-во часов", "количество часов", "час"}
NUMBER_HEADERS = {"№", "n", "номер", "№ п/п", "№ урока"}


@dataclass(frozen=True)
class TopicRow:
    position: int
    title: str
    hours: int


class PlanFileError(ValidationFailed):
    """Errors of a КТП file, one line per broken row (the API adds them as "errors" beside the message)."""

    code: StrEnum = CurriculumCode.BAD_PLAN_FILE

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Файл КТП не загружен, исправьте строки:\n" + "\n".join(errors[:50]))
        self.errors = errors
        self.extra = {"errors": errors}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFileError(["файл не в кодировке UTF-8 или Windows-1251"])


def _delimiter(text: str) -> str:
    """The header line decides: Russian Excel writes «;», other tools «,» or a tab. csv.Sniffer guesses from
    a sample and may take a comma inside a topic for the delimiter."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    return list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise PlanFileError([f"файл не читается как XLSX ({exc.__class__.__name__})"]) from exc
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else str(v).strip() for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("\n", " ").split()).strip(" .:").lower()


HEADER_SEARCH_ROWS = 10


def read_plan_file(filename: str, data: bytes) -> list[TopicRow]:
    """Parse a КТП file. The header row («№», «Тема», «Часы») may follow a few title rows; messages name the
    row as the spreadsheet numbers it, empty rows included."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError([f"файл больше {MAX_FILE_BYTES // 1024 // 1024} МБ"])
    name = filename.lower()
    if name.endswith(".xls") or data[:4] == b"\xd0\xcf\x11\xe0":
        raise PlanFileError(["старый формат Excel (.xls): сохраните файл как .xlsx или .csv"])
    is_xlsx = name.endswith(".xlsx") or data[:2] == b"PK"
    numbered = [
        (line_no, row)
        for line_no, row in enumerate(_xlsx_rows(data) if is_xlsx else _csv_rows(data), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not numbered:
        raise PlanFileError(["файл пуст"])
    if len(numbered) > MAX_ROWS + 1:
        raise PlanFileError([f"больше {MAX_ROWS} строк"])
    header_at = next(
        (
            i
            for i, (_, row) in enumerate(numbered[:HEADER_SEARCH_ROWS])
            if any(_header_key(cell) in TITLE_HEADERS for cell in row)
        ),
        None,
    )
    if header_at is None:
        raise PlanFileError([f"строка {numbered[0][0]}: нет столбца «Тема» (ожидаются столбцы «№», «Тема», «Часы»)"])
    header = [_header_key(cell) for cell in numbered[header_at][1]]
    title_col = next(i for i, h in enumerate(header) if h in TITLE_HEADERS)
    hours_col = next((i for i, h in enumerate(header) if h in HOURS_HEADERS), None)
    number_col = next((i for i, h in enumerate(header) if h in NUMBER_HEADERS), None)
    topics: list[TopicRow] = []
    errors: list[str] = []
    for line_no, row in numbered[header_at + 1 :]:
        cells = row + [""] * (len(header) - len(row))
        title = cells[title_col].strip()
        if not title:
            errors.append(f"строка {line_no}: пустая тема")
            continue
        if title[0] in "=+-@":
            # A formula in a cell is refused rather than stored: the topic later goes to exports.
            errors.append(f"строка {line_no}: тема начинается с «{title[0]}» (формула?)")
            continue
        if len(title) > 500:
            errors.append(f"строка {line_no}: тема длиннее 500 знаков")
            continue
        hours = 1
        if hours_col is not None and cells[hours_col].strip():
            raw = cells[hours_col].strip().replace(",", ".")
            try:
                as_float = float(raw)
            except ValueError:
                errors.append(f"строка {line_no}: часы «{cells[hours_col]}» — не число")
                continue
            if as_float != int(as_float) or not 1 <= as_float <= 50:
                errors.append(f"строка {line_no}: часы «{cells[hours_col]}» — нужно целое от 1 до 50")
                continue
            hours = int(as_float)
        if number_col is not None and cells[number_col].strip():
            raw = cells[number_col].strip().rstrip(".")
            if not raw.replace(".0", "").isdigit():
                errors.append(f"строка {line_no}: номер «{cells[number_col]}» — не число")
                continue
        topics.append(TopicRow(position=len(topics) + 1, title=title, hours=hours))
    if errors:
        raise PlanFileError(errors)
    if not topics:
        raise PlanFileError(["в файле нет ни одной темы"])
    return topics


@transaction.atomic
def import_plan(*, actor: User, assignment: TeachingAssignment, filename: str, data: bytes) -> list[PlannedTopic]:
    """Replace the КТП of an assignment with the file's topics; a broken file changes nothing.

    Lessons already given on a topic stay linked to the same topic in the new plan (the k-th topic of the
    same title), so program execution does not lose what was taught when a teacher re-uploads a plan.
    """
    roles.require(can_edit_plan(actor, assignment))
    rows = read_plan_file(filename, data)
    school_id = assignment.school_id
    topics_of = PlannedTopic.objects.filter(school_id=school_id, assignment=assignment)
    old_keys = _occurrence_keys(topics_of.order_by("position"))
    linked = list(
        Lesson.objects.filter(school_id=school_id, assignment=assignment, planned_topic__isnull=False).values_list(
            "pk", "planned_topic_id"
        )
    )
    topics_of.delete()
    topics = PlannedTopic.objects.bulk_create(
        PlannedTopic(
            school_id=assignment.school_id,
            assignment=assignment,
            position=r.position,
            title=r.title,
            hours=r.hours,
        )
        for r in rows
    )
    if linked:
        saved = topics_of.order_by("position")
        new_by_key = {key: pk for pk, key in _occurrence_keys(saved).items()}
        relinked: dict[int | None, list[int]] = {}
        for lesson_pk, old_topic_pk in linked:
            old_key = old_keys.get(old_topic_pk) if old_topic_pk is not None else None
            relinked.setdefault(new_by_key.get(old_key) if old_key else None, []).append(lesson_pk)
        for topic_pk, lesson_pks in relinked.items():
            Lesson.objects.filter(school_id=school_id, pk__in=lesson_pks).update(planned_topic_id=topic_pk)
    return topics


def _occurrence_keys(topics: Iterable[PlannedTopic]) -> dict[int, tuple[str, int]]:
    """(title, how many times it came before): a plan repeats «Контрольная работа» and such."""
    seen: dict[str, int] = {}
    keys = {}
    for topic in topics:
        title = topic.title.strip().lower()
        keys[topic.pk] = (title, seen.get(title, 0))
        seen[title] = seen.get(title, 0) + 1
    return keys


TEMPLATE_HEADER = ["№", "Тема", "Часы"]


def plan_csv(topics: Iterable[PlannedTopic] = ()) -> bytes:
    """A КТП as Russian Excel opens it (Windows-1251, «;»): the header alone is the blank template."""
    return csv_cp1251([TEMPLATE_HEADER, *([t.position, safe_text(t.title), t.hours] for t in topics)])
