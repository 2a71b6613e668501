"""The automatic backup on the 2nd day of each holidays (DOMAIN: docs/domain.md, «Paper copies, backups and the
archive»): the daily tick finds a school whose vacation is in its second day or later and, unless a holidays
backup was already made since that day, enqueues one backup of the whole installation into EJOURNAL_BACKUP_DIR.

Why "2nd day or later" and not "exactly the 2nd day": a worker that was down on that day makes the copy on the
next day of the same holidays instead of skipping them. A full backup is of the installation, so several
schools on holidays at once still make one copy a day at most.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django_tasks import task

from ejournal.archive.backup import make_backup
from ejournal.archive.container import read_key_file
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.schools.models import Holiday, HolidayKind, School

HOLIDAYS = "holidays"


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


@task()
def holidays_backup() -> str:
    """Runs in the worker: the key from EJOURNAL_BACKUP_KEY_FILE (unencrypted without it, as the console warns)."""
    key_file = settings.EJOURNAL_BACKUP_KEY_FILE
    key = read_key_file(key_file) if key_file else None
    return str(make_backup(to_dir=Path(settings.EJOURNAL_BACKUP_DIR), key=key, occasion=HOLIDAYS).path)
