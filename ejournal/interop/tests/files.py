"""Import files as schools make them: CSV written with encoding="cp1251" or UTF-8 with BOM, XLSX by openpyxl."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "cp1251", delimiter: str = ";") -> bytes:
    """`encoding="utf-8-sig"` writes the BOM Excel puts in «CSV UTF-8»."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, text_cells: bool = False) -> bytes:
    """`text_cells` stores «=…» as text rather than as a formula (what a pasted value looks like)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if text_cells and isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


STUDENTS_HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Класс", "СНИЛС"]
PARENTS_HEADER = ["ФИО", "Телефон", "E-mail", "ФИО ребёнка", "Дата рождения ребёнка", "Кем приходится"]
STAFF_HEADER = ["ФИО", "Дата рождения", "Роли", "E-mail"]
CLASSES_HEADER = ["Параллель", "Литера", "Классный руководитель"]
