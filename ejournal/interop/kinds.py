"""What each kind of import reads: its columns as schools title them, found in the header row of a file.

Headers are matched ignoring case, «ё», spaces and punctuation («Ф.И.О.» = «ФИО», «Дата рождения ребёнка» =
«дата рождения ребенка»). The header row may follow a few title lines. A person's name is either one column
«ФИО» or the columns «Фамилия», «Имя», «Отчество».
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import models

from .cells import Cell, normal
from .tables import Row, TableError


class ImportKind(models.TextChoices):
    CLASSES = "classes", "классы"
    STUDENTS = "students", "ученики"
    PARENTS = "parents", "родители"
    STAFF = "staff", "сотрудники"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {normal(self.title), *(normal(a) for a in self.aliases)}


LAST = Column("last_name", "Фамилия")
FIRST = Column("first_name", "Имя")
MIDDLE = Column("middle_name", "Отчество")
FIO = Column("fio", "ФИО", ("фамилия имя отчество", "ф и о", "фамилия имя"))
NAME_COLUMNS = (LAST, FIRST, MIDDLE, FIO)
BIRTH = Column("birth_date", "Дата рождения", ("дата рожд", "д р", "др"), required=True)
EMAIL = Column("email", "E-mail", ("email", "эл почта", "электронная почта", "адрес электронной почты", "почта"))


@dataclass(frozen=True)
class KindSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    named: bool  # whether the row names a person (ФИО or Фамилия + Имя)
    template: tuple[str, ...]  # the columns of the blank template, in order
    # Shown on the page and in the docs, not put into the templates: a template uploaded unchanged must not
    # create a «Петров Иван».
    example: tuple[tuple[str, ...], ...]


SPECS: dict[str, KindSpec] = {
    ImportKind.CLASSES: KindSpec(
        ImportKind.CLASSES,
        "Классы",
        (
            Column("grade", "Параллель", ("номер класса", "класс номер", "год обучения")),
            Column("letter", "Литера", ("буква", "литер", "буква класса", "литера класса")),
            Column("class", "Класс", ("название класса",)),
            Column("teacher", "Классный руководитель", ("классный руководитель фио", "фио классного руководителя")),
        ),
        named=False,
        template=("Параллель", "Литера", "Классный руководитель"),
        example=(("5", "А", "Иванова Мария Петровна"), ("10", "Б", "")),
    ),
    ImportKind.STUDENTS: KindSpec(
        ImportKind.STUDENTS,
        "Ученики",
        (
            BIRTH,
            Column("sex", "Пол"),
            Column("class", "Класс", ("класс литера", "класс буква"), required=True),
            Column("snils", "СНИЛС", ("снилс ученика", "страховой номер")),
        ),
        named=True,
        template=("Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Класс", "СНИЛС"),
        example=(
            ("Петров", "Иван", "Сергеевич", "14.03.2015", "м", "5А", "112-233-445 95"),
            ("Сидорова", "Алёна", "", "02.11.2014", "ж", "5А", ""),
        ),
    ),
    ImportKind.PARENTS: KindSpec(
        ImportKind.PARENTS,
        "Родители",
        (
            Column("birth_date", "Дата рождения", ("дата рожд",)),
            Column("phone", "Телефон", ("телефон родителя", "мобильный телефон", "контактный телефон", "тел")),
            EMAIL,
            Column(
                "child",
                "ФИО ребёнка",
                ("ребенок", "ученик", "фио ученика", "фио обучающегося", "фамилия имя отчество ребенка"),
                required=True,
            ),
            Column(
                "child_birth_date",
                "Дата рождения ребёнка",
                ("дата рождения ученика", "дата рождения обучающегося"),
                required=True,
            ),
            Column("relation", "Кем приходится", ("степень родства", "родство", "кем является")),
        ),
        named=True,
        template=(
            "Фамилия",
            "Имя",
            "Отчество",
            "Дата рождения",
            "Телефон",
            "E-mail",
            "ФИО ребёнка",
            "Дата рождения ребёнка",
            "Кем приходится",
        ),
        example=(
            (
                "Петрова",
                "Ольга",
                "Ивановна",
                "",
                "+7 912 345-67-89",
                "petrova@example.ru",
                "Петров Иван Сергеевич",
                "14.03.2015",
                "мать",
            ),
        ),
    ),
    ImportKind.STAFF: KindSpec(
        ImportKind.STAFF,
        "Сотрудники",
        (BIRTH, Column("roles", "Роли", ("роль", "должность"), required=True), EMAIL),
        named=True,
        template=("Фамилия", "Имя", "Отчество", "Дата рождения", "Роли", "E-mail"),
        example=(
            ("Иванова", "Мария", "Петровна", "05.06.1980", "учитель", "ivanova@example.ru"),
            ("Смирнов", "Олег", "Игоревич", "17.01.1975", "учитель, завуч", ""),
        ),
    ),
}
# «ФИО родителя» on a parents' list is the parent's own name.
PARENT_FIO_ALIASES = ("фио родителя", "фио законного представителя", "родитель", "законный представитель")


@dataclass(frozen=True)
class Layout:
    """Where each known column is: the header row's number and column index by key."""

    header_row: int
    at: dict[str, int]

    def get(self, row: Row, key: str) -> Cell:
        i = self.at.get(key)
        return row.cells[i] if i is not None and i < len(row.cells) else ""


