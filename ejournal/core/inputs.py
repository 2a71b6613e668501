"""Everything a request hands us as text, parsed in one place: ids, dates, numbers, pages of a list.

A hostile value (a 20-digit id, the year 1 or 9999, NaN, a limit of a million) is refused here with a
Russian message, so it never reaches the database or date arithmetic, where it would be a 500: SQLite and
PostgreSQL refuse integers beyond 64 bits with OverflowError/DataError, and `date + timedelta` near year 1
or 9999 raises OverflowError. Pages and the API call the same functions.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from ejournal.core.errors import CoreCode, DomainError, ValidationFailed

# Ids are bigint primary keys: 1..2^63-1. Nineteen digits hold every one of them.
MAX_ID = 2**63 - 1
ID_REGEX = "[1-9][0-9]{0,18}"
# Every date the school calendar can hold, with room for week and month arithmetic either side.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)
# API lists: the default and the largest page.
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_OFFSET = 10**9
DATE_FORMAT_HINT = "ГГГГ-ММ-ДД"


class BadInput(DomainError):
    """A query parameter or body field that cannot be read: 400 with a Russian message."""

    status = 400
    code: StrEnum = CoreCode.BAD_INPUT


# --- ids ----------------------------------------------------------------------------------------------------


def id_or_none(raw: object) -> int | None:
    """An id if `raw` is one (1..2^63-1, digits only); None for anything else."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_id(raw: object, name: str) -> int | None:
    """An id from a query string or form: empty is None, anything that is not an id is refused in Russian."""
    if raw is None or str(raw).strip() == "":
        return None
    value = id_or_none(raw)
    if value is None:
        raise BadInput(f"Неверный параметр «{name}»: нужен номер записи (целое число от 1).", field=name)
    return value


def count_or_none(raw: object, *, low: int = 0, high: int = MAX_OFFSET) -> int | None:
    """A small non-negative count (an offset, a number of days) between `low` and `high`; None for anything
    else. ASCII digits only: "²".isdigit() is true, yet int("²") raises."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10 or not low <= int(text) <= high:
        return None
    return int(text)


def parse_count(raw: object, name: str, *, default: int, low: int = 0, high: int = MAX_OFFSET) -> int:
    """A small non-negative count (an offset, a number of days): empty is the default, others refused."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return default
    value = count_or_none(text, low=low, high=high)
    if value is None:
        raise BadInput(f"Неверный параметр «{name}»: нужно целое число от {low} до {high}.", field=name)
    return value


class IdConverter:
    """`<id:name>` in URL patterns: a primary key, 1..2^63-1. Anything else does not match, so it is a 404
    before any view runs (Django's `int` converter takes any number of digits and the database fails)."""

    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver treats it as no match
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


# --- dates --------------------------------------------------------------------------------------------------


