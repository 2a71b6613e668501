"""One shape for every report: the page, the XLSX, the CSV and the PDF are drawn from the same `Report`.

So the numbers a director sees on screen and in the file cannot differ: both read the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

# Charts are drawn by core (audit's usage page draws them too, and audit sits below reports).
from ejournal.core.charts import Chart

CellValue = str | int | float | Decimal | None
ColumnKind = Literal["text", "int", "number", "percent"]


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    # A group heading over several columns ("Качество", "Успеваемость"); consecutive equal groups merge.
    group: str = ""


@dataclass(frozen=True)
class Row:
    cells: tuple[CellValue, ...]
    # Drill-down: the page links the first cell to the next level (school → class → subject → student).
    url: str = ""
    # Rows to draw attention to (below the norm, lag, a fall against the previous period).
    flagged: bool = False


@dataclass(frozen=True)
class KeyFigure:
    """A figure of the whole report shown above the table («Качество знаний: 62,5%»), a number in the XLSX."""

    label: str
    value: CellValue
    kind: ColumnKind = "int"


@dataclass
class Report:
    title: str
    # The scope in words: school, period, class, teacher — printed under the title and in the file.
    subtitle: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    totals: Row | None = None
    # Said instead of a table that would be empty or divide by zero ("В периоде нет отметок").
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # A base name for downloaded files, latin or Cyrillic, without extension.
    file_name: str = "otchet"
    # Figures of the whole report, above the table (the class teacher's counts of отличники, хорошисты…).
    figures: list[KeyFigure] = field(default_factory=list)
    # Signature lines under the table of the PDF: (position, name), e.g. («Директор», «Иванова И. И.»).
    signatures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def column_groups(self) -> list[tuple[str, int]]:
        """(group title, span) for the header row above the column titles; empty when no column has a group."""
        if not any(c.group for c in self.columns):
            return []
        groups: list[tuple[str, int]] = []
        for column in self.columns:
            if groups and groups[-1][0] == column.group and column.group:
                groups[-1] = (column.group, groups[-1][1] + 1)
            else:
                groups.append((column.group, 1))
        return groups


def format_cell(value: CellValue, kind: ColumnKind) -> str:
    """A cell as the page and the PDF print it: percents with one decimal and a comma, empty as «—»."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{float(value):.1f}".replace(".", ",") + "%"
    if kind == "number":
        return f"{float(value):.2f}".replace(".", ",")
    return str(value)
