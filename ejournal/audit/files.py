"""The usage list as a file (XLSX, or CSV in cp1251 with `;` as Russian Excel opens it).

Audit writes its own files: it sits below reports (accounts and schools write the security log), so it
cannot borrow the reports' renderer. A plain list with one header row is all it needs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ejournal.core.errors import ValidationFailed
from ejournal.core.spreadsheet import csv_cp1251, download, safe_text

Cell = str | int | None

HEAD_FILL = PatternFill("solid", fgColor="F0F2F7")


@dataclass(frozen=True)
class Listing:
    title: str
    subtitle: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    # A base name for the downloaded file, without extension.
    file_name: str


def _cell(value: Cell) -> Cell:
    # Names and class names are typed by people: never a formula when the file is opened.
    return safe_text(value) if isinstance(value, str) else value


def to_xlsx(listing: Listing) -> bytes:
    """Title in A1, scope in A2, the header on row 4 and the people from row 5."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Отчёт"
    sheet["A1"] = safe_text(listing.title)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = safe_text(listing.subtitle)
    for column_index, title in enumerate(listing.columns, start=1):
        cell = sheet.cell(row=4, column=column_index, value=safe_text(title))
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        width = 34 if column_index == 1 else max(10, min(24, len(title) + 2))
        sheet.column_dimensions[get_column_letter(column_index)].width = width
    sheet.freeze_panes = "B5"
    for row_index, row in enumerate(listing.rows, start=5):
        for column_index, value in enumerate(row, start=1):
            sheet.cell(row=row_index, column=column_index, value=_cell(value))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(listing: Listing) -> bytes:
    head = [[safe_text(listing.title)], [safe_text(listing.subtitle)], [safe_text(t) for t in listing.columns]]
    return csv_cp1251([*head, *(["" if value is None else _cell(value) for value in row] for row in listing.rows)])


FILE_TYPES = {"xlsx": to_xlsx, "csv": to_csv}


def file_response(listing: Listing, file_format: str) -> HttpResponse:
    if file_format not in FILE_TYPES:
        raise ValidationFailed("Неизвестный формат файла: выберите XLSX или CSV.")
    return download(FILE_TYPES[file_format](listing), file_format=file_format, name=listing.file_name)
