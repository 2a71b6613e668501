"""Imports: upload and check a file (the preview), then commit it whole or not at all, or cancel it.

The file is kept in the ImportBatch between the preview and the commit, so the administrator commits
exactly what was checked; the worker checks it again against the school as it is then and writes it in one
transaction. Any error, in the file or from a service while writing, and nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import unicodedata
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import task

from ejournal.access import interop as access
from ejournal.access import tenancy
from ejournal.accounts import services as people
from ejournal.accounts.models import Role, User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from ejournal.core.time import ru_date
from ejournal.schools.models import AcademicYear

from .errors import ImportsCode
from .kinds import ImportKind
from .models import ImportBatch, ImportStatus
from .planning import build_plan
from .plans import CREATE, ERROR, UNCHANGED, UPDATE, Context, Plan
from .tables import TableError, read_table

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Multipart framing and the form's other fields on top of the file itself.
BODY_OVERHEAD = 64 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",") if size >= 1024 * 1024 else f"{max(1, size // 1024)} КБ"


class FileTooLarge(ValidationFailed):
    status = 413
    code: StrEnum = ImportsCode.FILE_TOO_LARGE


def too_big(size: int) -> FileTooLarge:
    return FileTooLarge(
        f"Файл {size_text(size)} — больше допустимых {size_text(max_bytes())}: разделите список на несколько файлов.",
        field="file",
    )


def check_request_size(content_length: str | None) -> None:
    """A request longer than the largest allowed file is refused by its declared length, before Django reads
    (and stores) the upload."""
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    if length > max_bytes() + BODY_OVERHEAD:
        raise too_big(length)


def clean_file_name(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "файл"


def _fill(batch: ImportBatch, plan: Plan) -> None:
    batch.rows_total = len(plan.rows)
    batch.created_count = plan.count(CREATE)
    batch.updated_count = plan.count(UPDATE)
    batch.unchanged_count = plan.count(UNCHANGED)
    batch.error_count = plan.count(ERROR)
    batch.report = {**batch.report, "rows": [r.as_report() for r in plan.rows], "confirm": plan.confirmations}


# «роль директора», «роль администратора»: the roles a file may give only with the granter's password.
ROLE_GENITIVE: dict[str, str] = {Role.ADMIN: "администратора", Role.DIRECTOR: "директора"}
WRONG_PASSWORD = (
    "Неверный пароль: импорт не выполнен. Файл выдаёт роль администратора или директора — введите свой текущий пароль."
)


def needs_password(batch: ImportBatch) -> bool:
    """The batch's file gives someone the administrator's or the director's role (new people and added roles)."""
    return bool(batch.report.get("confirm"))


def confirmation_text(batch: ImportBatch) -> str:
    """«Файл выдаёт роль директора: Иванов И. И.; для выполнения введите свой пароль», or "" if none."""
    names: dict[str, list[str]] = {}
    for item in batch.report.get("confirm", []):
        for role in item["roles"]:
            names.setdefault(role, []).append(item["name"])
    if not names:
        return ""
    parts = [f"роль {ROLE_GENITIVE.get(role, role)}: {', '.join(who)}" for role, who in sorted(names.items())]
    return f"Файл выдаёт {'; '.join(parts)}; для выполнения введите свой пароль."


def _plan(batch: ImportBatch, data: bytes) -> Plan:
    return build_plan(
        kind=batch.kind, rows=read_table(data), school_id=batch.school_id, year=batch.year, start=batch.start
    )


