from datetime import datetime, timedelta

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "ejournal.retention"
    label = "retention"
    verbose_name = "Реестр хранения"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import services

        @ticks.register("retention.warn", every=timedelta(days=1))
        def warn(now: datetime) -> None:
            services.warn_all(now)
