"""Reading one cell of an import file: names, dates, classes, СНИЛС, phones, e-mails, roles.

Each reader takes the raw cell (text, or a date for an Excel date cell) and returns the value or raises
CellError with a Russian message that the row report shows next to the row and column.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ejournal.accounts.models import Role
from ejournal.core.spreadsheet import FORMULA_STARTS
from ejournal.core.time import ru_date

Cell = str | dt.date


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


MAX_CELL = 300


def text(cell: Cell, *, max_length: int = 150) -> str:
    """Plain text of a cell; a value a spreadsheet would evaluate as a formula is refused, not stored:
    whatever is imported later goes out again in exports and on printed lists."""
    value = ru_date(cell) if isinstance(cell, dt.date) else " ".join(cell.split())
    if value.startswith(FORMULA_STARTS):
        raise CellError(
            f"значение начинается с «{value[0]}»: формулы и такие значения не принимаются "
            f"(уберите знак в начале или вставьте в таблицу значения, а не формулы)"
        )
    if len(value) > max_length:
        raise CellError(f"длиннее {max_length} знаков")
    return value


_NAME = re.compile(r"^[^\W\d_]+(?:[-' ’.][^\W\d_]+)*\.?$")


def name_part(cell: Cell, *, what: str, required: bool = True) -> str:
    """A surname, a given name or a patronymic: letters, with hyphens, apostrophes and spaces inside
    («Салтыков-Щедрин», «Д’Артаньян», «Алиев оглы»)."""
    value = text(cell)
    if not value:
        if required:
            raise CellError(f"не указано: {what}")
        return ""
    if not _NAME.match(value):
        raise CellError(f"«{value}» — не похоже на {what}: допустимы буквы, дефис, апостроф и пробел")
    return value


def full_name(cell: Cell) -> tuple[str, str, str]:
    """«Фамилия Имя Отчество» in one cell; a patronymic of several words («Алиевич оглы») stays whole."""
    value = text(cell)
    parts = value.split(" ")
    if not value:
        raise CellError("не указаны фамилия, имя и отчество")
    if len(parts) < 2:
        raise CellError(f"«{value}» — нужны хотя бы фамилия и имя через пробел")
    last = name_part(parts[0], what="фамилию")
    first = name_part(parts[1], what="имя")
    middle = name_part(" ".join(parts[2:]), what="отчество", required=False)
    return last, first, middle


_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def date(cell: Cell, *, required: bool = True) -> dt.date | None:
    """dd.mm.yyyy as Russian Excel shows a date (also with «/» or «-», or ISO yyyy-mm-dd), or an Excel date
    cell. A two-digit year is refused: «01.02.15» is 1915 or 2015 only to a human."""
    if isinstance(cell, dt.date):
        return cell
    value = text(cell, max_length=40)
    # Excel saves a date-and-time cell as «01.02.2015 0:00:00».
    value = value.split(" ")[0] if value else value
    if not value:
        if required:
            raise CellError("дата не указана")
        return None
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if parsed.year < 1900:
            raise CellError(f"«{value}» — год раньше 1900")
        return parsed
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}", value):
        raise CellError(f"«{value}» — год двумя цифрами: укажите четыре (ДД.ММ.ГГГГ)")
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}", value):
        raise CellError(f"«{value}» — такой даты нет")
    raise CellError(f"«{value}» — не дата: ожидается ДД.ММ.ГГГГ, например 01.09.2015")


def birth_date(cell: Cell, *, before: dt.date, required: bool = True) -> dt.date | None:
    """A birth date: a real date, earlier than `before` (the day the import enrols or takes effect)."""
    day = date(cell, required=required)
    if day is not None and day >= before:
        raise CellError(f"{ru_date(day)} — не раньше даты импорта {ru_date(before)}")
    return day


# Latin letters typed instead of the Cyrillic ones that look the same («5A» with a Latin A).
_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def grade(cell: Cell) -> int:
    value = text(cell, max_length=10)
    if not value:
        raise CellError("параллель не указана")
    if not value.isdigit():
        raise CellError(f"«{value}» — не номер параллели")
    number = int(value)
    if not 1 <= number <= 11:
        raise CellError(f"параллель {number} вне 1–11")
    return number


def letter(cell: Cell) -> str:
    value = text(cell, max_length=10).upper().translate(_LOOKALIKES).strip("«»\"' ")
    if not value:
        raise CellError("литера не указана")
    if len(value) > 4 or not value.isalpha():
        raise CellError(f"«{value}» — литера класса: одна-две буквы, например А")
    return value


_CLASS = re.compile(r"^(\d{1,2})\s*[-–«\"']?\s*([^\W\d_]{1,4})[»\"']?$")


def class_name(cell: Cell) -> tuple[int, str]:
    """«5А», «5 А», «5-а», «10Б» → (5, "А")."""
    value = text(cell, max_length=20)
    if not value:
        raise CellError("класс не указан")
    match = _CLASS.match(value)
    if not match:
        raise CellError(f"«{value}» — не класс: ожидается параллель и литера, например 5А")
    return grade(match.group(1)), letter(match.group(2))


def snils(cell: Cell) -> str:
    """СНИЛС «123-456-789 64» with its check number; stored in that form."""
    value = text(cell, max_length=20)
    if not value:
        return ""
    digits = re.sub(r"[\s-]", "", value)
    if not digits.isdigit() or len(digits) != 11:
        raise CellError(f"«{value}» — СНИЛС: 11 цифр, например 123-456-789 64")
    body, check = digits[:9], int(digits[9:])
    # The check number is defined for numbers above 001-001-998.
    if int(body) > 1001998:
        total = sum(int(d) * (9 - i) for i, d in enumerate(body))
        expected = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
        if check != expected:
            raise CellError(f"«{value}» — неверное контрольное число СНИЛС")
    return f"{body[:3]}-{body[3:6]}-{body[6:]} {digits[9:]}"


def phone(cell: Cell) -> str:
    """A Russian phone, kept as +7XXXXXXXXXX. The leading «+» of a phone is no formula: the value is
    checked to be digits only and stored without spaces."""
    raw = ru_date(cell) if isinstance(cell, dt.date) else " ".join(cell.split())
    if not raw:
        return ""
    if not re.fullmatch(r"[+(\d][\d\s()\-]{4,24}", raw):
        text(raw)  # a formula is named as one
        raise CellError(f"«{raw}» — не номер телефона")
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 10:
        digits = "7" + digits
    elif len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    if len(digits) != 11 or digits[0] != "7":
        raise CellError(f"«{raw}» — номер телефона: 11 цифр, например +7 912 345-67-89")
    return "+" + digits


def email(cell: Cell) -> str:
    value = text(cell, max_length=254).lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(f"«{value}» — не адрес электронной почты") from None
    return value


STAFF_ROLE_WORDS = {
    "учитель": Role.TEACHER,
    "педагог": Role.TEACHER,
    "классный руководитель": Role.TEACHER,
    "завуч": Role.DEPUTY,
    "заместитель директора": Role.DEPUTY,
    "заместитель директора по увр": Role.DEPUTY,
    "зам директора": Role.DEPUTY,
    "зам директора по увр": Role.DEPUTY,
    "директор": Role.DIRECTOR,
    "администратор": Role.ADMIN,
    "администратор эж": Role.ADMIN,
    "ответственный администратор": Role.ADMIN,
    "ответственный администратор эж": Role.ADMIN,
}


def normal(value: str) -> str:
    """Case, ё and punctuation do not matter when words are compared: «Ф.И.О.» = «фио», «Ребёнок» = «ребенок»."""
    value = value.lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", value).replace("_", " ").split())


def staff_roles(cell: Cell) -> list[str]:
    """«учитель, завуч» → [teacher, deputy]; the words of docs/domain.md and the ones schools write."""
    value = text(cell, max_length=200)
    if not value:
        raise CellError("роль не указана: учитель, завуч, директор или администратор")
    found: list[str] = []
    for word in re.split(r"[,;/+\n]| и ", value):
        key = normal(word)
        if not key:
            continue
        role = STAFF_ROLE_WORDS.get(key)
        if role is None:
            raise CellError(f"«{word.strip()}» — неизвестная роль: учитель, завуч, директор или администратор")
        if role not in found:
            found.append(role)
    return found
