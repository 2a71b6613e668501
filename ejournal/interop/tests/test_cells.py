"""interop.cells and interop.kinds: one cell's value or a Russian reason; headers matched as schools write them."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.accounts.models import Role
from ejournal.interop import cells
from ejournal.interop.cells import CellError
from ejournal.interop.kinds import SPECS, find_layout
from ejournal.interop.tables import Row, TableError

d = dt.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("14.03.2015", d(2015, 3, 14)), ("4.3.2015", d(2015, 3, 4)), ("14/03/2015", d(2015, 3, 14)),
     ("2015-03-14", d(2015, 3, 14)), ("14.03.2015 0:00:00", d(2015, 3, 14)), (d(2015, 3, 14), d(2015, 3, 14))],
)  # fmt: skip
def test_dates(raw, expected):
    assert cells.date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [("31.02.2015", "«31.02.2015» — такой даты нет"), ("01.02.15", "год двумя цифрами"),
     ("вчера", "не дата: ожидается ДД.ММ.ГГГГ"), ("01.01.1812", "год раньше 1900"), ("", "дата не указана")],
)  # fmt: skip
def test_bad_dates(raw, message):
    with pytest.raises(CellError, match=message):
        cells.date(raw)


def test_birth_date_must_be_before_the_import():
    with pytest.raises(CellError, match=r"не раньше даты импорта 01\.09\.2026"):
        cells.birth_date("01.09.2026", before=d(2026, 9, 1))
    assert cells.birth_date("", before=d(2026, 9, 1), required=False) is None


@pytest.mark.parametrize("raw", ['=HYPERLINK("http://evil")', "+SUM(1)", "-2+3", "@cmd", "=1+1"])
def test_formula_starts_are_refused(raw):
    with pytest.raises(CellError, match="формулы и такие значения не принимаются"):
        cells.text(raw)
    with pytest.raises(CellError, match="формулы"):
        cells.name_part(raw, what="фамилию")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("5А", (5, "А")), ("5 а", (5, "А")), ("10-Б", (10, "Б")), ("5A", (5, "А")), ("11«В»", (11, "В"))],
)
def test_class_names(raw, expected):
    assert cells.class_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [("15А", "параллель 15 вне 1–11"), ("0Б", "параллель 0 вне 1–11"), ("А5", "не класс"), ("", "не указан")],
)
def test_bad_classes(raw, message):
    with pytest.raises(CellError, match=message):
        cells.class_name(raw)


def test_grade_and_letter():
    assert (cells.grade("7"), cells.letter("b")) == (7, "В")
    with pytest.raises(CellError, match="параллель 15 вне 1–11"):
        cells.grade("15")
    with pytest.raises(CellError, match="не номер параллели"):
        cells.grade("седьмой")


def test_names():
    assert cells.full_name("Салтыков-Щедрин  Михаил Евграфович") == ("Салтыков-Щедрин", "Михаил", "Евграфович")
    assert cells.full_name("Алиев Руслан Эльдар оглы") == ("Алиев", "Руслан", "Эльдар оглы")
    assert cells.full_name("Д’Артаньян Шарль") == ("Д’Артаньян", "Шарль", "")
    with pytest.raises(CellError, match="нужны хотя бы фамилия и имя"):
        cells.full_name("Иванов")
    with pytest.raises(CellError, match="не похоже на имя"):
        cells.full_name("Иванов 5А")


def test_snils_checksum_and_form():
    assert cells.snils("11223344595") == "112-233-445 95"
    assert cells.snils("123-456-789 64") == "123-456-789 64"
    assert cells.snils("") == ""
    with pytest.raises(CellError, match="неверное контрольное число"):
        cells.snils("123-456-789 65")
    with pytest.raises(CellError, match="11 цифр"):
        cells.snils("123-456")


def test_phones_keep_their_plus_but_not_formulas():
    assert cells.phone("+7 (912) 345-67-89") == "+79123456789"
    assert cells.phone("8 912 345 67 89") == "+79123456789"
    assert cells.phone("9123456789") == "+79123456789"
    with pytest.raises(CellError, match="формулы"):
        cells.phone("=1+1")
    with pytest.raises(CellError, match="формулы"):
        cells.phone("-79123456789")
    with pytest.raises(CellError, match="не номер телефона"):
        cells.phone("звонить маме")
    with pytest.raises(CellError, match="11 цифр"):
        cells.phone("+1 555 0100")


def test_emails_and_roles():
    assert cells.email(" Ivanova@School.RU ") == "ivanova@school.ru"
    with pytest.raises(CellError, match="не адрес электронной почты"):
        cells.email("ivanova@")
    assert cells.staff_roles("Учитель, ЗАВУЧ; зам. директора по УВР") == [Role.TEACHER, Role.DEPUTY]
    assert cells.staff_roles("директор и учитель") == [Role.DIRECTOR, Role.TEACHER]
    with pytest.raises(CellError, match="«ученик» — неизвестная роль"):
        cells.staff_roles("ученик")


def layout_of(kind, *header):
    return find_layout(SPECS[kind], [Row(1, list(header))]).at


def test_headers_match_ignoring_case_yo_spaces_and_punctuation():
    at = layout_of(
        "parents", " Ф.И.О. ", "ТЕЛЕФОН", "e-mail", "ФИО  ребенка", "дата рождения ребёнка:", "Кем приходится"
    )
    assert at == {"fio": 0, "phone": 1, "email": 2, "child": 3, "child_birth_date": 4, "relation": 5}
    assert layout_of("classes", "Класс", "Классный руководитель") == {"class": 0, "teacher": 1}
    assert layout_of("staff", "Фамилия", "Имя", "Дата рождения", "Должность")["roles"] == 3


def test_missing_columns_are_named():
    with pytest.raises(TableError) as e:
        layout_of("students", "Фамилия", "Имя", "Класс")
    assert e.value.message.startswith("В файле нет столбцов: «Дата рождения». Ожидаются столбцы: «Фамилия», «Имя»")
    with pytest.raises(TableError, match="«Параллель» и «Литера» \\(или «Класс», например 5А\\)"):
        layout_of("classes", "Параллель", "Классный руководитель")


@pytest.mark.parametrize("kind", list(SPECS))
def test_examples_fill_every_column_of_the_template(kind):
    spec = SPECS[kind]
    assert find_layout(spec, [Row(1, list(spec.template))]).header_row == 1
    assert all(len(example) == len(spec.template) for example in spec.example)
