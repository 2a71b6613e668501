"""The background worker: django-tasks' database worker, a heartbeat that /healthz reads, and the periodic ticks."""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from ejournal.core import ticks
from ejournal.core.models import WorkerBeat

BEAT_SECONDS = 10


class Command(BaseCommand):
    help = "Фоновый обработчик задач (уведомления, печать, архивы) с отметкой «жив» для /healthz."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="пауза между проверками очереди, с")
        parser.add_argument("--batch", action="store_true", help="выполнить всю очередь и выйти")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        now = timezone.now()
        WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"started_at": now, "beat_at": now})
        stop = threading.Event()
        beater = threading.Thread(target=self._beat, args=(worker_id, stop), daemon=True)
        beater.start()
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        # A batch run (tests, cron) does what is due now, then drains the queue it filled.
        ticks.run_due()
        try:
            worker.run()
        finally:
            stop.set()
            WorkerBeat.objects.filter(worker_id=worker_id).delete()

    @staticmethod
    def _beat(worker_id: str, stop: threading.Event) -> None:
        while not stop.wait(BEAT_SECONDS):
            WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=timezone.now())
            ticks.run_due()
            close_old_connections()
