"""Audit's own files: the usage list as XLSX and CSV without the reports' renderer."""

import csv
import io

import pytest
from openpyxl import load_workbook

from ejournal.audit.files import Listing, file_response, to_csv, to_xlsx
from ejournal.core.errors import ValidationFailed

LISTING = Listing(
    title="Мониторинг использования ЭЖ",
    subtitle="Школа № 1, 01.11.2026–10.11.2026",
    columns=("ФИО", "Класс", "Запросов"),
    rows=[("=HYPERLINK(1)", "5А", 7), ("Ёлкина Анна", "", None)],
    file_name="Мониторинг",
)


def test_xlsx_has_the_header_on_row_four_numbers_as_numbers_and_no_formulas():
    sheet = load_workbook(io.BytesIO(to_xlsx(LISTING))).active
    assert sheet is not None
    assert sheet["A1"].value == "Мониторинг использования ЭЖ"
    assert [c.value for c in sheet[4]] == ["ФИО", "Класс", "Запросов"]
    assert [c.value for c in sheet[5]] == ["'=HYPERLINK(1)", "5А", 7]


def test_csv_is_cp1251_with_semicolons_and_no_formulas():
    rows = list(csv.reader(io.StringIO(to_csv(LISTING).decode("cp1251")), delimiter=";"))
    assert rows[2] == ["ФИО", "Класс", "Запросов"]
    assert rows[3] == ["'=HYPERLINK(1)", "5А", "7"]
    assert rows[4] == ["Ёлкина Анна", "", ""]


def test_file_response_names_the_file_and_refuses_other_formats():
    response = file_response(LISTING, "csv")
    assert response["Content-Type"] == "text/csv; charset=windows-1251"
    assert "attachment" in response["Content-Disposition"]
    with pytest.raises(ValidationFailed):
        file_response(LISTING, "pdf")
