"""Restore of a full backup — into an empty installation, into a scratch database (the drill), or over the live
database with a confirmation — with a verification of what was restored.

Order, and why:
1. The whole file is read and checked against its manifest into a staging folder (decrypted, every checksum)
   before the target is touched: a tampered, truncated, foreign or wrongly keyed file changes nothing. The ISO
   image of a backup is accepted too: its sums are checked and the backup file inside is taken out first.
2. Into an empty installation (the default), the target must hold no school and no uploaded files. Over the live
   database (`into_empty=False`, the caller has had the operator confirm), an automatic full backup of the
   current state is made first; if it cannot be made, nothing starts. The live files are moved aside, and put
   back if the restore fails.
3. The database is loaded, and every table is compared with the manifest (row count and the checksum of its
   rows ordered by the primary key) BEFORE migrations: a migration may rightly change rows, and the comparison
   is of the restored data with the backup as it was made.
4. The files are copied under MEDIA_ROOT and each is hashed again where it landed.
5. Migrations run, so a backup of an older version comes up in today's schema; the applied ones are reported.
Each run is written to the backup log (done, failed verification, or refused). After a restore over the live
database the log is the restored one (the backup's), plus the entry of this restore naming the automatic backup.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from ejournal.accounts.models import User
from ejournal.archive import snapshot
from ejournal.archive.backup import MEDIA_PREFIX, BackupResult, make_backup
from ejournal.archive.disk import WriteFailed, file_digest
from ejournal.archive.errors import ArchiveCode
from ejournal.archive.iso import extract_backup, is_image
from ejournal.archive.models import LogKind, LogStatus
from ejournal.archive.reading import read_backup
from ejournal.archive.services import log_entry
from ejournal.core.errors import Conflict, DomainError


@dataclass(frozen=True)
class Target:
    """Where to restore: a database (Django settings of one connection) and the folder of uploaded files.
    `alias` is the Django connection's name when the target is a configured database ("default" for the
    installation itself); a scratch target (a drill, a test) gets a temporary alias for its migrations."""

    settings_dict: dict[str, Any]
    media_root: Path
    alias: str | None = None

    @property
    def vendor(self) -> str:
        return snapshot.vendor_of(self.settings_dict)


def installation() -> Target:
    return Target(
        settings_dict=connections["default"].settings_dict, media_root=Path(settings.MEDIA_ROOT), alias="default"
    )


@dataclass(frozen=True)
class TableCheck:
    name: str
    expected_rows: int
    found_rows: int | None  # None: the table is missing after the load
    ok: bool


@dataclass(frozen=True)
class FileCheck:
    name: str
    ok: bool


@dataclass(frozen=True)
class Verification:
    path: Path
    created_at: str
    product_version: str
    tables: list[TableCheck]
    files: list[FileCheck]
    migrations_applied: list[str] = field(default_factory=list)
    backup_before: Path | None = None  # over the live database: the automatic backup made first

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables) and all(f.ok for f in self.files)

    @property
    def rows(self) -> int:
        return sum(t.expected_rows for t in self.tables)


def _has_data(target: Target) -> bool:
    if target.vendor == snapshot.POSTGRESQL:
        schools = snapshot.pg_has_schools(target.settings_dict)
    else:
        schools = snapshot.sqlite_has_schools(Path(target.settings_dict["NAME"]))
    media = target.media_root.is_dir() and any(p.is_file() for p in target.media_root.rglob("*"))
    return schools or media


def _load(target: Target, dump: Path) -> snapshot.DatabaseFigures:
    if target.alias:
        connections[target.alias].close()  # the file or schema is replaced under it
    if target.vendor == snapshot.POSTGRESQL:
        snapshot.pg_load(dump, target.settings_dict)
        return snapshot.pg_figures(target.settings_dict)
    path = Path(target.settings_dict["NAME"])
    snapshot.sqlite_load(dump, path)
    return snapshot.sqlite_figures(path)


def _compare_tables(manifest: dict[str, Any], found: snapshot.DatabaseFigures) -> list[TableCheck]:
    checks = []
    for name, expected in sorted(manifest["tables"].items()):
        got = found.tables.get(name)
        checks.append(
            TableCheck(
                name=name,
                expected_rows=expected["rows"],
                found_rows=got.rows if got else None,
                ok=bool(got and got.rows == expected["rows"] and got.checksum == expected["checksum"]),
            )
        )
    return checks


def _copy_files(manifest: dict[str, Any], staging: Path, media_root: Path) -> list[FileCheck]:
    checks = []
    for name, expected in sorted(manifest["members"].items()):
        if not name.startswith(MEDIA_PREFIX):
            continue
        dest = media_root / name[len(MEDIA_PREFIX) :]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(staging / name, dest)
        sha, size = file_digest(dest)
        checks.append(FileCheck(name=name, ok=sha == expected["sha256"] and size == expected["size"]))
    return checks


@contextmanager
def _alias(target: Target) -> Iterator[str]:
    """The target's Django connection: the configured one, or a run-time alias for a scratch database (a drill),
    removed afterwards."""
    if target.alias:
        yield target.alias
        return
    alias = f"restore_{uuid.uuid4().hex[:8]}"
    connections.settings[alias] = dict(target.settings_dict)
    try:
        # Connected at once: Django's test isolation refuses lazy connections to aliases it did not set up.
        connections[alias].connect()
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _migrate(target: Target) -> list[str]:
    """The same `migrate` as an upgrade, with its post-migrate steps; returns the migrations it applied."""
    with _alias(target) as alias:
        before = set(MigrationRecorder(connections[alias]).applied_migrations())
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        after = set(MigrationRecorder(connections[alias]).applied_migrations())
    return sorted(f"{app}.{name}" for app, name in after - before)


BEFORE_RESTORE = "before_restore"


def _backup_first(to_dir: Path | None, key: bytes | None, actor: User | None) -> BackupResult:
    """The automatic full backup of the current state before a restore over it; a failure refuses the restore."""
    if to_dir is None:
        raise Conflict(
            "Не задана папка для автоматической копии текущего состояния (--backup-to или EJOURNAL_BACKUP_DIR): "
            "без неё восстановление поверх работающей базы не начинается.",
            code=ArchiveCode.NOT_EMPTY,
        )
    try:
        return make_backup(to_dir=to_dir, key=key, actor=actor, occasion=BEFORE_RESTORE, iso=False)
    except DomainError as error:
        raise Conflict(
            f"Автоматическая копия текущего состояния не сделана: {error.message} Восстановление не начато, "
            "база и файлы не изменены.",
            code=ArchiveCode.WRITE_FAILED,
        ) from error


def _move_aside(media_root: Path) -> Path | None:
    """The live files go aside (same disk: a rename), to come back if the restore fails."""
    if not media_root.exists():
        return None
    aside = media_root.with_name(f".{media_root.name}.before-restore-{uuid.uuid4().hex[:8]}")
    os.replace(media_root, aside)
    return aside


def _put_back(media_root: Path, aside: Path | None) -> None:
    if aside is None:
        return
    shutil.rmtree(media_root, ignore_errors=True)
    os.replace(aside, media_root)


def restore(
    *,
    path: Path,
    key: bytes | None,
    into_empty: bool = True,
    target: Target | None = None,
    actor: User | None = None,
    backup_to: Path | None = None,
    occasion: str = "",
) -> Verification:
    """`into_empty=False` restores over the live installation (the caller has had the operator confirm it):
    an automatic backup into `backup_to` comes first. `occasion` is kept in the log (the drill's schedule)."""
    target = target or installation()
    if not into_empty and target.alias != "default":
        raise ValueError("over the live database means the installation's own database")
    kind = LogKind.RESTORE if target.alias == "default" else LogKind.DRILL
    what = f"Восстановление из {Path(path).name}" + ("" if into_empty else " поверх работающей базы")
    base = {"occasion": occasion} if occasion else {}
    staging = Path(tempfile.mkdtemp(prefix="ejournal-restore-"))
    before: BackupResult | None = None
    aside: Path | None = None
    try:
        source = Path(path)
        if is_image(source):  # the ISO image of a burned disc: checked, and its backup file taken out
            source = extract_backup(source, staging / ".image")
        manifest = read_backup(source, key, extract_to=staging)
        snapshot.refuse_other_vendor(manifest["vendor"], target.vendor)
        if into_empty and _has_data(target):
            raise Conflict(
                "В этой установке уже есть школы или загруженные файлы: восстанавливают в пустую установку "
                "(новая база после «ejournal migrate», пустая папка файлов) или, с подтверждением, поверх "
                "работающей базы («ejournal restore ФАЙЛ --over-live»).",
                code=ArchiveCode.NOT_EMPTY,
            )
        if not into_empty:
            before = _backup_first(backup_to, key, actor)
            base["backup_before"], base["backup_before_sha256"] = str(before.path), before.sha256
            aside = _move_aside(target.media_root)
        tables = _compare_tables(manifest, _load(target, staging / manifest["database"]))
        files = _copy_files(manifest, staging, target.media_root)
        applied = _migrate(target)
    except DomainError as error:
        _put_back(target.media_root, aside)
        log_entry(
            kind=kind,
            status=LogStatus.REFUSED,
            what=what,
            where=str(path),
            actor=actor,
            details={**base, "error": error.message},
        )
        raise
    except OSError as error:
        _put_back(target.media_root, aside)
        message = f"Восстановление прервано: {error.strerror or error}."
        if before is not None:
            message += f" Состояние до восстановления сохранено в {before.path}: восстановите из неё."
        log_entry(
            kind=kind,
            status=LogStatus.FAILED,
            what=what,
            where=str(path),
            actor=actor,
            details={**base, "error": message},
        )
        raise WriteFailed(message) from error
    except BaseException:
        _put_back(target.media_root, aside)  # a database error, Ctrl+C: the live files are not left aside
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)  # those files are in the automatic backup made first
    verification = Verification(
        path=Path(path),
        created_at=manifest["created_at"],
        product_version=manifest["product_version"],
        tables=tables,
        files=files,
        migrations_applied=applied,
        backup_before=before.path if before else None,
    )
    log_entry(
        kind=kind,
        status=LogStatus.DONE if verification.ok else LogStatus.FAILED,
        what=what,
        where=str(path),
        actor=None if before else actor,  # over the live database: the restored users are not the ones before
        details={
            **base,
            "tables": len(tables),
            "rows": verification.rows,
            "files": len(files),
            "mismatched": [t.name for t in tables if not t.ok] + [f.name for f in files if not f.ok],
            "migrations_applied": applied,
        },
    )
    return verification