@transaction.atomic
def upload(
    *, actor: User, kind: str, file_name: str, data: bytes, year: AcademicYear, start: dt.date | None = None
) -> ImportBatch:
    """Check a file and keep it for the commit when it has no errors. A file over IMPORT_MAX_BYTES is refused
    before it is read; a file that is no table, or lacks columns, is kept as a refused import with the reason."""
    access.require_may_import(actor)
    tenancy.in_school_of(actor, year)
    if kind not in ImportKind.values:
        raise ValidationFailed(
            "Выберите, что импортируется: классы, ученики, родители или сотрудники.",
            code=ImportsCode.UNKNOWN_KIND,
            field="kind",
        )
    if len(data) > max_bytes():
        raise too_big(len(data))
    start = start or year.start
    if not year.contains(start):
        raise ValidationFailed(
            f"Дата зачисления {ru_date(start)} вне учебного года {year.name} "
            f"({ru_date(year.start)}–{ru_date(year.end)}).",
            code=ImportsCode.OUTSIDE_YEAR,
            field="start",
        )
    sha256 = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        school_id=actor.school_id,
        kind=kind,
        year=year,
        start=start,
        file_name=clean_file_name(file_name),
        file_size=len(data),
        file_sha256=sha256,
        created_by=actor,
        report={},
    )
    earlier = (
        ImportBatch.objects.filter(
            school_id=actor.school_id, kind=kind, file_sha256=sha256, status=ImportStatus.COMMITTED
        )
        .order_by("-committed_at")
        .values_list("pk", flat=True)
        .first()
    )
    if earlier:
        batch.report["same_file_as"] = earlier
    try:
        plan = _plan(batch, data)
    except TableError as e:
        batch.status = ImportStatus.REJECTED
        batch.error_count = 1
        batch.report["file_error"] = e.message
    else:
        _fill(batch, plan)
        if plan.has_errors:
            batch.status = ImportStatus.REJECTED
        else:
            batch.status = ImportStatus.READY
            batch.content = data
    batch.save()
    return batch


def _locked(actor: User, batch: ImportBatch) -> ImportBatch:
    access.require_may_import(actor)
    locked = (
        access.visible_batches(actor).select_for_update(of=("self",)).select_related("year").filter(pk=batch.pk).first()
    )
    if locked is None:
        raise NotFound()
    if locked.status != ImportStatus.READY:
        raise Conflict(
            f"Импорт №{locked.pk} уже {locked.get_status_display()}: повторно его не выполнить.",
            code=ImportsCode.ALREADY_DONE,
        )
    return locked


def request_commit(
    *, actor: User, batch: ImportBatch, password: str | None = None, request: HttpRequest | None = None
) -> ImportBatch:
    """Queue the checked import for the worker: a thousand rows through the services take longer than a request
    should (docs/architecture.md: imports never run inside a request). The page follows the status.

    A file that gives the administrator's or the director's role needs the actor's current password, as the
    person's card does (accounts.services.grant_role): a wrong or missing one queues nothing, is kept in the
    security log and counts like a failed sign-in; a right one marks the batch confirmed for the worker
    (report["confirmed"])."""
    access.require_may_import(actor)
    confirm = needs_password(batch)
    if confirm:
        # Before the queueing transaction: the refusal stays in the log though nothing is queued.
        granted = sorted({role for item in batch.report.get("confirm", []) for role in item["roles"]})
        people.require_granter_password(
            actor=actor,
            password=password,
            request=request,
            refusal=f"Импорт №{batch.pk} не выполнен: неверный пароль для выдачи ролей.",
            message=WRONG_PASSWORD,
            details={"batch": batch.pk, "roles": granted},
        )
    return _queue(actor=actor, batch=batch, confirmed=confirm)


@transaction.atomic
def _queue(*, actor: User, batch: ImportBatch, confirmed: bool) -> ImportBatch:
    batch = _locked(actor, batch)
    fields = ["status", "committed_by"]
    if needs_password(batch):
        if not confirmed:  # the file was replaced between the password check and the lock: nothing is queued
            raise Conflict("Импорт изменился: откройте его снова.", code=ImportsCode.CHANGED)
        # What was confirmed: the worker refuses a plan that grants more (the school changed meanwhile).
        grants = [[item["row"], role] for item in batch.report["confirm"] for role in item["roles"]]
        batch.report = {**batch.report, "confirmed": {"by": actor.pk, "grants": grants}}
        fields.append("report")
    batch.status = ImportStatus.QUEUED
    batch.committed_by = actor
    batch.save(update_fields=fields)
    run_import.enqueue(batch.pk, batch.school_id)
    return _batches(batch.school_id).get(pk=batch.pk)


