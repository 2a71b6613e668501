from datetime import datetime, timedelta

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "ejournal.archive"
    label = "archive"
    verbose_name = "Резервные копии и архив"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import jobs, reminders, scheduled

        # Daily: the school calendar decides (the 2nd day of holidays); a day's copy is enough.
        @ticks.register("archive.holidays_backup", every=timedelta(days=1))
        def holidays_backup(now: datetime) -> None:
            scheduled.enqueue_holidays_backup(now)

        # Hourly: a job the worker never took loses its sealed archive code (archive.jobs).
        @ticks.register("archive.expire_jobs", every=timedelta(hours=1))
        def expire_jobs(now: datetime) -> None:
            jobs.expire(now)

        # Daily: the director is reminded of a period that ended without its archive (archive.reminders).
        @ticks.register("archive.remind_directors", every=timedelta(days=1))
        def remind_directors(now: datetime) -> None:
            reminders.remind_all(now)

        # Weekly: a restore drill of the latest backup into a scratch database (archive.drill); the holidays
        # backup task drills its own copy at once too.
        @ticks.register("archive.restore_drill", every=timedelta(days=7))
        def restore_drill(now: datetime) -> None:
            scheduled.enqueue_weekly_drill(now)
