"""Run the periodic ticks that are due once (the worker does this every few seconds by itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ejournal.core import ticks


class Command(BaseCommand):
    help = "Выполнить периодические задачи, срок которых наступил (уведомления, дайджесты, отчёты)."

    def handle(self, *args: Any, **options: Any) -> None:
        ran = ticks.run_due()
        self.stdout.write("выполнено: " + (", ".join(ran) if ran else "ничего"))