def date_or_none(raw: object) -> dt.date | None:
    """A date (YYYY-MM-DD) between 1900 and 2200; None for anything else."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        day = raw
    else:
        text = str(raw).strip() if raw is not None else ""
        # fromisoformat also reads "20260901" and week dates; only the form people and scripts send is read.
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
    return day if MIN_DATE <= day <= MAX_DATE else None


def parse_date(raw: object, name: str) -> dt.date | None:
    """A date from a query string, form or body: empty is None, anything else is refused in Russian."""
    if raw is None or str(raw).strip() == "":
        return None
    day = date_or_none(raw)
    if day is None:
        raise BadInput(
            f"Неверная дата в «{name}»: нужна дата {DATE_FORMAT_HINT} между {MIN_DATE.year} и {MAX_DATE.year} годом.",
            field=name,
        )
    return day


def month_or_none(raw: object) -> dt.date | None:
    """The first day of a month written YYYY-MM, between 1900 and 2200; None for anything else (the month
    after December 9999 cannot be computed, so its span would be a 500)."""
    text = str(raw).strip() if raw is not None else ""
    if len(text) != 7 or text[4] != "-":
        return None
    return date_or_none(f"{text}-01")


def dotted_date_or_none(raw: object) -> dt.date | None:
    """A date as people write it (ДД.ММ.ГГГГ) or YYYY-MM-DD, between 1900 and 2200; None for anything else."""
    text = str(raw).strip() if raw is not None else ""
    if len(text) == 10 and text[2] == "." and text[5] == ".":
        text = f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return date_or_none(text)


def time_or_none(raw: object) -> dt.time | None:
    """A time of day as ЧЧ:ММ (or ЧЧ:ММ:СС); None for anything else."""
    text = str(raw).strip() if raw is not None else ""
    if len(text) not in (5, 8) or text[2] != ":":
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        return None


# --- text fields of a JSON body -----------------------------------------------------------------------------


def text_or_none(raw: object, *, limit: int) -> str | None:
    """A text field of a JSON body: a string of at most `limit` characters, or a whole number as scripts send
    a mark (5 for "5"); absent or null is "". None for anything else (true, a list, an object, 5.5, too long):
    the caller refuses it naming the field. Surrounding spaces are dropped, as in a form."""
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None
    text = str(raw).strip()
    return text if len(text) <= limit else None


# Fields of a JSON body, refused as 422 naming the field (the grid's script, like any API client, reads a
# refusal of what was sent as 422; a query parameter above is a 400). Pages and API adapters call these, so a
# field is read the same way wherever it arrives.


def text_field(raw: object, name: str, *, limit: int) -> str:
    """A text field (see text_or_none): absent or null is "", anything else that is not text is refused."""
    text = text_or_none(raw, limit=limit)
    if text is None:
        raise ValidationFailed(f"Поле «{name}» заполнено неверно (текст до {limit} знаков).", field=name)
    return text


def id_field(raw: object, name: str) -> int | None:
    """An id field: absent, null or "" is None; a number or digits 1..2^63-1 is the id; else refused."""
    if raw is None or raw == "":
        return None
    number = id_or_none(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    if number is None:
        raise ValidationFailed(f"Поле «{name}» заполнено неверно.", field=name)
    return number


def date_field(raw: object, name: str) -> dt.date | None:
    """A date field (YYYY-MM-DD, 1900..2200): absent, null or "" is None; anything else refused."""
    if raw is None or raw == "":
        return None
    day = date_or_none(raw) if isinstance(raw, str) else None
    if day is None:
        raise ValidationFailed("Дата указана неверно.", field=name)
    return day


# --- numbers ------------------------------------------------------------------------------------------------


def parse_decimal(raw: object, name: str) -> Decimal | None:
    """A finite decimal (a comma is read as the point); NaN, Infinity and 1e400 are refused in Russian."""
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        raise BadInput(f"«{name}» — конечное число.", field=name)
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise BadInput(f"«{name}» — число.", field=name) from None
    if not value.is_finite() or abs(value.adjusted()) > 15:
        raise BadInput(f"«{name}» — конечное число разумной величины.", field=name)
    return value


# --- pages of a list ------------------------------------------------------------------------------------------


def parse_limit(raw: object) -> int:
    """The page size of an API list: empty is the default, more than MAX_LIMIT is clamped to it."""
    text = str(raw).strip() if raw is not None else ""
    if not text:
        return DEFAULT_LIMIT
    if not text.isascii() or not text.isdigit() or int(text[:12]) < 1:
        raise BadInput(f"Неверный параметр «limit»: нужно целое число от 1 до {MAX_LIMIT}.", field="limit")
    return min(int(text[:12]) if len(text) <= 12 else MAX_LIMIT, MAX_LIMIT)


def parse_offset(raw: object) -> int:
    return parse_count(raw, "offset", default=0)


# --- JSON bodies --------------------------------------------------------------------------------------------

MAX_JSON_DEPTH = 20  # the deepest body the API takes is a list of objects inside an object


def _refuse_constant(name: str) -> object:
    raise BadInput("В запросе число NaN или Infinity: нужны конечные числа.")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 reads as inf
        raise BadInput("В запросе слишком большое число.")
    return value


def _check_depth(value: object, depth: int = 1) -> None:
    if depth > MAX_JSON_DEPTH:
        raise BadInput("Запрос вложен слишком глубоко.")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        if isinstance(child, dict | list):
            _check_depth(child, depth + 1)


def loads_json(body: bytes | str) -> object:
    """A JSON body with finite numbers and a bounded depth; anything else is refused in Russian."""
    import json

    try:
        data = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise BadInput("Запрос вложен слишком глубоко.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, BadInput):
            raise
        raise BadInput("Запрос не читается: ожидается JSON.") from exc
    _check_depth(data)
    return data


def json_object(raw: bytes, *, max_bytes: int) -> dict[str, object]:
    """The body of a page's JSON endpoint: an object of at most `max_bytes`; empty is {}. Refused as 422
    (ValidationFailed), as the API refuses a body, because the grid's script reads every refusal that way."""
    if len(raw) > max_bytes:
        raise ValidationFailed("Слишком большой запрос.")
    try:
        data = loads_json(raw or b"{}")
    except BadInput as error:
        raise ValidationFailed(error.message) from error
    if not isinstance(data, dict):
        raise ValidationFailed("Запрос не читается (ожидается объект JSON).")
    return data
