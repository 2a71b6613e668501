"""The municipal (regional) summary across schools: aggregated figures only, from the stored per-school
figures the worker computes (SchoolPeriodFigures), never by reading marks at request time, and never a name
of a person: the rows are schools.

Schools are compared by period of the same kind and number of the same year («1 четверть» of 2026/2027);
each school has its own calendar rows.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ejournal.access import reports as access
from ejournal.accounts.models import User
from ejournal.core.charts import Chart
from ejournal.core.errors import NotFound
from ejournal.schools.models import Period, PeriodKind, School

from .formulas import Counts
from .models import SchoolPeriodFigures
from .pages import RESULT_COLUMNS, STUDENT_COLUMNS, Choice, Filter, Page, as_float, result_figures, student_cells
from .selectors import period_data
from .tables import Column, Report, Row

MAX_CHART_SCHOOLS = 50
EMPTY_CELLS = len(STUDENT_COLUMNS) + len(RESULT_COLUMNS)


def counts_of(row: SchoolPeriodFigures) -> Counts:
    return Counts(**{name: getattr(row, name) for name in SchoolPeriodFigures.COUNT_FIELDS})


@transaction.atomic
def store_school_figures(*, school: School, period: Period) -> SchoolPeriodFigures:
    """Compute a school's figures for a period (every student counted by their worst mark) and keep them for
    the regional summary; computing again replaces them."""
    data = period_data(school=school, period=period)
    counts = data.group_counts(list(data.students.values()))
    values = {name: getattr(counts, name) for name in SchoolPeriodFigures.COUNT_FIELDS}
    figures, _ = SchoolPeriodFigures.objects.update_or_create(
        school=school,
        period=period,
        defaults={
            **values,
            "year_name": period.scheme.year.name,
            "period_kind": period.scheme.kind,
            "period_number": period.number,
            "computed_at": timezone.now(),
            "classes": len(data.classes),
        },
    )
    return figures


def _key(year_name: str, kind: str, number: int) -> str:
    return f"{year_name}|{kind}|{number}"


def _label(year_name: str, kind: str, number: int) -> str:
    kind_label = PeriodKind(kind).label if kind in PeriodKind.values else kind
    return f"{year_name} · {number} {kind_label}"


def region_summary(*, user: User, key: str | None) -> Page:
    """Each school of the user's municipality with its stored figures for one period; the totals add the
    schools up. 404 for anyone but a person of the municipality. Four queries whatever the number of schools."""
    municipality = access.require_region(user)
    schools = list(access.region_schools(municipality).order_by("short_name", "pk").values_list("pk", "short_name"))
    ids = [pk for pk, _ in schools]
    options = list(
        SchoolPeriodFigures.objects.filter(school_id__in=ids)
        .values_list("year_name", "period_kind", "period_number")
        .distinct()
        .order_by("-year_name", "period_kind", "period_number")
    )
    if key is not None and key not in {_key(*o) for o in options}:
        raise NotFound()
    if key is None and options:
        latest = (
            SchoolPeriodFigures.objects.filter(school_id__in=ids)
            .order_by("-year_name", "-computed_at")
            .values_list("year_name", "period_kind", "period_number")
            .first()
        )
        assert latest is not None
        key = _key(*latest)
    by_school: dict[int, Counts] = {}
    title = "нет данных"
    if key is not None:
        year_name, kind, number = key.split("|")
        title = _label(year_name, kind, int(number))
        for row in SchoolPeriodFigures.objects.filter(
            school_id__in=ids, year_name=year_name, period_kind=kind, period_number=int(number)
        ):
            by_school[row.school_id] = counts_of(row)
    total = sum(by_school.values(), Counts())
    rows = [
        Row((name, *student_cells(by_school[pk])) if pk in by_school else (name, *([None] * EMPTY_CELLS)))
        for pk, name in schools
    ]
    notes = []
    if not options:
        notes.append("Показатели школ ещё не вычислены: их считает фоновый обработчик раз в сутки.")
    elif not total.counted:
        notes.append("Нет отметок: в этом периоде показатели школ не вычисляются.")
    missing = len(schools) - len(by_school)
    if options and missing:
        notes.append(f"Нет данных по {missing} шк. за этот период.")
    charted = [(name, by_school.get(pk)) for pk, name in schools][:MAX_CHART_SCHOOLS]
    report = Report(
        title="Сводка по школам муниципалитета",
        subtitle=f"{municipality.name} · {title}",
        columns=[Column("Школа"), *STUDENT_COLUMNS, *RESULT_COLUMNS],
        rows=rows,
        totals=Row(("Всего", *student_cells(total))) if schools else None,
        notes=notes,
        charts=[
            Chart(
                "Качество знаний, %",
                tuple(name for name, _ in charted),
                (("Качество", tuple(as_float(c.quality) if c else None for _, c in charted)),),
            )
        ]
        if by_school
        else [],
        file_name=f"Сводка муниципалитета, {title}",
        figures=result_figures(total),
    )
    return Page(
        report=report,
        filters=[Filter("period", "Период", [Choice(_key(*o), _label(*o), _key(*o) == key) for o in options])],
    )
