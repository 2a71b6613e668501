"""Copies going out of the server: a backup or an archive file copied to a disk handed over to someone (recorded
by hand, from the page or the API) and a period archive downloaded through the browser. Both are «выдача копии»
entries of the backup log, pointing at the file's own entry (details["source"]); the act of hand-over is printed
from such an entry (forms_pdf.act)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ejournal.access import archive as access
from ejournal.access import roles
from ejournal.accounts.models import User
from ejournal.core.errors import DomainError, NotFound, ValidationFailed
from ejournal.core.inputs import id_or_none, text_field

from .errors import ArchiveCode
from .models import BackupLogEntry, LogKind, LogStatus
from .overview import copyable_files
from .services import log_entry

LABEL_LIMIT = 100
NAME_LIMIT = 200


class FileGone(DomainError):
    status = 410
    code = ArchiveCode.FILE_GONE


def _source(user: User, raw: object) -> BackupLogEntry:
    # Not a number is no file of the log either: one message for whatever does not name a finished file.
    entry_id = id_or_none(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    source = copyable_files(user).filter(pk=entry_id).first() if entry_id is not None else None
    if source is None:
        raise ValidationFailed(
            "Такого файла нет в журнале резервных копий: выберите сделанную резервную копию или архив периода.",
            code=ArchiveCode.UNKNOWN_FILE,
            field="entry",
        )
    return source


def record_copy_out(
    *, actor: User, entry: object, label: object, recipient: object, holder: object = ""
) -> BackupLogEntry:
    """The raw values as they arrive (form or JSON): parsed here, refused in Russian naming the field."""
    roles.require(access.records_copy_out(actor))
    source = _source(actor, entry)
    disk = text_field(label, "label", limit=LABEL_LIMIT)
    if not disk:
        raise ValidationFailed(
            "Укажите метку диска (надпись на диске или его номер), на который записана копия.",
            code=ArchiveCode.NO_LABEL,
            field="label",
        )
    to_whom = text_field(recipient, "recipient", limit=NAME_LIMIT)
    if not to_whom:
        raise ValidationFailed(
            "Укажите, кому передан диск (должность, фамилия и инициалы).", code=ArchiveCode.NO_LABEL, field="recipient"
        )
    hands_over = text_field(holder, "holder", limit=NAME_LIMIT) or actor.full_name
    return log_entry(
        kind=LogKind.COPY_OUT,
        status=LogStatus.DONE,
        what=f"{source.what}: записана на диск «{disk}»",
        where=disk,
        size=source.size,
        sha256=source.sha256,
        school=actor.school,
        actor=actor,
        details={"source": source.pk, "file": Path(source.where).name, "holder": hands_over, "recipient": to_whom},
    )


def archive_file(*, actor: User, entry_id: int) -> tuple[BackupLogEntry, bytes]:
    """The made period archive for download (it is encrypted: the code opens it), logged as a copy-out."""
    roles.require(access.downloads_period_archive(actor))
    source = copyable_files(actor).filter(pk=entry_id, kind=LogKind.ARCHIVE, school_id=actor.school_id).first()
    if source is None:
        raise NotFound()
    try:
        content = Path(source.where).read_bytes()
    except OSError as error:
        raise FileGone(
            f"Файла архива нет там, где он был записан ({source.where}): диск отключён или файл перенесён."
        ) from error
    if hashlib.sha256(content).hexdigest() != source.sha256:
        raise ValidationFailed(
            "Файл архива на диске изменён: его SHA-256 не совпадает с записанной при создании. Скачивать его нельзя.",
            code=ArchiveCode.DAMAGED_FILE,
        )
    log_entry(
        kind=LogKind.COPY_OUT,
        status=LogStatus.DONE,
        what=f"{source.what}: скачан через браузер",
        where="скачан через браузер",
        size=len(content),
        sha256=source.sha256,
        school=actor.school,
        actor=actor,
        details={"source": source.pk, "file": Path(source.where).name, "download": True},
    )
    return source, content
