from datetime import datetime, timedelta

from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "ejournal.printing"
    label = "printing"
    verbose_name = "Печать журнала"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import stored

        # The calendar decides what is due (stored.due_periods); the tick only looks often enough.
        @ticks.register("printing.books", every=timedelta(hours=1))
        def books(now: datetime) -> None:
            stored.enqueue_due(now)
