"""The restore drill (проверочное восстановление): a backup is restored into a scratch database and a scratch
folder, verified table by table and file by file, and thrown away. It proves the copies can really be restored
before the day they are needed, and it never touches the live database: its only write there is the log entry.

Scratch: SQLite, a file in a temporary folder; PostgreSQL, a database created for the drill on the same server
(the installation's role needs CREATEDB) and dropped afterwards. A drill that fails — the file missing (disk not
connected), refused (damaged, wrong key), or restored with differences — is logged as a failed `drill` entry
with the reason, and the administrators of every school of the installation are told.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connections

from ejournal.access import archive as archive_access
from ejournal.accounts.models import User
from ejournal.archive import snapshot
from ejournal.archive.errors import ArchiveCode
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.restore import Target, Verification, restore
from ejournal.archive.services import log_entry
from ejournal.core.errors import Conflict, DomainError
from ejournal.notifications.services import notify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrillResult:
    path: Path
    ok: bool
    reason: str = ""
    verification: Verification | None = None


def latest_backup() -> Path | None:
    """The newest backup the log says was made and verified (its ISO image is the same file)."""
    entry = BackupLogEntry.objects.filter(kind=LogKind.BACKUP, status=LogStatus.DONE).order_by("-at", "-id").first()
    return Path(entry.where) if entry else None


@contextmanager
def scratch_target() -> Iterator[Target]:
    """An empty database of the installation's engine and an empty folder, removed afterwards whatever happens."""
    live = connections["default"].settings_dict
    folder = Path(tempfile.mkdtemp(prefix="ejournal-drill-"))
    try:
        if snapshot.vendor_of(live) == snapshot.SQLITE:
            yield Target(settings_dict={**live, "NAME": str(folder / "drill.sqlite3")}, media_root=folder / "media")
            return
        name = f"ejournal_drill_{uuid.uuid4().hex[:12]}"
        with snapshot.pg_connect(live, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield Target(settings_dict={**live, "NAME": name}, media_root=folder / "media")
        finally:
            with snapshot.pg_connect(live, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_drill(
    *, path: Path | None = None, key: bytes | None, actor: User | None = None, occasion: str = "on_demand"
) -> DrillResult:
    """Restores `path` (or the latest backup) into a scratch target and verifies it. Never raises for a failed
    drill: the result says why, the log has it, the administrators are told."""
    path = path or latest_backup()
    if path is None:
        raise Conflict("Ещё нет ни одной резервной копии: проверять нечего.", code=ArchiveCode.NOT_EMPTY)

    def failed_before_restore(reason: str) -> DrillResult:
        """A failure `restore` did not get to log: the drill logs it itself."""
        log_entry(
            kind=LogKind.DRILL,
            status=LogStatus.FAILED,
            what=f"Проверочное восстановление из {Path(path).name}",
            where=str(path),
            actor=actor,
            details={"occasion": occasion, "error": reason},
        )
        return _failed(Path(path), reason)

    if not Path(path).is_file():
        return failed_before_restore(f"Файла копии {path} нет (диск с копиями не подключён?).")
    try:
        with scratch_target() as target:
            verification = restore(path=Path(path), key=key, target=target, actor=actor, occasion=occasion)
    except DomainError as error:  # refused or interrupted: `restore` has logged it
        return _failed(Path(path), error.message)
    except (OSError, psycopg.Error) as error:  # the scratch database could not be made
        return failed_before_restore(f"Не удалось создать временную базу для проверки: {error}")
    if not verification.ok:
        bad = [t.name for t in verification.tables if not t.ok] + [f.name for f in verification.files if not f.ok]
        return _failed(Path(path), f"Восстановленные данные не совпали с копией: {', '.join(bad)}.", verification)
    return DrillResult(path=Path(path), ok=True, verification=verification)


def _failed(path: Path, reason: str, verification: Verification | None = None) -> DrillResult:
    title = "Проверочное восстановление резервной копии не удалось"
    text = (
        f"Копию {path.name} не удалось восстановить для проверки: {reason} "
        "Пока причина не устранена, восстановиться из этой копии, возможно, не выйдет. "
        "Подробности — в журнале резервных копий; сообщите оператору установки."
    )
    for recipient in archive_access.backup_alert_recipients():
        notify(recipient=recipient, event="message", title=title, text=text, dedupe_key=f"drill:{path.name}")
    log.warning("restore drill of %s failed: %s", path, reason)
    return DrillResult(path=path, ok=False, reason=reason, verification=verification)
