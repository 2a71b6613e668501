"""The automatic backup on the 2nd day of each holidays (DOMAIN: docs/domain.md, «Paper copies, backups and the
archive»): the daily tick finds a school whose vacation is in its second day or later and, unless a holidays
backup was already made since that day, enqueues one backup of the whole installation into EJOURNAL_BACKUP_DIR.

Why "2nd day or later" and not "exactly the 2nd day": a worker that was down on that day makes the copy on the
next day of the same holidays instead of skipping them. A full backup is of the installation, so several
schools on holidays at once still make one copy a day at most.

The restore drill (archive/drill.py) runs after each holidays backup, on that very file, and weekly on the
latest backup the log names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django_tasks import task

from ejournal.archive.backup import make_backup
from ejournal.archive.container import read_key_file
from ejournal.archive.drill import latest_backup, run_drill
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.schools.models import Holiday, HolidayKind, School

HOLIDAYS = "holidays"
WEEKLY = "weekly"


def holidays_started(now: dt.datetime) -> dt.datetime | None:
    """The earliest moment, among schools now in the 2nd day of a vacation or later, that its 2nd day began
    (UTC); None when no school is."""
    found: dt.datetime | None = None
    for school in School.objects.filter(is_active=True).order_by("pk"):
        zone = ZoneInfo(school.timezone)
        today = now.astimezone(zone).date()
        starts = Holiday.objects.filter(
            school_id=school.pk, kind=HolidayKind.VACATION, start__lte=today - dt.timedelta(days=1), end__gte=today
        ).values_list("start", flat=True)
        for start in starts:
            second = dt.datetime.combine(start + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            found = second if found is None else min(found, second)
    return found


def enqueue_holidays_backup(now: dt.datetime) -> bool:
    """The tick: True when a backup was enqueued."""
    if not settings.EJOURNAL_BACKUP_DIR:
        return False
    since = holidays_started(now)
    if since is None:
        return False
    done = BackupLogEntry.objects.filter(
        kind=LogKind.BACKUP, status=LogStatus.DONE, details__occasion=HOLIDAYS, at__gte=since
    )
    if done.exists():
        return False
    holidays_backup.enqueue()
    return True


def _key() -> bytes | None:
    key_file = settings.EJOURNAL_BACKUP_KEY_FILE
    return read_key_file(key_file) if key_file else None


@task()
def holidays_backup() -> str:
    """Runs in the worker: the key from EJOURNAL_BACKUP_KEY_FILE (unencrypted without it, as the console warns).
    The new copy is then drilled: a backup nobody has restored is a hope, not a backup."""
    made = make_backup(to_dir=Path(settings.EJOURNAL_BACKUP_DIR), key=_key(), occasion=HOLIDAYS)
    restore_drill.enqueue(path=str(made.path), occasion=HOLIDAYS)
    return str(made.path)


def enqueue_weekly_drill(now: dt.datetime) -> bool:
    """The weekly tick: a drill of the latest backup, when backups are made here at all (a folder is set and the
    log has one). True when enqueued."""
    if not settings.EJOURNAL_BACKUP_DIR or latest_backup() is None:
        return False
    restore_drill.enqueue(path="", occasion=WEEKLY)
    return True


@task()
def restore_drill(path: str, occasion: str) -> bool:
    """Runs in the worker: restores `path` (empty: the latest backup) into a scratch database and verifies it;
    a failure is logged and told to the administrators by `run_drill` itself."""
    return run_drill(path=Path(path) if path else None, key=_key(), occasion=occasion).ok
