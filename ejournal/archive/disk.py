"""Files on the backup disk: their checksum, and a rename that reaches the disk. Shared by full backups, the
period archive and restore, which all write a file under a hidden name, verify it, then give it its name."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