def _columns(spec: KindSpec) -> list[Column]:
    columns = list(spec.columns)
    if spec.named:
        fio = FIO
        if spec.kind == ImportKind.PARENTS:
            fio = Column(FIO.key, FIO.title, FIO.aliases + PARENT_FIO_ALIASES)
        columns = [LAST, FIRST, MIDDLE, fio, *columns]
    return columns


def _match(spec: KindSpec, header: list[Cell]) -> dict[str, int]:
    names = {col.key: col.names() for col in _columns(spec)}
    at: dict[str, int] = {}
    for i, cell in enumerate(header):
        if not isinstance(cell, str):
            continue
        key = normal(cell)
        for col_key, col_names in names.items():
            if key in col_names and col_key not in at:
                at[col_key] = i
    return at


def _missing(spec: KindSpec, at: dict[str, int]) -> list[str]:
    missing = [f"«{c.title}»" for c in spec.columns if c.required and c.key not in at]
    if spec.named and "fio" not in at and not {"last_name", "first_name"} <= at.keys():
        missing.insert(0, "«ФИО» (или «Фамилия» и «Имя»)")
    if spec.kind == ImportKind.CLASSES and "class" not in at and not {"grade", "letter"} <= at.keys():
        missing.insert(0, "«Параллель» и «Литера» (или «Класс», например 5А)")
    return missing


HEADER_SEARCH_ROWS = 10


def find_layout(spec: KindSpec, rows: list[Row]) -> Layout:
    """The header row among the first lines: the one naming most of the kind's columns."""
    best: tuple[int, dict[str, int]] | None = None
    for row in rows[:HEADER_SEARCH_ROWS]:
        at = _match(spec, row.cells)
        if best is None or len(at) > len(best[1]):
            best = (row.number, at)
    assert best is not None  # read_table never returns no rows
    number, at = best
    missing = _missing(spec, at)
    if missing:
        expected = ", ".join(f"«{h}»" for h in spec.template)
        raise TableError(
            f"В файле нет столбцов: {', '.join(missing)}. Ожидаются столбцы: {expected} "
            f"(скачайте шаблон «{spec.title}»). Проверьте, что выбран верный вид импорта."
        )
    return Layout(header_row=number, at=at)


def template_csv(kind: str) -> bytes:
    """The blank template as Russian Excel opens a CSV: Windows-1251, «;», the header row alone."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(SPECS[kind].template)
    return out.getvalue().encode("cp1251")


def template_xlsx(kind: str) -> bytes:
    """The blank template as XLSX, the header row alone; dates typed into it may be text or Excel dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    spec = SPECS[kind]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.title
    sheet.append(spec.template)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, title in enumerate(spec.template, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, len(title) + 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
