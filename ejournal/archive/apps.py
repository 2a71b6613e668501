from datetime import datetime, timedelta

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "ejournal.archive"
    label = "archive"
    verbose_name = "Резервные копии и архив"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import scheduled

        # Daily: the school calendar decides (the 2nd day of holidays); a day's copy is enough.
        @ticks.register("archive.holidays_backup", every=timedelta(days=1))
        def holidays_backup(now: datetime) -> None:
            scheduled.enqueue_holidays_backup(now)
