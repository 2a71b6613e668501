from datetime import datetime, timedelta

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ejournal.reports"
    label = "reports"
    verbose_name = "Мониторинг и отчёты"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import delivery

        # The calendar decides what is due (delivery.due_reports); the tick only looks often enough.
        @ticks.register("reports.deliver", every=timedelta(hours=1))
        def deliver(now: datetime) -> None:
            delivery.enqueue_due(now)

        @ticks.register("reports.figures", every=timedelta(days=1))
        def figures(now: datetime) -> None:
            delivery.enqueue_figures(now)
