"""Files on the backup disk: their checksum, and a rename that reaches the disk. Shared by full backups, the
period archive and restore, which all write a file under a hidden name, verify it, then give it its name."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

from ejournal.archive.errors import ArchiveCode
from ejournal.core.errors import DomainError


class WriteFailed(DomainError):
    """The disk refused a write (full, read-only, missing): 507 with the Russian reason."""

    status = 507
    code = ArchiveCode.WRITE_FAILED


def why(error: OSError) -> str:
    """The operator's words for a failed write."""
    if error.errno == errno.ENOSPC:
        return "на диске нет места"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "нет прав на запись в папку"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "папки нет (диск не подключён?)"
    return str(error.strerror or error)


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read once in 1 MiB chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def sync_directory(path: Path) -> None:
    """The rename itself on the disk (POSIX: the directory's entry); raises OSError where the file system
    refuses to sync a directory."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
