"""Restore of a full backup into an EMPTY installation, with a verification of what was restored.

Order, and why:
1. The whole file is read and checked against its manifest into a staging folder (decrypted, every checksum)
   before the target is touched: a tampered, truncated, foreign or wrongly keyed file changes nothing.
2. The target must hold no school (and no uploaded files): restoring over a live database needs a confirmation
   and an automatic backup first, which is a later step; until then it is refused.
3. The database is loaded, and every table is compared with the manifest (row count and the checksum of its
   rows ordered by the primary key) BEFORE migrations: a migration may rightly change rows, and the comparison
   is of the restored data with the backup as it was made.
4. The files are copied under MEDIA_ROOT and each is hashed again where it landed.
5. Migrations run, so a backup of an older version comes up in today's schema; the applied ones are reported.
Each run is written to the backup log (done, failed verification, or refused).
"""

from __future__ import annotations

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
from ejournal.archive.backup import MEDIA_PREFIX, WriteFailed
from ejournal.archive.disk import file_digest
from ejournal.archive.errors import ArchiveCode
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


def restore(
    *,
    path: Path,
    key: bytes | None,
    into_empty: bool = True,
    target: Target | None = None,
    actor: User | None = None,
) -> Verification:
    target = target or installation()
    kind = LogKind.RESTORE if target.alias == "default" else LogKind.DRILL
    what = f"Восстановление из {Path(path).name}"
    staging = Path(tempfile.mkdtemp(prefix="ejournal-restore-"))
    try:
        if not into_empty:
            raise Conflict(
                "Восстановление поверх работающей базы ещё не сделано: восстанавливайте в пустую установку.",
                code=ArchiveCode.NOT_EMPTY,
            )
        manifest = read_backup(Path(path), key, extract_to=staging)
        snapshot.refuse_other_vendor(manifest["vendor"], target.vendor)
        if _has_data(target):
            raise Conflict(
                "В этой установке уже есть школы или загруженные файлы: восстанавливают только в пустую установку "
                "(новая база после «ejournal migrate», пустая папка файлов).",
                code=ArchiveCode.NOT_EMPTY,
            )
        tables = _compare_tables(manifest, _load(target, staging / manifest["database"]))
        files = _copy_files(manifest, staging, target.media_root)
        applied = _migrate(target)
    except DomainError as error:
        log_entry(
            kind=kind,
            status=LogStatus.REFUSED,
            what=what,
            where=str(path),
            actor=actor,
            details={"error": error.message},
        )
        raise
    except OSError as error:
        message = f"Восстановление прервано: {error.strerror or error}."
        log_entry(
            kind=kind, status=LogStatus.FAILED, what=what, where=str(path), actor=actor, details={"error": message}
        )
        raise WriteFailed(message) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    verification = Verification(
        path=Path(path),
        created_at=manifest["created_at"],
        product_version=manifest["product_version"],
        tables=tables,
        files=files,
        migrations_applied=applied,
    )
    log_entry(
        kind=kind,
        status=LogStatus.DONE if verification.ok else LogStatus.FAILED,
        what=what,
        where=str(path),
        actor=actor,
        details={
            "tables": len(tables),
            "rows": verification.rows,
            "files": len(files),
            "mismatched": [t.name for t in tables if not t.ok] + [f.name for f in files if not f.ok],
            "migrations_applied": applied,
        },
    )
    return verification
