"""A report's page or its file, by `?format=`: every report view ends with `respond`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ejournal.core.charts import bar_chart
from ejournal.core.errors import ValidationFailed
from ejournal.core.spreadsheet import download

from . import export
from .tables import Report, Row, format_cell

FILE_TYPES = {"xlsx": export.to_xlsx, "pdf": export.to_pdf, "csv": export.to_csv}


def file_response(report: Report, file_format: str) -> HttpResponse:
    if file_format not in FILE_TYPES:
        raise ValidationFailed("Неизвестный формат файла: выберите XLSX, PDF или CSV.")
    return download(FILE_TYPES[file_format](report), file_format=file_format, name=report.file_name)


def respond(
    request: HttpRequest,
    report: Report,
    *,
    template: str = "reports/report.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page, or with `?format=xlsx|pdf|csv` the same report as a file."""
    file_format = request.GET.get("format")
    if file_format:
        return file_response(report, file_format)
    kinds = [c.kind for c in report.columns]

    def shown(row: Row) -> list[str]:
        return [format_cell(v, k) for v, k in zip(row.cells, kinds, strict=True)]

    query = request.GET.copy()
    query.pop("format", None)
    page = {
        "report": report,
        "groups": report.column_groups(),
        "rows": [
            {
                "cells": [format_cell(v, k) for v, k in zip(r.cells, kinds, strict=True)],
                "url": r.url,
                "flagged": r.flagged,
            }
            for r in report.rows
        ],
        "totals": [format_cell(v, k) for v, k in zip(report.totals.cells, kinds, strict=True)]
        if report.totals
        else None,
        # The SVG is built by core.charts.bar_chart from escaped text only.
        "charts": [mark_safe(bar_chart(chart)) for chart in report.charts],
        "query": query.urlencode(),
        "figures": [(f.label, format_cell(f.value, f.kind)) for f in report.figures],
    }
    return render(request, template, {**page, **(context or {})})
