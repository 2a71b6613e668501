"""Reading a backup file back: shared by the backup's own check before it calls a file done and by restore.

The tar stream is read once, front to back: `manifest.json` first (our format's mark, every member's SHA-256 and
size), then each member hashed as it streams and, for restore, written into a staging folder. Anything that does
not add up — a foreign first member, a member the manifest does not name, a checksum or size that differs, a
member missing at the end, a gzip or tag error, a cut stream — refuses the whole file before anything is used.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tarfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from ejournal.archive.container import FOREIGN, damaged, open_for_reading
from ejournal.archive.errors import ArchiveCode
from ejournal.core.errors import DomainError, ValidationFailed

FORMAT = "ejournal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_STREAM_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError)


def safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and name == str(path)


def _manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise ValidationFailed(FOREIGN, code=ArchiveCode.FOREIGN_FILE)
    handle = tar.extractfile(first)
    assert handle is not None
    try:
        manifest = json.loads(handle.read())
    except ValueError as error:
        raise ValidationFailed(FOREIGN, code=ArchiveCode.FOREIGN_FILE) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValidationFailed(FOREIGN, code=ArchiveCode.FOREIGN_FILE)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed(
            f"Резервная копия сделана более новой версией журнала (формат {manifest.get('format_version')}): "
            "обновите программу и восстановите снова.",
            code=ArchiveCode.FOREIGN_FILE,
        )
    members = manifest.get("members")
    if not isinstance(members, dict) or not all(safe_member_name(name) for name in members):
        raise damaged("Опись копии испорчена.")
    return manifest


def read_backup(path: Path, key: bytes | None, *, extract_to: Path | None = None) -> dict[str, Any]:
    """Checks the whole file against its manifest (and writes the members under `extract_to` if given);
    returns the manifest. Raises a DomainError naming what is wrong."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after the stream that reads from it
    except OSError as error:
        raise ValidationFailed(f"Файл {path} не открывается: {error.strerror or error}.") from error
    with raw:
        stream = open_for_reading(raw, key)
        try:
            with tarfile.open(fileobj=stream, mode="r|gz") as tar:  # type: ignore[call-overload]
                manifest = _manifest(tar)
                expected: dict[str, dict[str, Any]] = manifest["members"]
                seen: set[str] = set()
                while (member := tar.next()) is not None:
                    wanted = expected.get(member.name)
                    if wanted is None or member.name in seen or not member.isfile():
                        raise damaged(f"Лишний или повторный файл в копии: {member.name}.")
                    _check_member(tar, member, wanted, extract_to)
                    seen.add(member.name)
        except DomainError:
            raise
        except _STREAM_ERRORS as error:
            raise damaged() from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise damaged(f"В копии нет файлов из описи: {', '.join(missing[:5])}.")
    return manifest


def _check_member(tar: tarfile.TarFile, member: tarfile.TarInfo, wanted: dict[str, Any], into: Path | None) -> None:
    handle = tar.extractfile(member)
    assert handle is not None
    digest, size = hashlib.sha256(), 0
    out = None
    if into is not None:
        target = into / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        out = open(target, "wb")  # noqa: SIM115 - closed in finally
    try:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    if size != wanted.get("size") or digest.hexdigest() != wanted.get("sha256"):
        raise damaged(f"Не сходится контрольная сумма файла {member.name}.")
