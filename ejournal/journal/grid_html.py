"""The journal grid as HTML, built with plain string joins.

A quarter of 35 students × 80 lessons is ~3,000 cells: Django's template engine needs 55–75 ms for it on
the school's machines, joined strings ~2 ms (docs/architecture.md). Everything that comes from users is
escaped here; the tests check that. Empty cells carry no version: the page knows the empty one.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ejournal.core.time import MONTHS_RU, ru_date
from ejournal.schools.models import Period

from .selectors import EMPTY_CELL, Grid, GridCell, GridLesson, GridRow
from .values import ABSENCE_CODES

EMPTY_VERSION = EMPTY_CELL.version


ROMAN = ("I", "II", "III", "IV", "V", "VI")
KIND_SHORT = {"quarter": "ч.", "half": "п/г", "trimester": "тр."}


def period_label(period: Period) -> str:
    """«II ч.», «I п/г» as the paper journal heads the column."""
    number = ROMAN[period.number - 1] if 0 < period.number <= len(ROMAN) else str(period.number)
    return f"{number} {KIND_SHORT.get(period.scheme.kind, '')}".strip()


def decimal_ru(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _lesson_title(lesson: GridLesson, kind_names: dict[int, str]) -> str:
    parts = [f"{ru_date(lesson.date)}, {lesson.number}-й урок"]
    if lesson.kind_id in kind_names:
        parts.append(kind_names[lesson.kind_id])
    parts.append(f"Тема: {lesson.topic}" if lesson.topic else "Тема не записана")
    if lesson.homework:
        parts.append(f"ДЗ: {lesson.homework}")
    return " · ".join(parts)


def _head(grid: Grid) -> str:
    kind_names = {k.id: k.name for k in grid.kinds}
    heavy = {k.id for k in grid.kinds if k.weight > 1}
    months: list[list[int]] = []  # [month, count]
    for lesson in grid.lessons:
        if months and months[-1][0] == lesson.date.month:
            months[-1][1] += 1
        else:
            months.append([lesson.date.month, 1])
    out = ['<thead><tr class="jr-months"><th class="jr-name" rowspan="2" scope="col">Ученик</th>']
    out.extend(f'<th colspan="{count}" class="jr-month">{MONTHS_RU[month - 1]}</th>' for month, count in months)
    if not grid.lessons:
        out.append('<th rowspan="2" class="jr-month">уроков нет</th>')
    out.append(
        '<th rowspan="2" class="jr-f" title="Средний взвешенный балл">Ср.</th>'
        '<th rowspan="2" class="jr-f" title="Отметок в периоде / норма накопляемости">Отм.</th>'
        '<th rowspan="2" class="jr-f" title="Отметка по среднему баллу и порогам школы">Расч.</th>'
        f'<th rowspan="2" class="jr-f jr-pmh" scope="col" title="Отметка за период: {_attr(grid.period.name)}">'
        f"{_attr(period_label(grid.period))}</th>"
    )
    if grid.has_foreign:
        # After the period mark, so the lesson columns and the period mark keep their places for the page's
        # script; it has no data-v, so nothing there can be edited.
        out.append(
            '<th rowspan="2" class="jr-f jr-exth" scope="col" title="Отметки периода из другого класса '
            '(до перевода) или другой подгруппы: входят в средний балл, исправляются в журнале, где поставлены">'
            "Из др. кл.</th>"
        )
    out.append('</tr><tr class="jr-days">')
    for lesson in grid.lessons:
        classes = ["jr-day"]
        if lesson.editable:
            classes.append("ed")
        if not lesson.topic:
            classes.append("nt")
        if lesson.kind_id in heavy:
            classes.append("hv")
        out.append(
            f'<th scope="col" class="{" ".join(classes)}" data-l="{lesson.id}" data-k="{lesson.kind_id or ""}">'
            f'<button type="button" class="jr-lb" title="{_attr(_lesson_title(lesson, kind_names))}">'
            f"{lesson.date.day}</button></th>"
        )
    out.append("</tr></thead>")
    return "".join(out)


def _cell(cell: GridCell | None) -> str:
    if cell is None:
        return '<td class="x" title="не числится в классе в этот день"></td>'
    if cell is EMPTY_CELL:
        return "<td></td>"
    classes = []
    if cell.attendance in ABSENCE_CODES:
        classes.append("a")
    if cell.is_late:
        classes.append("late")
    cls = f' class="{" ".join(classes)}"' if classes else ""
    comments = "; ".join(m[2] for m in cell.marks if m[2])
    title = f' title="{_attr(comments)}"' if comments else ""
    return f'<td{cls}{title} data-v="{cell.version}">{_attr(cell.text)}</td>'


def _foreign(row: GridRow, kind_names: dict[int, str]) -> str:
    """Marks given in another class or subgroup: shown and counted, never edited here."""
    spans = []
    for mark in row.foreign:
        title = f"отметка из {mark.source}, {mark.date:%d.%m}"
        if mark.kind_id in kind_names:
            title += f", {kind_names[mark.kind_id]}"
        if mark.comment:
            title += f"; {mark.comment}"
        spans.append(f'<span class="jr-fm" title="{_attr(title)}">{_attr(mark.value)}</span>')
    sources = sorted({m.source for m in row.foreign})
    title = f' title="{_attr("отметки из " + ", ".join(sources))}"' if sources else ""
    return f'<td class="jr-ext"{title}>{" ".join(spans)}</td>'


def render_grid_table(grid: Grid) -> str:
    """The <table> of the grid page: header of months and days, a row per student, figures at the end."""
    out = [
        f'<table class="jr" id="jr-grid" aria-label="{_attr(grid.title)}, {_attr(grid.period.name)}">',
        _head(grid),
        "<tbody>",
    ]
    kind_names = {k.id: k.name for k in grid.kinds}
    has_foreign = grid.has_foreign
    for number, row in enumerate(grid.rows, start=1):
        note = ""
        if row.enrolled_from:
            note += f" <small>с {row.enrolled_from:%d.%m}</small>"
        if row.enrolled_to:
            note += f" <small>по {row.enrolled_to:%d.%m}</small>"
        out.append(
            f'<tr data-s="{row.student_id}"><th class="jr-name" scope="row">'
            f'<span class="jr-no">{number}.</span> {_attr(row.name)}{note}</th>'
        )
        out.extend(_cell(cell) for cell in row.cells)
        low = " low" if row.below_norm else ""
        dev = " dev" if row.is_deviation else ""
        out.append(
            f'<td class="jr-avg">{decimal_ru(row.average)}</td>'
            f'<td class="jr-cnt{low}">{row.marks_count}/{row.norm}</td>'
            f'<td class="jr-sug">{row.suggestion}</td>'
            f'<td class="jr-pm{dev}" data-v="{row.period_mark_version}">{_attr(row.period_mark)}</td>'
        )
        if has_foreign:
            out.append(_foreign(row, kind_names))
        out.append("</tr>")
    if not grid.rows:
        out.append(f'<tr><td colspan="{len(grid.lessons) + 5}" class="muted">В этом периоде учеников нет.</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)
