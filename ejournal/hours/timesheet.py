"""The табель for the accounts department: teachers as rows, the days of the month as columns with the hours
(lessons) given each day, totals against the load, the replacements as a table of their own, signature lines.

The layout follows the табель учёта рабочего времени schools hand to the бухгалтерия (the shape of form
0504421 reduced to what the journal knows: hours given per day, no absence codes): a header with the school
and the month, one line per teacher, «Итого», and the signatures of who kept it, the director and who received
it. XLSX (openpyxl) with numbers as numbers; CSV cp1251 with `;` (core.spreadsheet).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ejournal.core.errors import ValidationFailed
from ejournal.core.spreadsheet import csv_cp1251, safe_text
from ejournal.core.time import ru_date

from .figures import FIGURES, HoursFigures, TeacherHours

# The totals after the days, in this order (the «upcoming» lessons are no hours of a closed month).
TOTALS = [key for key, _ in FIGURES if key != "upcoming"]
TITLES = dict(FIGURES)
SIGNATURES = [
    "Табель составил: заместитель директора по УВР  ____________________ / ____________________ /",
    "Директор  ____________________ / ____________________ /",
    "Табель принял: бухгалтер  ____________________ / ____________________ /   «____» ______________ 20___ г.",
]
WEEKEND_FILL = PatternFill("solid", fgColor="E6E6E6")
HEAD_FILL = PatternFill("solid", fgColor="F0F2F7")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def file_name(figures: HoursFigures) -> str:
    return f"Табель часов {figures.span.start:%Y-%m}"


def _require_month(figures: HoursFigures) -> None:
    if not figures.is_month:
        raise ValidationFailed("Табель составляется за месяц: выберите месяц.", field="month")


def _confirmed(figures: HoursFigures, teacher: TeacherHours) -> str:
    confirmation = figures.confirmations.get(teacher.teacher_id)
    if confirmation is None:
        return "нет"
    note = f"да, {confirmation.confirmed_at:%d.%m.%Y}"
    return note + (" (есть расхождения)" if confirmation.discrepancies else "")


def _titles(figures: HoursFigures) -> tuple[str, str, str]:
    month = figures.span.label
    counted = f"учтены уроки по {ru_date(figures.counted_to)}" if figures.counted_to else "месяц ещё не начался"
    return (
        "ТАБЕЛЬ учёта проведённых уроков (часов) педагогических работников",
        f"за {month} г.",
        f"1 урок = 1 час; {counted}; составлен {ru_date(figures.today)}",
    )


def to_csv(figures: HoursFigures, *, school_name: str) -> bytes:
    _require_month(figures)
    days = figures.days()
    head = ["№", "Фамилия, инициалы", *(str(d.day) for d in days)]
    rows: list[list[str]] = [[safe_text(school_name)], *([t] for t in _titles(figures)), []]
    rows.append([*head, *(TITLES[k] for k in TOTALS), "Подтверждено учителем"])
    for n, teacher in enumerate(figures.teachers, start=1):
        rows.append(
            [
                str(n),
                safe_text(teacher.name),
                *(_count(teacher.by_day.get(d, 0)) for d in days),
                *(str(teacher.figure(k)) for k in TOTALS),
                _confirmed(figures, teacher),
            ]
        )
    rows.append(
        ["", "Итого", *(_count(sum(t.by_day.get(d, 0) for t in figures.teachers)) for d in days)]
        + [str(figures.total(k)) for k in TOTALS]
    )
    rows += [[], ["Замены (уроки, проведённые за отсутствующих учителей)"], [*head, "Всего замен"]]
    for n, teacher in enumerate(_substitutes(figures), start=1):
        rows.append(
            [
                str(n),
                safe_text(teacher.name),
                *(_count(teacher.substituted_by_day.get(d, 0)) for d in days),
                str(teacher.substituted),
            ]
        )
    rows += [[], *([line] for line in SIGNATURES)]
    return csv_cp1251(rows)


def _count(value: int) -> str:
    return str(value) if value else ""


def _substitutes(figures: HoursFigures) -> list[TeacherHours]:
    return [t for t in figures.teachers if t.substituted]


def to_xlsx(figures: HoursFigures, *, school_name: str) -> bytes:
    _require_month(figures)
    days = figures.days()
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = f"Табель {figures.span.start:%m.%Y}"
    width = 2 + len(days) + len(TOTALS) + 1
    sheet.cell(row=1, column=1, value=safe_text(school_name)).font = Font(bold=True)
    for offset, text in enumerate(_titles(figures)):
        cell = sheet.cell(row=2 + offset, column=1, value=text)
        cell.font = Font(bold=offset == 0, size=13 if offset == 0 else 11)
    row = 6
    row = _table(sheet, row, figures, days, substitutes=False)
    row += 1
    sheet.cell(row=row, column=1, value="Замены (уроки, проведённые за отсутствующих учителей)").font = Font(bold=True)
    row = _table(sheet, row + 1, figures, days, substitutes=True)
    row += 1
    for line in SIGNATURES:
        sheet.cell(row=row, column=1, value=line)
        row += 2
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 28
    for index in range(3, 3 + len(days)):
        sheet.column_dimensions[get_column_letter(index)].width = 3.6
    for index in range(3 + len(days), width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, row: int, figures: HoursFigures, days: list[dt.date], *, substitutes: bool) -> int:
    """A two-row head («Числа месяца» over the day numbers), a line per teacher and «Итого»; the next free row."""
    totals = ["substituted"] if substitutes else TOTALS
    tail = [] if substitutes else ["Подтверждено учителем"]
    first_total = 3 + len(days)
    heads = ["№ п/п", "Фамилия, инициалы"]
    for column, title in enumerate(heads, start=1):
        sheet.cell(row=row, column=column, value=title)
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
    sheet.cell(row=row, column=3, value="Числа месяца (проведено уроков)")
    sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=2 + len(days))
    for offset, day in enumerate(days):
        cell = sheet.cell(row=row + 1, column=3 + offset, value=day.day)
        if day.isoweekday() >= 6:
            cell.fill = WEEKEND_FILL
    for offset, title in enumerate([*(TITLES[k] for k in totals), *tail]):
        column = first_total + offset
        sheet.cell(row=row, column=column, value="Всего замен" if substitutes else title)
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
    last_column = first_total + len(totals) + len(tail) - 1
    for r in (row, row + 1):
        for column in range(1, last_column + 1):
            head = sheet.cell(row=r, column=column)
            head.font = Font(bold=True)
            head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            head.border = BOX
            if head.fill != WEEKEND_FILL:
                head.fill = HEAD_FILL
    row += 2
    teachers = _substitutes(figures) if substitutes else figures.teachers
    first_row = row
    for n, teacher in enumerate(teachers, start=1):
        by_day = teacher.substituted_by_day if substitutes else teacher.by_day
        values: list[str | int | None] = [n, safe_text(teacher.name), *(by_day.get(d) or None for d in days)]
        values += [teacher.figure(k) for k in totals]
        if not substitutes:
            values.append(_confirmed(figures, teacher))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border = BOX
            if 3 <= column < first_total and days[column - 3].isoweekday() >= 6:
                cell.fill = WEEKEND_FILL
        row += 1
    sheet.cell(row=row, column=2, value="Итого").font = Font(bold=True)
    for column in range(3, first_total + len(totals)):
        letter = get_column_letter(column)
        # A formula over the lines above, so a correction typed into the sheet is summed too.
        total = f"=SUM({letter}{first_row}:{letter}{row - 1})" if teachers else 0
        cell = sheet.cell(row=row, column=column, value=total)
        cell.font = Font(bold=True)
        cell.border = BOX
    return row + 2
