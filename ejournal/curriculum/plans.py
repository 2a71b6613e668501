"""КТП import: the ordered topics of an assignment from XLSX or CSV, as teachers keep them in Excel.

A file is read whole and checked row by row; one broken row refuses the whole file, naming the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from ejournal.access import roles
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed

from .models import PlannedTopic, TeachingAssignment

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
    """Errors of a КТП file, one line per broken row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Файл КТП не загружен, исправьте строки:\n" + "\n".join(errors[:50]))
        self.errors = errors


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFileError(["файл не в кодировке UTF-8 или Windows-1251"])


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


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


def read_plan_file(filename: str, data: bytes) -> list[TopicRow]:
    """Parse a КТП file; the first row names the columns («№», «Тема», «Часы»)."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError([f"файл больше {MAX_FILE_BYTES // 1024 // 1024} МБ"])
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise PlanFileError(["файл пуст"])
    if len(rows) > MAX_ROWS + 1:
        raise PlanFileError([f"больше {MAX_ROWS} строк"])
    header = [cell.strip().lower() for cell in rows[0]]
    title_col = next((i for i, h in enumerate(header) if h in TITLE_HEADERS), None)
    hours_col = next((i for i, h in enumerate(header) if h in HOURS_HEADERS), None)
    number_col = next((i for i, h in enumerate(header) if h in NUMBER_HEADERS), None)
    if title_col is None:
        raise PlanFileError(["строка 1: нет столбца «Тема»"])
    topics: list[TopicRow] = []
    errors: list[str] = []
    for line_no, row in enumerate(rows[1:], start=2):
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
    """Replace the КТП of an assignment with the file's topics; a broken file changes nothing."""
    from ejournal.access.curriculum import can_edit_plan

    roles.require(can_edit_plan(actor, assignment))
    rows = read_plan_file(filename, data)
    PlannedTopic.objects.filter(assignment=assignment).delete()
    return PlannedTopic.objects.bulk_create(
        PlannedTopic(
            school_id=assignment.school_id,
            assignment=assignment,
            position=r.position,
            title=r.title,
            hours=r.hours,
        )
        for r in rows
    )
