"""interop.tables: CSV and XLSX as Russian Excel and other programs save them; junk refused in Russian."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ejournal.interop import tables
from ejournal.interop.kinds import SPECS, find_layout
from ejournal.interop.tables import TableError, read_table, sniff_delimiter

from .files import STUDENTS_HEADER, csv_bytes, xlsx_bytes

ROWS = [STUDENTS_HEADER, ["Ёлкин", "Пётр", "", "01.09.2015", "м", "5А", ""], ["Щукина", "Юлия", "", "", "", "5Б", ""]]


def values(rows):
    return [(r.number, r.cells) for r in rows]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("cp1251", ","), ("utf-8-sig", ";"), ("utf-8-sig", ","), ("utf-8", ";"), ("utf-16", "\t")],
)
def test_csv_as_excel_saves_it(encoding, delimiter):
    data = csv_bytes(ROWS, encoding=encoding, delimiter=delimiter)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    assert values(read_table(data)) == [(i, row) for i, row in enumerate(ROWS, start=1)]


def test_row_numbers_stay_true_over_blank_and_title_lines():
    data = csv_bytes([["Список учеников 5А класса"], [], STUDENTS_HEADER, [], ["Ёлкин", "Пётр", "", "01.09.2015"]])
    rows = read_table(data)
    assert [r.number for r in rows] == [1, 3, 5]
    assert find_layout(SPECS["students"], rows).header_row == 3


def test_quoted_cells_keep_their_delimiters():
    text = 'ФИО;Дата рождения;Роли\r\n"Иванова Мария";01.01.1980;"учитель; завуч, директор"\r\n'
    assert read_table(text.encode("cp1251"))[1].cells == ["Иванова Мария", "01.01.1980", "учитель; завуч, директор"]


def test_delimiter_is_what_the_lines_use_most():
    assert sniff_delimiter("Заголовок\nа;б;в\nг;д, е;ж\n") == ";"
    assert sniff_delimiter("а,б,в\nг,д,е\n") == ","
    assert sniff_delimiter("а\tб\tв\n") == "\t"
    assert sniff_delimiter("одно слово\n") == ";"


def test_xlsx_cells_dates_and_numbers():
    data = xlsx_bytes([["Класс", "Дата", "Число"], ["5А", dt.datetime(2015, 3, 14), 5.0], [None, None, 2.5]])
    assert values(read_table(data)) == [
        (1, ["Класс", "Дата", "Число"]),
        (2, ["5А", dt.date(2015, 3, 14), "5"]),
        (3, ["", "", "2.5"]),
    ]


def test_xlsx_text_that_looks_like_a_formula_is_read_as_it_is():
    data = xlsx_bytes([["ФИО"], ['=HYPERLINK("http://x";"y")']], text_cells=True)
    assert read_table(data)[1].cells == ['=HYPERLINK("http://x";"y")']


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Файл пустой."),
        (b"\r\n;;;\r\n", "В файле нет ни одной заполненной строки."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "старого формата Excel (.xls)"),
        (b"MZ\x90\x00\x03" + bytes(500), "не читается как таблица"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "не читается как таблица"),
        (b"PK\x03\x04 broken zip" + bytes(100), "не читается как таблица"),
        ("Фамилия;Имя\r\n".encode("cp1251") + b"\x98\x98", "Кодировка файла не распознана"),
    ],
)
def test_junk_gets_a_russian_message(data, message):
    with pytest.raises(TableError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_table(data)


def _zip(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_word_document_renamed_to_xlsx():
    data = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    with pytest.raises(TableError, match="не таблица XLSX"):
        read_table(data)


def test_a_zip_bomb_is_not_unpacked(monkeypatch):
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1_000_000)
    data = _zip({"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": "0" * 2_000_000})
    assert len(data) < 20_000
    with pytest.raises(TableError, match="слишком велика в распакованном виде"):
        read_table(data)


def test_too_many_rows_and_too_long_cells(monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    with pytest.raises(TableError, match="больше 10 строк"):
        read_table(csv_bytes([["а", "б"]] * 40))
    with pytest.raises(TableError, match="больше 10 строк"):
        read_table(xlsx_bytes([["а", "б"]] * 40))
    with pytest.raises(TableError, match="длиннее 10000 знаков"):
        read_table(csv_bytes([["а", "б" * 10_001]]))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_rows_or_a_russian_message(data):
    try:
        rows = read_table(data)
    except TableError as e:
        assert any("а" <= ch <= "я" for ch in e.message.lower())
        return
    assert rows and all(not r.is_empty for r in rows)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail))
def test_any_zip_like_bytes_give_rows_or_a_russian_message(data):
    try:
        read_table(data)
    except TableError as e:
        assert e.message


cell_text = st.text(
    alphabet=st.characters(codec="cp1251", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12
).map(str.strip)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cell_text, min_size=1, max_size=5), min_size=1, max_size=8),
    st.sampled_from(["cp1251", "utf-8", "utf-8-sig"]),
    st.sampled_from([";", ","]),
)
def test_csv_written_by_excel_reads_back_cell_for_cell(rows, encoding, delimiter):
    """Whatever Excel writes (quoted where needed), the same cells come back, numbered as written."""
    data = csv_bytes(rows, encoding=encoding, delimiter=delimiter)
    if encoding == "cp1251" and not data.isascii():
        # Windows-1251 bytes that also happen to be valid UTF-8 are read as UTF-8, as any program would.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(False)
    try:
        got = read_table(data)
    except TableError as e:
        assert e.message in ("В файле нет ни одной заполненной строки.",) and not any(any(r) for r in rows)
        return
    expected = [(i, [" ".join(c.split()) for c in row]) for i, row in enumerate(rows, start=1) if any(row)]
    # The delimiter is a guess from the text: when a cell holds more of the other delimiter than the file
    # uses between cells, the row is split differently, but never lost and never an exception.
    if sniff_delimiter(data.decode(encoding)) == delimiter:
        assert [(n, [" ".join(c.split()) for c in cells]) for n, cells in values(got)] == expected