def _batches(school_id: int | None) -> QuerySet[ImportBatch]:
    """The school's imports: the worker is told the school with the batch, so its reads name it (Citus routes
    by school_id). A task queued before the school was passed (None) finds the batch by its key alone."""
    return ImportBatch.objects.all() if school_id is None else ImportBatch.objects.filter(school_id=school_id)


@task()
def run_import(batch_id: int, school_id: int | None = None) -> str:
    """The import's commit runs in the worker (django-tasks), never inside the administrator's request.
    Defined beside the commit it runs: a separate tasks module imported this one while `_queue` imported it
    back, a circle that only a hidden import inside the function kept from failing."""
    return run_commit(batch_id=batch_id, school_id=school_id).status


def run_commit(*, batch_id: int, school_id: int | None = None) -> ImportBatch:
    """The worker's part: import in one transaction, or mark the import failed and change nothing."""
    try:
        return _commit(batch_id, school_id)
    except Exception as e:
        with transaction.atomic():
            batch = _batches(school_id).select_for_update().get(pk=batch_id)
            batch.status = ImportStatus.FAILED
            batch.content = b""
            message = e.message if isinstance(e, DomainError) else "внутренняя ошибка сервера"
            batch.report = {**batch.report, "commit_error": message}
            batch.save(update_fields=["status", "content", "report"])
        if not isinstance(e, DomainError):
            raise  # the worker logs it
        return batch


@transaction.atomic
def _commit(batch_id: int, school_id: int | None) -> ImportBatch:
    """Check the kept file again against the school as it is now; if a row became wrong, nothing is written
    and the import is refused with the new report. Else write every row through the services."""
    batch = _batches(school_id).select_for_update(of=("self",)).select_related("year", "committed_by").get(pk=batch_id)
    if batch.status != ImportStatus.QUEUED:
        return batch
    actor = batch.committed_by
    assert actor is not None  # request_commit sets it
    started = time.monotonic()
    plan = _plan(batch, bytes(batch.content))
    confirmed = _refuse_unconfirmed(batch, plan, actor)
    _fill(batch, plan)
    batch.content = b""
    if plan.has_errors:
        batch.status = ImportStatus.REJECTED
        batch.report["stale"] = True
        batch.save()
        return batch
    plan.apply(Context(actor=actor, year=batch.year, start=batch.start, confirmed=confirmed))
    batch.status = ImportStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.report["seconds"] = round(time.monotonic() - started, 2)
    batch.save()
    record(
        kind=EventKind.IMPORT,
        summary=(
            f"Импорт №{batch.pk} ({batch.get_kind_display()}): строк {batch.rows_total}, "
            f"создано {batch.created_count}, изменено {batch.updated_count}, без изменений {batch.unchanged_count}"
        ),
        actor=actor,
        details={
            "batch": batch.pk,
            "kind": batch.kind,
            "rows": batch.rows_total,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "sha256": batch.file_sha256,
        },
    )
    return batch


def _refuse_unconfirmed(batch: ImportBatch, plan: Plan, actor: User) -> bool:
    """Make every grant of the administrator's or the director's role that the committing administrator did not
    confirm with their password an error of its row (the school changed since the preview, or the batch was
    queued without a password). Returns whether the plan grants such roles, all confirmed."""
    confirmed = batch.report.get("confirmed") or {}
    allowed = {(row, role) for row, role in confirmed.get("grants", [])} if confirmed.get("by") == actor.pk else set()
    grants = False
    for row in plan.rows:
        for role in row.confirm:
            grants = True
            if (row.row, role) not in allowed:
                row.error(
                    "Роли",
                    f"роль {ROLE_GENITIVE.get(role, role)} выдаётся только после подтверждения паролем: "
                    "загрузите файл снова и введите пароль",
                )
    return grants and not plan.has_errors


@transaction.atomic
def discard(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Cancel a checked import; its file is dropped."""
    batch = _locked(actor, batch)
    batch.status = ImportStatus.DISCARDED
    batch.content = b""
    batch.save(update_fields=["status", "content"])
    return batch
