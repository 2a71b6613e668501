"""A `Report` as the files schools use: XLSX (openpyxl), CSV in cp1251 with `;` (Russian Excel), PDF (typst).

Numbers go into the XLSX as numbers (a percent as 0.873 with a percent format), so the sheet sums and
sorts them; text typed by people goes through `safe_text`, so no cell is evaluated as a formula.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import typst
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ejournal.core.spreadsheet import csv_cp1251, safe_text

from .tables import CellValue, ColumnKind, Report, Row, format_cell

TEMPLATE = Path(__file__).with_name("typst") / "report.typ"
HEAD_FILL = PatternFill("solid", fgColor="F0F2F7")
FLAG_FONT = Font(color="B3261E")
_NUMBER_FORMATS = {"percent": "0.0%", "number": "0.00"}


def _sheet_value(value: CellValue, kind: ColumnKind) -> CellValue:
    if value is None:
        return None
    if kind == "percent":
        return float(value) / 100
    if kind in ("int", "number") and isinstance(value, int | float | Decimal):
        return float(value) if isinstance(value, Decimal) else value
    return safe_text(str(value))


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Отчёт"
    sheet["A1"] = safe_text(report.title)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = safe_text(report.subtitle)
    row_index = 3
    for note in report.notes:
        sheet.cell(row=row_index, column=1, value=safe_text(note))
        row_index += 1
    for figure in report.figures:
        sheet.cell(row=row_index, column=1, value=safe_text(figure.label))
        cell = sheet.cell(row=row_index, column=2, value=_sheet_value(figure.value, figure.kind))
        cell.number_format = _NUMBER_FORMATS.get(figure.kind, "General")
        row_index += 1
    row_index += 1
    for column_index, column in enumerate(report.columns, start=1):
        cell = sheet.cell(row=row_index, column=column_index, value=safe_text(column.title))
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        width = 34 if column_index == 1 else max(10, min(24, len(column.title) + 2))
        sheet.column_dimensions[get_column_letter(column_index)].width = width
    sheet.freeze_panes = f"B{row_index + 1}"
    rows: list[tuple[Row, bool]] = [(row, False) for row in report.rows]
    if report.totals is not None:
        rows.append((report.totals, True))
    for row, is_total in rows:
        row_index += 1
        for column_index, (value, column) in enumerate(zip(row.cells, report.columns, strict=True), start=1):
            cell = sheet.cell(row=row_index, column=column_index, value=_sheet_value(value, column.kind))
            if column.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[column.kind]
            if is_total:
                cell.font = Font(bold=True)
            elif row.flagged:
                cell.font = FLAG_FONT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(report: Report) -> bytes:
    rows: list[list[str]] = [[safe_text(report.title)], [safe_text(report.subtitle)]]
    rows += [[safe_text(f.label), format_cell(f.value, f.kind)] for f in report.figures]
    rows.append([safe_text(c.title) for c in report.columns])
    for row in [*report.rows, *([report.totals] if report.totals else [])]:
        rows.append(
            [
                "" if value is None else (safe_text(value) if isinstance(value, str) else format_cell(value, c.kind))
                for value, c in zip(row.cells, report.columns, strict=True)
            ]
        )
    return csv_cp1251(rows)


def to_pdf(report: Report) -> bytes:
    kinds = [c.kind for c in report.columns]
    data = {
        "title": report.title,
        "subtitle": report.subtitle,
        "notes": report.notes,
        "figures": [[f.label, format_cell(f.value, f.kind)] for f in report.figures],
        "columns": [c.title for c in report.columns],
        "kinds": kinds,
        "rows": [[format_cell(v, k) for v, k in zip(r.cells, kinds, strict=True)] for r in report.rows],
        "flagged": [r.flagged for r in report.rows],
        "totals": [format_cell(v, k) for v, k in zip(report.totals.cells, kinds, strict=True)]
        if report.totals
        else None,
        "generated": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
        "signatures": [list(pair) for pair in report.signatures],
    }
    # typst reads the data as JSON, never as markup: a topic or name cannot inject typst code.
    return typst.compile(
        TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        pdf_tags=False,
    )
