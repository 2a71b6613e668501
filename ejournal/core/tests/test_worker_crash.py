"""A worker killed (SIGKILL) in the middle of a job, then run again, duplicates no notification.

The real worker (`manage.py worker --batch`, django-tasks' database backend) runs in a subprocess on the
test's database. The job is informing's `deliver_batch`; its e-mail goes to an SMTP server on 127.0.0.1
that accepts the connection and never answers, so the worker hangs inside the job after it has claimed
the delivery (notifications/delivery.py: a conditional UPDATE moves `next_attempt_at` a lease ahead).
The worker is killed there. A rerun right away sends nothing (the claim holds); once the lease is over
(moved back here instead of waiting five minutes) the rerun delivers it, to a server that answers, exactly
once; a third run sends nothing more.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from ejournal.conftest import SmallSchool
from ejournal.core import ticks
from ejournal.core.models import TickRun
from ejournal.notifications.models import Delivery, Event, Message, Status

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = """
import os
from config.settings.test import *  # noqa
TASKS = {{"default": {{"BACKEND": "django_tasks_db.DatabaseBackend"}}}}
DATABASES = {{"default": {database!r}}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS = "127.0.0.1", int(os.environ["CRASH_SMTP_PORT"]), False
EMAIL_TIMEOUT = 30
"""


class Mailbox:
    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        return "250 Message accepted for delivery"


class SilentServer:
    """Accepts SMTP connections and never says a word: the worker waits inside its job."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.conns.append(conn)
                self.accepted.set()
        except OSError:
            return

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        self.sock.close()


@pytest.fixture
def worker_settings(tmp_path: Path) -> Iterator[Path]:
    """A settings module for the subprocesses: the test settings on the test's own database, with the
    database task backend (the test process itself runs tasks immediately)."""
    database = {k: connection.settings_dict[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
    database["OPTIONS"] = connection.settings_dict.get("OPTIONS", {})
    (tmp_path / "crash_settings.py").write_text(SETTINGS.format(database=database))
    yield tmp_path


def manage(settings_dir: Path, smtp_port: int, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crash_settings", "CRASH_SMTP_PORT": str(smtp_port)}
    env["PYTHONPATH"] = os.pathsep.join([str(settings_dir), str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_batch(settings_dir: Path, smtp_port: int) -> None:
    """Enqueue the job as the minute tick does, then drain the queue with the real worker."""
    enqueue = "from ejournal.notifications.tasks import deliver_batch; deliver_batch.enqueue()"
    for args in (("shell", "-c", enqueue), ("worker", "--batch")):
        proc = manage(settings_dir, smtp_port, *args)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, out


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_job_reruns_without_duplicates(small_school: SmallSchool, worker_settings: Path) -> None:
    parent = small_school.parent
    assert parent is not None
    parent.email = "parent@school.test"
    parent.save(update_fields=["email"])
    now = timezone.now()
    # The periodic ticks (reports, digests) stay out of this: each is marked as just run.
    TickRun.objects.bulk_create([TickRun(name=t.name, last_run_at=now) for t in ticks.registered()])
    message = Message.objects.create(
        school=small_school.school,
        recipient=parent,
        event=Event.MARK,
        title="Новая отметка",
        text="5",
        created_at=now,
        ready_at=now,
    )
    delivery = Delivery.objects.create(
        school=small_school.school, message=message, channel="email", next_attempt_at=now - dt.timedelta(seconds=1)
    )

    silent = SilentServer()
    try:
        proc = manage(
            worker_settings,
            silent.port,
            "shell",
            "-c",
            "from ejournal.notifications.tasks import deliver_batch; deliver_batch.enqueue()",
        )
        assert proc.wait(timeout=120) == 0
        worker = manage(worker_settings, silent.port, "worker", "--batch")
        assert silent.accepted.wait(timeout=120), "the worker reached the SMTP server"
        delivery.refresh_from_db()
        assert delivery.next_attempt_at is not None and delivery.next_attempt_at > now, "the job claimed it"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL
    finally:
        silent.close()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 0)
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        run_batch(worker_settings, port)  # at once: the killed job's claim holds, nothing is sent twice
        assert mailbox.received == []
        # Five minutes later the lease is over: moved back rather than waited for.
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        run_batch(worker_settings, port)
        run_batch(worker_settings, port)  # and once more: nothing left to send
        time.sleep(0.2)
    finally:
        controller.stop()
    delivery.refresh_from_db()
    sent = len(mailbox.received)
    print(f"\nFAULTS: worker killed mid-job 1, reruns 3, e-mails sent {sent}, duplicates {max(0, sent - 1)}")
    assert (delivery.status, delivery.attempts) == (Status.SENT, 1)
    assert sent == 1
    assert Delivery.objects.filter(message=message).count() == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
