"""Files for spreadsheets: CSV as Russian Excel opens it, the download response, and text that is never
evaluated as a formula when the file is opened."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=windows-1251",
    "pdf": "application/pdf",
}


def safe_text(value: str) -> str:
    """Text as text: a leading apostrophe keeps Excel and LibreOffice from evaluating it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cp1251(rows: Iterable[Sequence[object]]) -> bytes:
    """cp1251 with `;`, as Russian Excel opens by a double click; characters cp1251 lacks become «?». The
    caller has made each cell text (through safe_text where people typed it)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("cp1251", errors="replace")


def download(content: bytes, *, file_format: str, name: str) -> HttpResponse:
    """A file to save (never shown in the browser), its Russian name kept (RFC 5987)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
    return response
