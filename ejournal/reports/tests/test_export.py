import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal.core.charts import Chart, bar_chart
from ejournal.reports.export import to_csv, to_pdf, to_xlsx
from ejournal.reports.tables import Column, Report, Row


@pytest.fixture
def report():
    return Report(
        title="Качество знаний",
        subtitle="5А, I четверть",
        columns=[Column("Класс"), Column("Учеников", "int"), Column("Качество", "percent", group="Итоги")],
        rows=[Row(("5А", 25, 87.5)), Row(('=HYPERLINK("x")', 3, None), flagged=True)],
        totals=Row(("Итого", 28, 80.0)),
    )


def test_xlsx_holds_the_numbers_as_numbers_and_text_as_text(report):
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert values[0] == ["5А", 25, 0.875]
    assert values[1][0] == '\'=HYPERLINK("x")'
    assert values[2] == ["Итого", 28, 0.8]


def test_csv_is_cp1251_with_semicolons_and_no_formula(report):
    lines = to_csv(report).decode("cp1251").splitlines()
    assert lines[2] == "Класс;Учеников;Качество"
    assert lines[3] == "5А;25;87,5%"
    assert next(csv.reader(lines[4:5], delimiter=";")) == ['\'=HYPERLINK("x")', "3", ""]


def test_pdf_prints_the_same_cells(report):
    text = PdfReader(io.BytesIO(to_pdf(report))).pages[0].extract_text()
    assert "Качество знаний" in text
    assert "87,5%" in text and "80,0%" in text
    assert "1 из 1" in text


def test_chart_escapes_labels_and_says_when_there_is_no_data():
    svg = bar_chart(Chart("Качество", ("<b>5А</b>", "5Б"), (("I четверть", (50.0, None)),)))
    assert "&lt;b&gt;5А&lt;/b&gt;" in svg
    assert "нет данных" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_column_groups_merge_neighbours():
    report = Report("t", "s", [Column("a"), Column("b", group="G"), Column("c", group="G")])
    assert report.column_groups() == [("", 1), ("G", 2)]
