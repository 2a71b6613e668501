"""The class overview as an XLSX workbook: the same table as the page, for printing or a meeting.

Text that a spreadsheet would take for a formula (= + - @, and tab or CR before them) is written with a
leading apostrophe: names and subjects are typed by people, and an export must not run what they typed.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ejournal.core.spreadsheet import safe_text
from ejournal.core.time import ru_date

from .overview import MISSED_CODES, ClassOverview

LOW_FILL = PatternFill("solid", fgColor="FDE8E7")
HEAD_FILL = PatternFill("solid", fgColor="F0F2F7")
THIN = Side(style="thin", color="B0B4BE")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MISSED_HEADS = ("всего", *(code for code, _ in MISSED_CODES))
FIRST_ROW = 4  # rows 1–2: title and legend


def _put(sheet: Worksheet, row: int, column: int, value: Any, **style: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=safe_text(value) if isinstance(value, str) else value)
    cell.border = BOX
    for name, setting in style.items():
        setattr(cell, name, setting)


def _mark_value(value: str) -> int | str:
    """A period mark 5…1 as a number (it sums and averages in the sheet), «н/а», «осв», «зач» as text."""
    return int(value) if value.isdigit() else value


def overview_workbook(overview: ClassOverview) -> bytes:
    """The overview as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    # A sheet name may not hold []:*?/\ and is at most 31 characters long.
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", overview.class_name)[:31] or "Класс"
    period = overview.period
    sheet.cell(row=1, column=1, value=safe_text(f"{overview.title} ({ru_date(period.start)}–{ru_date(period.end)})"))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.cell(
        row=2,
        column=1,
        value="Ср. — средний взвешенный балл; Отм. — число отметок (красным — меньше нормы накопляемости); "
        "Период — отметка за период; пропуски: б — по болезни, у — по уважительной, п — без уважительной, "
        "н — причина не указана.",
    )
    head, sub = FIRST_ROW, FIRST_ROW + 1
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _put(sheet, head, 1, "№", font=bold, fill=HEAD_FILL, alignment=center)
    _put(sheet, head, 2, "Ученик", font=bold, fill=HEAD_FILL, alignment=center)
    sheet.merge_cells(start_row=head, start_column=1, end_row=sub, end_column=1)
    sheet.merge_cells(start_row=head, start_column=2, end_row=sub, end_column=2)
    column = 3
    for col in overview.columns:
        _put(sheet, head, column, f"{col.title}, {col.teacher_name}", font=bold, fill=HEAD_FILL, alignment=center)
        sheet.merge_cells(start_row=head, start_column=column, end_row=head, end_column=column + 2)
        for offset, text in enumerate(("Ср.", f"Отм. (норма {col.norm})", "Период")):
            _put(sheet, sub, column + offset, text, fill=HEAD_FILL, alignment=center)
        column += 3
    for title in ("Пропущено уроков", "Пропущено дней"):
        _put(sheet, head, column, title, font=bold, fill=HEAD_FILL, alignment=center)
        sheet.merge_cells(start_row=head, start_column=column, end_row=head, end_column=column + len(MISSED_HEADS) - 1)
        for offset, text in enumerate(MISSED_HEADS):
            _put(sheet, sub, column + offset, text, fill=HEAD_FILL, alignment=center)
        column += len(MISSED_HEADS)

    row_number = sub + 1
    for number, row in enumerate(overview.rows, start=1):
        _put(sheet, row_number, 1, number)
        _put(sheet, row_number, 2, row.name)
        column = 3
        for cell in row.cells:
            if cell is None:
                for offset in range(3):
                    _put(sheet, row_number, column + offset, "—", alignment=center)
            else:
                _put(sheet, row_number, column, cell.average, number_format="0.00")
                low = {"fill": LOW_FILL, "font": Font(color="B42318", bold=True)} if cell.below_norm else {}
                _put(sheet, row_number, column + 1, cell.marks_count, **low)
                _put(sheet, row_number, column + 2, _mark_value(cell.period_mark), font=bold, alignment=center)
            column += 3
        for figure in (*row.lessons_missed, *row.days_missed):
            _put(sheet, row_number, column, figure)
            column += 1
        row_number += 1

    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 34
    for index in range(3, column):
        sheet.column_dimensions[get_column_letter(index)].width = 9
    sheet.freeze_panes = f"C{sub + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    out = BytesIO()
    book.save(out)
    return out.getvalue()
