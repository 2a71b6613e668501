"""The ISO 9660 image of a backup (or, on request, of a period archive), ready to burn on an optical disc.

The image holds the file itself, a README in Russian and `SHA256SUMS.txt` (checkable with `sha256sum -c` on the
mounted disc). Names are written three ways: plain ISO 9660 (ASCII, short: what every reader understands), Joliet
(Windows: Cyrillic and long names) and Rock Ridge (Linux, macOS): a period archive's Cyrillic name survives.
The volume label carries the date (Joliet allows 16 characters: `EJ_ГГГГММДД`).

Same discipline as the backup: written under a hidden `.partial` name, fsynced, opened again and every file in
the image hashed against what was put in, and only then renamed. A full disk, an unwritable folder or an
interruption removes the partial image; each attempt goes into the backup log with the image's own SHA-256.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pycdlib
from pycdlib.pycdlibexception import PyCdlibException

from ejournal.accounts.models import User
from ejournal.archive.container import damaged
from ejournal.archive.disk import WriteFailed, file_digest, sync_directory, why
from ejournal.archive.models import LogKind, LogStatus
from ejournal.archive.services import log_entry
from ejournal.core.errors import DomainError
from ejournal.schools.models import School

SUMS = "SHA256SUMS.txt"
README = "ПРОЧТИТЕ.txt"
JOLIET_MAX = 64  # bytes of a Joliet name, as pycdlib counts them
_CONTAINER_SUFFIXES = {".enc", ".gz", ".tar", ".7z"}


@dataclass(frozen=True)
class IsoResult:
    path: Path
    sha256: str
    size: int
    label: str


@dataclass(frozen=True)
class IsoEntry:
    """One file of the image: its long name (Joliet and Rock Ridge), its short ISO 9660 name, and content."""

    name: str
    iso_name: str
    source: Path | None = None
    data: bytes = b""

    def open(self) -> BinaryIO:
        return open(self.source, "rb") if self.source else io.BytesIO(self.data)

    @property
    def size(self) -> int:
        return self.source.stat().st_size if self.source else len(self.data)


class _Hasher:
    """A write-only sink for pycdlib that hashes what it is given."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def image_name(source: Path) -> str:
    stem = source.name
    while Path(stem).suffix.lower() in _CONTAINER_SUFFIXES:
        stem = stem[: -len(Path(stem).suffix)]
    return f"{stem}.iso"


def _short_name(name: str, number: int) -> str:
    """A level-3 ISO 9660 name (d-characters only): the Cyrillic and the length live in Joliet/Rock Ridge."""
    path = Path(name)
    stem = re.sub(r"[^A-Z0-9_]", "_", path.stem.split(".")[0].upper())[:20]
    ext = re.sub(r"[^A-Z0-9_]", "_", path.suffix[1:].upper())[:3]
    return f"F{number}_{stem}.{ext};1" if ext else f"F{number}_{stem};1"


def joliet_name(name: str) -> str:
    """The Joliet name: pycdlib counts its 64 as UTF-8 bytes, so a long Cyrillic name is shortened (keeping its
    extension) for Windows; Rock Ridge keeps it whole."""
    if len(name.encode()) <= JOLIET_MAX:
        return name
    suffix = Path(name).suffix
    stem = name[: -len(suffix)] if suffix else name
    while len((stem + suffix).encode()) > JOLIET_MAX:
        stem = stem[:-1]
    return stem + suffix


def label_for(when: dt.datetime) -> str:
    return f"EJ_{when:%Y%m%d}"


def _sums(entries: list[tuple[str, str]]) -> bytes:
    return "".join(f"{sha}  {name}\n" for name, sha in entries).encode()


def _write(partial: Path, entries: list[IsoEntry], label: str) -> None:
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, vol_ident=label, joliet=3, rock_ridge="1.09", app_ident_str="EJOURNAL")
    with contextlib.ExitStack() as stack:
        for entry in entries:
            handle = stack.enter_context(entry.open())  # pycdlib reads the content only in write_fp
            iso.add_fp(
                handle,
                entry.size,
                iso_path="/" + entry.iso_name,
                rr_name=entry.name,
                joliet_path="/" + joliet_name(entry.name),
            )
        with open(partial, "xb") as raw:
            iso.write_fp(raw)
            raw.flush()
            os.fsync(raw.fileno())
    iso.close()


