"""The journal's notification event is an outbox row written in the change's own transaction: it commits
or rolls back with the mark, so no change is told without having happened and none is lost after it."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ejournal.journal import services as journal_services
from ejournal.journal.models import ChangeRecord, Mark
from ejournal.journal.tests.conftest import TZ, build_journal
from ejournal.notifications.delivery import deliver_due
from ejournal.notifications.models import Delivery, Event, JournalEvent, Message, Status

MONDAY = dt.date(2026, 12, 21)
MOMENT = dt.datetime(2026, 12, 25, 15, 0, tzinfo=TZ)
ROOT = Path(__file__).resolve().parents[3]


def test_the_event_is_in_the_database_before_the_commit(journal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        journal_services.set_marks(
            actor=journal.teacher, lesson=journal.lesson_on(MONDAY), student=journal.students[0], values=["5"]
        )
    event = JournalEvent.objects.get()
    assert (event.kind, event.payload["marks"]) == ("mark", ["5"])
    assert callbacks == []  # nothing of informing waits for the commit


def test_a_change_whose_event_cannot_be_written_is_rolled_back(journal, monkeypatch):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the outbox table is unavailable")

    monkeypatch.setattr(JournalEvent.objects, "create", broken)
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    with pytest.raises(RuntimeError):
        journal_services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["5"])
    assert not Mark.objects.filter(lesson=lesson).exists()
    assert not ChangeRecord.objects.filter(lesson=lesson).exists()
    assert not JournalEvent.objects.exists()


# The writer: a fresh process sets the mark in a transaction whose first after-commit step kills the process
# (SIGKILL), i.e. right after the COMMIT and before anything the journal itself would run after it.
WRITER = """
import os, signal
from django.db import transaction
from ejournal.core import time as clock
from ejournal.accounts.models import User
from ejournal.curriculum.models import Lesson
from ejournal.journal import services
from ejournal.journal.tests.conftest import TZ
import datetime as dt

clock.now = lambda: dt.datetime(2026, 12, 25, 15, 0, tzinfo=TZ)
with transaction.atomic():
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    services.set_marks(
        actor=User.objects.get(pk={teacher}), lesson=Lesson.objects.get(pk={lesson}),
        student=User.objects.get(pk={student}), values=["5"],
    )
print("not killed")
"""
SETTINGS = """
from config.settings.test import *  # noqa
DATABASES = {{"default": {database!r}}}
"""


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_between_commit_and_send_loses_no_message(small_school, monkeypatch, tmp_path: Path):
    from ejournal.core import time as clock

    monkeypatch.setattr(clock, "now", lambda: MOMENT)
    built = build_journal(small_school)
    lesson, student, parent = built.lesson_on(MONDAY), built.students[0], small_school.parent
    assert parent is not None
    database = {k: connection.settings_dict[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
    database["OPTIONS"] = connection.settings_dict.get("OPTIONS", {})
    (tmp_path / "outbox_settings.py").write_text(SETTINGS.format(database=database))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "outbox_settings"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT), env.get("PYTHONPATH", "")])
    script = WRITER.format(teacher=built.teacher.pk, lesson=lesson.pk, student=student.pk)
    proc = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    assert Mark.objects.filter(lesson=lesson, student=student).exists(), "the mark was committed"
    assert not Message.objects.exists(), "nothing was sent by the killed process"

    # The next delivery run (the worker's job, in this process) finds the event the mark committed with.
    deliver_due(MOMENT + dt.timedelta(minutes=10))
    message = Message.objects.get(event=Event.MARK, recipient=parent)
    assert message.text.endswith(": 5 по предмету «Математика» за 21.12.2026")
    assert Delivery.objects.get(message=message, channel="inapp").status == Status.SENT
    assert not JournalEvent.objects.exists()
