from datetime import datetime, timedelta

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ejournal.support"
    label = "support"
    verbose_name = "Консультации и обучение"

    def ready(self) -> None:
        from ejournal.core import ticks

        from . import training

        @ticks.register("support.remind_trainings", every=timedelta(days=1))
        def remind(now: datetime) -> None:
            training.remind_all(now)