def verify_iso(path: Path) -> dict[str, str]:
    """Opens an image, reads its SHA256SUMS.txt and hashes every file it names (by the Joliet name, as Windows
    reads the disc) and checks the Rock Ridge names are there too. Returns {name: sha256}; raises the damaged-file
    error on any difference, a missing file or an image that does not open."""
    iso = pycdlib.PyCdlib()
    try:
        iso.open(str(path))
    except (PyCdlibException, OSError, ValueError) as error:
        raise damaged("Образ ISO не открывается.") from error
    try:
        listing = io.BytesIO()
        iso.get_file_from_iso_fp(listing, joliet_path="/" + SUMS)
        expected: dict[str, str] = {}
        for line in listing.getvalue().decode().splitlines():
            sha, _, name = line.partition("  ")
            expected[name] = sha
        rock_ridge = {
            child.rock_ridge.name().decode()
            for child in iso.list_children(rr_path="/")
            if child.rock_ridge is not None and not child.is_dot() and not child.is_dotdot()
        }
        for name, sha in expected.items():
            if name not in rock_ridge:
                raise damaged(f"В образе нет файла {name}.")
            got = _Hasher()
            iso.get_file_from_iso_fp(got, joliet_path="/" + joliet_name(name))  # type: ignore[arg-type] # any .write()
            if got.digest.hexdigest() != sha:
                raise damaged(f"Не сходится контрольная сумма файла {name} в образе.")
        return expected
    except DomainError:
        raise
    except (PyCdlibException, OSError, ValueError, UnicodeDecodeError) as error:
        raise damaged("Образ ISO испорчен.") from error
    finally:
        with contextlib.suppress(PyCdlibException, OSError):
            iso.close()


