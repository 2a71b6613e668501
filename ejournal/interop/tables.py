"""An uploaded file as rows of cells: XLSX, or CSV as Russian Excel and other programs save it.

The type is read from the content, not from the name: a program or a picture renamed to .xlsx or .csv is
refused with a message, never handed to a parser that would fail in its own words. CSV may be UTF-8 (with
or without BOM), UTF-16 with BOM (Excel's «Текст Юникод») or Windows-1251, with «;», «,» or tab between
cells. Every failure is a TableError with a Russian message; no other exception leaves this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from .cells import Cell

MAX_ROWS = 5000
MAX_COLUMNS = 60
# A real XLSX of 5,000 rows unpacks to a few megabytes; more is a ZIP bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_CELL_CHARS = 10_000
DELIMITERS = (";", ",", "\t")
# Control characters that text never holds (tab, line feed, form feed and return are allowed).
_BINARY_BYTES = bytes(c for c in range(32) if c not in (9, 10, 12, 13)) + b"\x7f"
_BINARY = set(_BINARY_BYTES.decode("ascii"))


class TableError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """A row as the spreadsheet numbers it (1 = the first line of the file) and its cells."""

    number: int
    cells: list[Cell]

    @property
    def is_empty(self) -> bool:
        return not any(c if isinstance(c, str) else True for c in self.cells)


NOT_A_TABLE = (
    "Файл не читается как таблица: нужен XLSX (Excel 2007 и новее) или CSV (текст с разделителями «;» или «,»). "
    "Возможно, файл повреждён или это другой документ, переименованный в .xlsx/.csv."
)


def read_table(data: bytes) -> list[Row]:
    """The rows of the first sheet of an XLSX, or of a CSV. Empty rows are kept out; numbers stay true."""
    if not data:
        raise TableError("Файл пустой.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError("Это файл старого формата Excel (.xls): откройте его в Excel и сохраните как .xlsx или CSV.")
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    rows = [row for row in rows if not row.is_empty]
    if not rows:
        raise TableError("В файле нет ни одной заполненной строки.")
    return rows


def decode(data: bytes) -> str:
    """Text of a CSV: BOMs decide; else UTF-8 when it decodes, else Windows-1251 (Russian Excel's «CSV (разделители
    — точки с запятой)»). Control characters no text holds mean a binary file renamed to .csv."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError(NOT_A_TABLE) from None
        if any(ch in _BINARY for ch in text):
            raise TableError(NOT_A_TABLE)
        return text
    if len(data.translate(None, _BINARY_BYTES)) != len(data):
        raise TableError(NOT_A_TABLE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise TableError(
            "Кодировка файла не распознана: сохраните CSV в UTF-8 или Windows-1251 (Excel: «CSV (разделители "
            "— точки с запятой)»)."
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter met most often in the first lines; Russian Excel's «;» when none is.

    csv.Sniffer guesses from letter frequencies and takes a comma inside «учитель, завуч» for the delimiter;
    a title line above the header («Список 5А класса») has no delimiter at all and does not mislead a count.
    """
    sample = [line for line in text.splitlines() if line.strip()][:20]
    counts = Counter({d: sum(line.count(d) for line in sample) for d in DELIMITERS})
    best, count = max(counts.items(), key=lambda item: (item[1], -DELIMITERS.index(item[0])))
    return best if count else ";"


def _csv_rows(data: bytes) -> list[Row]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 20:
                raise TableError(f"В файле больше {MAX_ROWS} строк: разделите его на несколько.")
            rows.append(Row(number, _clip(cells)))
    except csv.Error:
        # An unclosed quote over the whole file, or a cell over the csv module's limit.
        raise TableError(
            f"Строка {len(rows) + 1}: CSV не разбирается (незакрытая кавычка или слишком длинная ячейка)."
        ) from None
    return rows


def _clip(cells: list[str]) -> list[Cell]:
    if any(len(c) > MAX_CELL_CHARS for c in cells):
        raise TableError(f"В файле есть ячейка длиннее {MAX_CELL_CHARS} знаков: это не список людей или классов.")
    return [" ".join(c.split()) for c in cells[:MAX_COLUMNS]]


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise TableError(NOT_A_TABLE) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise TableError(
            "Это ZIP-архив или документ другого вида (например, Word), а не таблица XLSX: "
            "сохраните список в Excel как .xlsx или CSV."
        )
    if len(infos) > 10_000 or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise TableError("Таблица XLSX слишком велика в распакованном виде: разделите её на несколько файлов.")


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _xlsx_rows(data: bytes) -> list[Row]:
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises a dozen kinds for a broken file; each means the same to the user
        raise TableError(NOT_A_TABLE) from None
    rows: list[Row] = []
    try:
        if not book.worksheets:
            raise TableError("В книге Excel нет ни одного листа.")
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 20:
                raise TableError(f"В файле больше {MAX_ROWS} строк: разделите его на несколько.")
            cells = [_cell(v) for v in values[:MAX_COLUMNS]]
            if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
                raise TableError(
                    f"В файле есть ячейка длиннее {MAX_CELL_CHARS} знаков: это не список людей или классов."
                )
            rows.append(Row(number, cells))
    except TableError:
        raise
    except Exception:  # a sheet that opens but breaks while streaming
        raise TableError(NOT_A_TABLE) from None
    finally:
        book.close()
    return rows
