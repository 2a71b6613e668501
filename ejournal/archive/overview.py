"""What the «Резервные копии» and «Архив периода» pages (and their API) show: read-only, for one user.

The backup key is shown by a short fingerprint only: enough to tell which key the server holds (compare with the
copy in the safe), useless to open a backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from ejournal.access import archive as access
from ejournal.access import roles
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import DomainError
from ejournal.schools.models import Holiday, HolidayKind, Period

from .container import read_key_file
from .jobs import ACTIVE, school_count
from .models import ArchiveJob, BackupLogEntry, JobStatus, LogKind, LogStatus
from .scheduled import HOLIDAYS

LOG_LIMIT = 200  # the page shows the latest entries; the printed log has them all


@dataclass(frozen=True)
class KeyStatus:
    configured: bool
    fingerprint: str = ""
    problem: str = ""


@dataclass(frozen=True)
class BackupsPage:
    key: KeyStatus
    folder: str
    free_bytes: int | None
    folder_problem: str
    may_order: bool
    several_schools: bool
    last_backup: BackupLogEntry | None
    next_holidays: dt.date | None
    entries: list[BackupLogEntry]
    jobs: list[ArchiveJob] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return any(j.status in ACTIVE for j in self.jobs)


def fingerprint(key: bytes) -> str:
    digest = hashlib.sha256(b"ejournal-backup-key-fingerprint:" + key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def key_status() -> KeyStatus:
    path = settings.EJOURNAL_BACKUP_KEY_FILE
    if not path:
        return KeyStatus(configured=False, problem="Ключ не задан (EJOURNAL_BACKUP_KEY_FILE).")
    try:
        return KeyStatus(configured=True, fingerprint=fingerprint(read_key_file(path)))
    except DomainError as error:
        return KeyStatus(configured=False, problem=error.message)


def free_space() -> tuple[int | None, str]:
    folder = settings.EJOURNAL_BACKUP_DIR
    if not folder:
        return None, "Папка резервных копий не задана (EJOURNAL_BACKUP_DIR)."
    try:
        return shutil.disk_usage(folder).free, ""
    except OSError as error:
        return None, f"Папка {folder} недоступна: {error.strerror or error} (диск не подключён?)."


def next_holidays_backup(user: User, now: dt.datetime) -> dt.date | None:
    """The day the next automatic copy is due by the user's school calendar (scheduled.py: the 2nd day of a
    vacation, or today while in one without a copy yet); None without a folder or a vacation ahead."""
    if not settings.EJOURNAL_BACKUP_DIR or user.school is None:
        return None
    zone = ZoneInfo(user.school.timezone)
    today = now.astimezone(zone).date()
    vacations = Holiday.objects.filter(school_id=user.school_id, kind=HolidayKind.VACATION, end__gte=today)
    for start, end in vacations.order_by("start").values_list("start", "end"):
        second = start + dt.timedelta(days=1)
        if second > end:
            continue  # a one-day vacation has no second day
        if second > today:
            return second
        began = dt.datetime.combine(second, dt.time(), tzinfo=zone)
        done = BackupLogEntry.objects.filter(
            kind=LogKind.BACKUP, status=LogStatus.DONE, details__occasion=HOLIDAYS, at__gte=began
        )
        if not done.exists():
            return today
    return None


def backups_page(user: User) -> BackupsPage:
    roles.require(access.reads_backups(user))
    log = access.visible_log(user).select_related("actor")
    free, problem = free_space()
    schools = school_count()
    return BackupsPage(
        key=key_status(),
        folder=settings.EJOURNAL_BACKUP_DIR,
        free_bytes=free,
        folder_problem=problem,
        may_order=access.orders_backup(user, schools=schools),
        several_schools=schools > 1,
        last_backup=log.filter(kind=LogKind.BACKUP, status=LogStatus.DONE).first(),
        next_holidays=next_holidays_backup(user, clock.now()),
        entries=list(log[:LOG_LIMIT]),
        jobs=list(jobs_of(user, LogKind.BACKUP)[:5]),
    )


def jobs_of(user: User, kind: LogKind) -> QuerySet[ArchiveJob]:
    return ArchiveJob.objects.filter(school_id=user.school_id, kind=kind).select_related(
        "entry", "ordered_by", "period"
    )


def copyable_files(user: User) -> QuerySet[BackupLogEntry]:
    """Files a disk may carry: the finished backups and archives the user sees."""
    return access.visible_log(user).filter(
        kind__in=(LogKind.BACKUP, LogKind.ISO, LogKind.ARCHIVE), status=LogStatus.DONE
    )


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    archives: list[BackupLogEntry]
    job: ArchiveJob | None


def period_archives(user: User) -> list[PeriodRow]:
    """Every reporting period of the school with its made archives (latest first) and its latest job."""
    roles.require(access.reads_period_archives(user))
    periods = list(
        Period.objects.filter(school_id=user.school_id)
        .select_related("scheme__year")
        .order_by("-scheme__year__start", "scheme__grade_from", "start")
    )
    made = BackupLogEntry.objects.filter(school_id=user.school_id, kind=LogKind.ARCHIVE, status=LogStatus.DONE)
    by_period: dict[int, list[BackupLogEntry]] = {}
    for entry in made.order_by("-at", "-id"):
        by_period.setdefault(entry.details.get("period_id"), []).append(entry)
    latest: dict[int, ArchiveJob] = {}
    for job in jobs_of(user, LogKind.ARCHIVE).order_by("-ordered_at", "-id"):
        if job.period_id is not None:
            latest.setdefault(job.period_id, job)
    return [PeriodRow(period=p, archives=by_period.get(p.pk, []), job=latest.get(p.pk)) for p in periods]


def archive_running(rows: list[PeriodRow]) -> bool:
    return any(r.job is not None and r.job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for r in rows)
