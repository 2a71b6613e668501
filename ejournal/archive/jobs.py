"""Backups and period archives ordered from the pages or the API, made by the worker (never inside a request: a
backup of the installation takes minutes). The page follows the job's status, as it follows an import's.

The period archive's access code has to reach the worker, which is another process: the only channel is the
database. It goes there sealed, never in the clear: AES-256-GCM under a one-time key derived (HKDF) from
SECRET_KEY and a random salt kept with the ciphertext, the job's id as the associated data. SECRET_KEY lives in
the server's environment, never in the database, so a database dump or a full backup taken while the job waits
holds only ciphertext nobody can open. The worker erases the sealed code in the same transaction that takes the
job, before it makes the archive; a job the worker has not taken within `EXPIRE_QUEUED` is failed and its sealed
code erased by the hourly tick. The code is never in a URL, a log, the task queue's arguments or an error.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django_tasks import task

from ejournal.access import archive as access
from ejournal.access import roles, tenancy
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, DomainError, ValidationFailed
from ejournal.schools.models import Period, School

from .backup import make_backup
from .container import read_key_file
from .errors import ArchiveCode
from .models import ArchiveJob, BackupLogEntry, JobStatus, LogKind
from .period_archive import build_period_archive, check_code

# The worker takes a job within seconds; a day means it is down, and the sealed code must not wait for it.
EXPIRE_QUEUED = dt.timedelta(days=1)
# A worker killed in the middle leaves the job running forever; no backup or archive takes this long.
EXPIRE_RUNNING = dt.timedelta(hours=12)
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
CODE_LIMIT = 200


def _aead(salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"ejournal-archive-code-v1").derive(
        settings.SECRET_KEY.encode()
    )
    return AESGCM(key)


def seal(code: str, job_id: int) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return salt + nonce + _aead(salt).encrypt(nonce, code.encode(), str(job_id).encode())


def unseal(sealed: bytes, job_id: int) -> str:
    salt, nonce, body = sealed[:16], sealed[16:28], sealed[28:]
    try:
        return _aead(salt).decrypt(nonce, body, str(job_id).encode()).decode()
    except (InvalidTag, ValueError) as error:
        # SECRET_KEY changed between the order and the worker: the code is lost, the director orders again.
        raise ValidationFailed("Код доступа не удалось передать фоновому обработчику: закажите архив снова.") from error


def backup_dir() -> Path:
    if not settings.EJOURNAL_BACKUP_DIR:
        raise ValidationFailed(
            "Папка резервных копий не задана: оператор указывает её в EJOURNAL_BACKUP_DIR (например, внешний диск).",
            code=ArchiveCode.NO_FOLDER,
        )
    return Path(settings.EJOURNAL_BACKUP_DIR)


def archive_dir(school_id: int) -> Path:
    """A school's archives in a folder of their own: two schools' archives of the same second never collide."""
    return backup_dir() / "archives" / f"school-{school_id}"


def backup_key() -> bytes:
    """The page never writes a copy of every child's personal data unencrypted (the console may, with a warning)."""
    if not settings.EJOURNAL_BACKUP_KEY_FILE:
        raise ValidationFailed(
            "Ключ резервных копий не задан: без него копия с персональными данными всех учеников не делается. "
            "Оператор задаёт файл ключа в EJOURNAL_BACKUP_KEY_FILE.",
            code=ArchiveCode.NO_BACKUP_KEY,
        )
    try:
        return read_key_file(settings.EJOURNAL_BACKUP_KEY_FILE)
    except ValidationFailed as error:
        raise ValidationFailed(error.message, code=ArchiveCode.NO_BACKUP_KEY) from error


def school_count() -> int:
    return School.objects.count()


def _refuse_busy(school_id: int, kind: LogKind) -> None:
    if ArchiveJob.objects.filter(school_id=school_id, kind=kind, status__in=ACTIVE).exists():
        what = "Резервная копия" if kind == LogKind.BACKUP else "Архив периода"
        raise Conflict(f"{what} уже делается: дождитесь, пока задание закончится.", code=ArchiveCode.BUSY)


@transaction.atomic
def order_backup(*, actor: User) -> ArchiveJob:
    """«Сделать копию сейчас»: the administrator of a one-school installation; queued for the worker."""
    roles.require(access.administers_backups(actor))
    if not access.orders_backup(actor, schools=school_count()):
        raise Conflict(
            "В установке несколько школ: полную копию (всех школ) делает оператор — командой «ejournal backup» или "
            "автоматически на каникулах.",
            code=ArchiveCode.SEVERAL_SCHOOLS,
        )
    backup_dir()
    backup_key()
    assert actor.school_id is not None
    _refuse_busy(actor.school_id, LogKind.BACKUP)
    job = ArchiveJob.objects.create(
        school_id=actor.school_id, kind=LogKind.BACKUP, ordered_by=actor, ordered_at=clock.now()
    )
    run_job.enqueue(job.pk, job.school_id)
    job.refresh_from_db()  # as the worker left it, should it have run already (the immediate backend)
    return job