def is_image(path: Path) -> bool:
    """An ISO 9660 image: "CD001" in its first volume descriptor (sector 16)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(16 * 2048 + 1)
            return handle.read(5) == b"CD001"
    except OSError:
        return False


def extract_backup(image: Path, into: Path) -> Path:
    """The backup (or archive) file of a verified image, copied out into `into`: restore straight from the image
    of a burned disc."""
    names = [name for name in verify_iso(image) if name not in (README, SUMS)]
    if len(names) != 1:
        raise damaged("В образе не одна копия.")
    into.mkdir(parents=True, exist_ok=True)
    target = into / Path(names[0]).name
    disc = pycdlib.PyCdlib()
    try:
        disc.open(str(image))
        with open(target, "wb") as out:
            disc.get_file_from_iso_fp(out, joliet_path="/" + joliet_name(names[0]))
        disc.close()
    except PyCdlibException as error:
        raise damaged("Образ ISO испорчен.") from error
    return target


def write_iso(
    *,
    source: Path,
    readme: str,
    of: LogKind,
    made: dt.datetime,
    actor: User | None = None,
    school: School | None = None,
) -> IsoResult:
    """Writes `<source stem>.iso` beside the (already verified) `source` and logs it as kind «iso» (`of`: what the
    source is, a backup or a period archive). Raises WriteFailed (disk)
    or the damaged-file error (read-back) after removing the partial image; the source is never touched."""
    source = Path(source)
    to_dir = source.parent
    final = to_dir / image_name(source)
    partial = to_dir / f".{final.name}.partial"
    label = label_for(made)
    what = f"Образ ISO для записи на диск: {source.name}"
    try:
        if final.exists():
            raise FileExistsError(f"Файл {final.name} уже есть")
        source_sha, _ = file_digest(source)
        readme_bytes = readme.replace("\n", "\r\n").encode()  # CRLF: Notepad on the school's Windows PC
        entries = [
            IsoEntry(name=source.name, iso_name=_short_name(source.name, 1), source=source),
            IsoEntry(name=README, iso_name="README.TXT;1", data=readme_bytes),
        ]
        listed = [(source.name, source_sha), (README, hashlib.sha256(readme_bytes).hexdigest())]
        entries.append(IsoEntry(name=SUMS, iso_name="SHA256SU.TXT;1", data=_sums(listed)))
        _write(partial, entries, label)
        if verify_iso(partial) != dict(listed):  # the image as written on the disk, not what we meant to write
            raise damaged("Опись образа не совпадает с записанными файлами.")
        sha, size = file_digest(partial)
        os.replace(partial, final)
        sync_directory(to_dir)
    except (OSError, DomainError, PyCdlibException) as error:
        _remove(partial)
        if isinstance(error, DomainError):
            message = f"Образ ISO не записан: {error.message}"
        elif isinstance(error, OSError):
            message = f"Образ ISO не записан в {to_dir}: {why(error)}. Файла образа не осталось."
        else:
            message = f"Образ ISO не записан: {error}. Файла образа не осталось."
        log_entry(
            kind=LogKind.ISO,
            status=LogStatus.FAILED,
            what=what,
            where=str(to_dir),
            actor=actor,
            school=school,
            details={"of": of.value, "source": str(source), "error": message},
        )
        raise WriteFailed(message) from error
    except BaseException:
        _remove(partial)  # interrupted: no half-written image stays behind
        raise
    log_entry(
        kind=LogKind.ISO,
        status=LogStatus.DONE,
        what=what,
        where=str(final),
        size=size,
        sha256=sha,
        actor=actor,
        school=school,
        details={"of": of.value, "source": str(source), "source_sha256": source_sha, "label": label},
    )
    return IsoResult(path=final, sha256=sha, size=size, label=label)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def backup_readme(*, name: str, sha256: str, made: dt.datetime, encrypted: bool, details: dict[str, Any]) -> str:
    key = (
        "Копия ЗАШИФРОВАНА ключом администратора. Ключа на этом диске нет и быть не должно: он хранится отдельно "
        "(файл на сервере и второй экземпляр в сейфе). Без ключа копию не открыть никому."
        if encrypted
        else "Копия НЕ зашифрована: на диске персональные данные всех учеников. Храните диск под замком."
    )
    return (
        "Резервная копия электронного журнала\n"
        "====================================\n\n"
        f"Сделана: {made:%d.%m.%Y %H:%M} (UTC).\n"
        f"Файл: {name}\n"
        f"SHA-256: {sha256}\n"
        f"Таблиц: {details.get('tables')}, строк: {details.get('rows')}, "
        f"загруженных файлов: {details.get('files')}.\n\n"
        f"{key}\n\n"
        "Что на диске\n"
        f"- {name} — полная копия установки: вся база данных и загруженные файлы, с описью контрольных сумм.\n"
        f"- {SUMS} — контрольные суммы файлов диска; проверка на смонтированном диске: sha256sum -c {SUMS}\n"
        f"- {README} — этот файл.\n\n"
        "Как восстановить\n"
        "Скопируйте файл копии с диска на сервер и выполните (ключ — из файла, не в командной строке):\n"
        f"  ejournal restore {name} --key-file /путь/к/ключу\n"
        "Восстановление идёт в пустую установку; поверх работающей базы — только с подтверждением "
        "(ejournal restore ФАЙЛ --over-live) и после автоматической копии текущего состояния.\n"
        "Подробно: docs/user/backups.md в составе программы.\n"
    )


def archive_readme(*, name: str, sha256: str, what: str, made: dt.datetime) -> str:
    return (
        "Архив учебного периода электронного журнала\n"
        "===========================================\n\n"
        f"{what}\n"
        f"Записан на диск: {made:%d.%m.%Y %H:%M}.\n"
        f"Файл: {name}\n"
        f"SHA-256: {sha256}\n\n"
        "Архив зашифрован (AES-256) кодом доступа, который знает только директор; кода на диске нет. "
        "Открывается программой 7-Zip: она спросит код. Внутри архива — свой README с описанием каждого файла.\n\n"
        f"{SUMS} — контрольные суммы файлов диска; проверка на смонтированном диске: sha256sum -c {SUMS}\n"
    )
