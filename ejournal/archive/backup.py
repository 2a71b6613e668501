"""The full backup: the whole database as a consistent snapshot and every file under MEDIA_ROOT, in one tar.gz
with a manifest (each member's SHA-256 and size, per-table figures, migration heads, engine, time, version),
encrypted with the administrator's key when one is set.

A file is reported done only when it is complete and checked: it is written under a hidden temporary name in the
target folder, fsynced, read back in full (decrypted, every checksum compared), and only then renamed to its
final name. A failure of any step — a full disk, a folder without write rights, a vanished disk — removes the
temporary file, so nothing that looks like a valid backup is left, and is logged.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.archive import snapshot
from ejournal.archive.container import EncryptingWriter
from ejournal.archive.disk import WriteFailed, file_digest, sync_directory, why
from ejournal.archive.iso import IsoResult, backup_readme, write_iso
from ejournal.archive.models import LogKind, LogStatus
from ejournal.archive.reading import FORMAT, FORMAT_VERSION, MANIFEST, read_backup
from ejournal.archive.services import log_entry
from ejournal.core.errors import DomainError

MEDIA_PREFIX = "media/"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sha256: str
    size: int
    encrypted: bool
    tables: int
    rows: int
    files: int
    iso: IsoResult | None = None
    iso_error: str = ""  # the backup is done and valid; only its image failed (logged)


def product_version() -> str:
    try:
        return metadata.version("ejournal")
    except metadata.PackageNotFoundError:
        return "unknown"


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT (symbolic links are not followed: they could point anywhere)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return found


def _dump_database(dest_dir: Path) -> tuple[str, Path, snapshot.DatabaseFigures]:
    settings_dict = connections["default"].settings_dict
    vendor = snapshot.vendor_of(settings_dict)
    dest = dest_dir / snapshot.DUMP_NAME[vendor]
    if vendor == snapshot.POSTGRESQL:
        return vendor, dest, snapshot.pg_dump(settings_dict, dest)
    # A connection of its own: it sees committed rows only, whatever transaction Django's connection is in.
    source = sqlite3.connect(f"file:{settings_dict['NAME']}?mode=ro", uri=True)
    try:
        return vendor, dest, snapshot.sqlite_dump(source, dest)
    finally:
        source.close()


def _write_tar(out: BinaryIO, manifest: dict[str, Any], members: list[tuple[str, Path]]) -> None:
    with tarfile.open(fileobj=out, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
        tar.addfile(info, io.BytesIO(data))
        for name, path in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = path.stat().st_size, int(path.stat().st_mtime), 0o600
            with open(path, "rb") as handle:
                tar.addfile(info, handle)


def _unique_name(to_dir: Path, stem: str, suffix: str) -> Path:
    candidate, n = to_dir / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = to_dir / f"{stem}-{n}{suffix}"
    return candidate


def make_backup(
    *, to_dir: Path, key: bytes | None, actor: User | None = None, occasion: str = "on_demand", iso: bool = True
) -> BackupResult:
    """Writes one verified backup file into `to_dir` and logs the run (done or failed). `occasion` is kept in
    the log ("holidays" for the automatic copy, which the tick looks for). With `iso` (the default: every full
    backup is also ready to burn) the ISO 9660 image of it is written beside it; a failed image leaves the backup
    done and valid, and is reported in `iso_error` (and logged)."""
    to_dir = Path(to_dir)
    created = timezone.now()
    final = _unique_name(to_dir, f"ejournal-{created:%Y%m%d-%H%M%S}", ".tar.gz.enc" if key else ".tar.gz")
    partial = to_dir / f".{final.name}.partial"
    staging: Path | None = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".ejournal-staging-", dir=to_dir))
        vendor, dump, figures = _dump_database(staging)
        members = [(snapshot.DUMP_NAME[vendor], dump), *_media_files(Path(settings.MEDIA_ROOT))]
        listed = {}
        for name, path in members:
            sha, size = file_digest(path)
            listed[name] = {"sha256": sha, "size": size}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "product_version": product_version(),
            "vendor": vendor,
            "database": snapshot.DUMP_NAME[vendor],
            "migrations": figures.migrations,
            "tables": {name: {"rows": t.rows, "checksum": t.checksum} for name, t in figures.tables.items()},
            "members": listed,
        }
        with open(partial, "xb") as raw:
            if key:
                writer = EncryptingWriter(raw, key)
                _write_tar(writer, manifest, members)  # type: ignore[arg-type]
                writer.close()
            else:
                _write_tar(raw, manifest, members)
            raw.flush()
            os.fsync(raw.fileno())
        read_backup(partial, key)  # the file as written on the disk, not what we meant to write
        sha, size = file_digest(partial)
        os.replace(partial, final)
        sync_directory(to_dir)  # the rename must reach the disk before we say the backup is done
    except (OSError, DomainError) as error:
        _remove(partial)
        message = (
            f"Резервная копия не записана в {to_dir}: {why(error)}. Файла копии не осталось."
            if isinstance(error, OSError)
            else error.message
        )
        log_entry(
            kind=LogKind.BACKUP,
            status=LogStatus.FAILED,
            what="Полная резервная копия",
            where=str(to_dir),
            actor=actor,
            details={"error": message, "occasion": occasion},
        )
        if isinstance(error, OSError):
            raise WriteFailed(message) from error
        raise
    except BaseException:
        # Interrupted (Ctrl+C, the worker stopping): the half-written file goes too. A process killed outright
        # leaves only the hidden `.partial` file, which is never taken for a backup and which restore refuses as cut.
        _remove(partial)
        raise
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    result = BackupResult(
        path=final,
        sha256=sha,
        size=size,
        encrypted=bool(key),
        tables=len(figures.tables),
        rows=sum(t.rows for t in figures.tables.values()),
        files=len(members) - 1,
    )
    details = {
        "occasion": occasion,
        "encrypted": bool(key),
        "tables": result.tables,
        "rows": result.rows,
        "files": result.files,
    }
    log_entry(
        kind=LogKind.BACKUP,
        status=LogStatus.DONE,
        what="Полная резервная копия (база данных и файлы)",
        where=str(final),
        size=size,
        sha256=sha,
        actor=actor,
        details=details,
    )
    if not iso:
        return result
    readme = backup_readme(name=final.name, sha256=sha, made=created, encrypted=bool(key), details=details)
    try:
        image = write_iso(source=final, readme=readme, of=LogKind.BACKUP, made=created, actor=actor)
    except DomainError as error:
        return replace(result, iso_error=error.message)
    return replace(result, iso=image)


def _remove(path: Path) -> None:
    """Removes a half-written file; a folder that is gone or not a folder leaves nothing to remove."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
