"""Usage monitoring as a list of people (for the files) and charts (for the page)."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from ejournal.core.charts import Chart, bar_chart
from ejournal.core.time import ru_date

from .files import Listing
from .selectors import UsageOverview


def people_report(overview: UsageOverview, *, school_name: str) -> Listing:
    return Listing(
        title="Мониторинг использования ЭЖ",
        subtitle=f"{school_name}, {ru_date(overview.start)}–{ru_date(overview.end)}",
        columns=(
            "ФИО",
            "Роли",
            "Класс",
            "Последний вход",
            "Входов",
            "Дней работы",
            "Запросов",
            "Дней в дневнике",
            "Изменений в журнале",
        ),
        rows=[
            (
                p.name,
                ", ".join(p.roles),
                ", ".join(p.class_names),
                p.last_login.strftime("%d.%m.%Y") if p.last_login else "не входил",
                p.logins,
                p.active_days,
                p.requests,
                p.diary_days,
                p.journal_changes,
            )
            for p in overview.people
        ],
        file_name=f"Мониторинг использования {overview.start:%d.%m.%Y}-{overview.end:%d.%m.%Y}",
    )


def usage_charts(overview: UsageOverview) -> list[SafeString]:
    charts = [
        Chart(
            "Доля работавших в ЭЖ по ролям",
            tuple(r.title for r in overview.by_role),
            (("работали", tuple(r.share for r in overview.by_role)),),
        )
    ]
    if overview.by_class:
        charts.append(
            Chart(
                "Родители, открывавшие дневник, по классам",
                tuple(c.class_name for c in overview.by_class),
                (("родители", tuple(c.parents_share for c in overview.by_class)),),
            )
        )
    # bar_chart escapes every label it writes.
    return [mark_safe(bar_chart(chart)) for chart in charts]
