from datetime import datetime, timedelta

from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "ejournal.status"
    label = "status"
    verbose_name = "Состояние системы"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import alerts, purge

        @ticks.register("status.alerts", every=timedelta(hours=1))
        def alert(now: datetime) -> None:
            alerts.alert_all(now)

        @ticks.register("status.purge_errors", every=timedelta(days=1))
        def purge_errors(now: datetime) -> None:
            purge.purge(now)