@transaction.atomic
def order_archive(*, actor: User, period: Period, code: object, repeated: object) -> ArchiveJob:
    """«Создать архив»: the director, with the code typed twice (as sent: a form's or a JSON body's values, taken
    exactly — spaces are part of a code); the code goes to the worker sealed."""
    roles.require(access.orders_period_archive(actor))
    tenancy.in_school_of(actor, period)
    code, repeated = _code(code, "code"), _code(repeated, "repeated")
    check_code(code, repeated)
    backup_dir()
    _refuse_busy(period.school_id, LogKind.ARCHIVE)
    job = ArchiveJob.objects.create(
        school_id=period.school_id, kind=LogKind.ARCHIVE, period=period, ordered_by=actor, ordered_at=clock.now()
    )
    job.sealed_code = seal(code, job.pk)
    job.save(update_fields=["sealed_code"])
    run_job.enqueue(job.pk, job.school_id)
    job.refresh_from_db()  # as the worker left it, should it have run already (the immediate backend)
    return job


def _code(raw: object, name: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > CODE_LIMIT:
        raise ValidationFailed(f"Код доступа — строка не длиннее {CODE_LIMIT} знаков.", field=name)
    return raw


@task()
def run_job(job_id: int, school_id: int) -> str:
    """The worker's part: the job's arguments are two ids, never the code."""
    return run(job_id=job_id, school_id=school_id).status


def _take(job_id: int, school_id: int) -> tuple[ArchiveJob, bytes] | None:
    with transaction.atomic():
        job = ArchiveJob.objects.select_for_update().filter(pk=job_id, school_id=school_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        sealed = bytes(job.sealed_code)
        job.sealed_code = b""  # erased before anything else happens, whatever happens next
        job.status = JobStatus.RUNNING
        job.started_at = clock.now()
        job.save(update_fields=["sealed_code", "status", "started_at"])
    return job, sealed


def run(*, job_id: int, school_id: int) -> ArchiveJob:
    taken = _take(job_id, school_id)
    if taken is None:
        return ArchiveJob.objects.get(pk=job_id, school_id=school_id)
    job, sealed = taken
    try:
        entry = _make(job, sealed)
    except DomainError as error:
        _finish(job, status=JobStatus.FAILED, error=error.message)
    except OSError as error:
        _finish(job, status=JobStatus.FAILED, error=f"Не удалось записать файл: {error.strerror or error}.")
    except Exception:
        _finish(job, status=JobStatus.FAILED, error="Внутренняя ошибка сервера; оператор видит её в журнале.")
        raise  # the worker logs it
    else:
        _finish(job, status=JobStatus.DONE, entry=entry)
    return job


def _make(job: ArchiveJob, sealed: bytes) -> BackupLogEntry | None:
    actor = job.ordered_by
    if job.kind == LogKind.BACKUP:
        # The rules again, as they are now: the installation may have got a second school since the order.
        if not access.orders_backup(actor, schools=school_count()):
            raise Conflict(
                "В установке несколько школ: полную копию делает оператор.", code=ArchiveCode.SEVERAL_SCHOOLS
            )
        made = make_backup(to_dir=backup_dir(), key=backup_key(), actor=actor)
        path = made.path
    else:
        code = unseal(sealed, job.pk)
        assert job.period is not None
        to_dir = archive_dir(job.school_id)
        to_dir.mkdir(parents=True, exist_ok=True)
        school = School.objects.get(pk=job.school_id)
        path = build_period_archive(actor=actor, school=school, period=job.period, access_code=code, to_dir=to_dir).path
    return BackupLogEntry.objects.filter(kind=job.kind, where=str(path)).order_by("-at", "-id").first()


def _finish(job: ArchiveJob, *, status: JobStatus, error: str = "", entry: BackupLogEntry | None = None) -> None:
    job.status = status
    job.error = error
    job.entry = entry
    job.finished_at = clock.now()
    job.save(update_fields=["status", "error", "entry", "finished_at"])


def expire(now: dt.datetime) -> int:
    """The hourly tick: a job the worker never took loses its sealed code; one that never ended is failed."""
    expired = 0
    stale = ArchiveJob.objects.filter(status=JobStatus.QUEUED, ordered_at__lt=now - EXPIRE_QUEUED)
    for job in stale.order_by("pk"):
        job.sealed_code = b""
        job.status = JobStatus.FAILED
        job.error = "Фоновый обработчик не взял задание за сутки; код доступа стёрт. Закажите снова."
        job.finished_at = now
        job.save(update_fields=["sealed_code", "status", "error", "finished_at"])
        expired += 1
    hung = ArchiveJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - EXPIRE_RUNNING)
    for job in hung.order_by("pk"):
        _finish(
            job, status=JobStatus.FAILED, error="Задание прервано (фоновый обработчик остановился). Закажите снова."
        )
        expired += 1
    return expired
