"""Operator's command: a full backup (`ejournal backup --to DIR`), with its ISO 9660 image beside it unless
`--no-iso`.

The key is read from a file (`--key-file`, or the file named by EJOURNAL_BACKUP_KEY_FILE), never from the command
line, where it would stay in the shell's history and in the process list. Without a key the backup is written
unencrypted, and the command says so: it holds every child's personal data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ejournal.archive.backup import make_backup
from ejournal.archive.container import read_key_file
from ejournal.core.errors import DomainError

KEY_FILE_ENV = "EJOURNAL_BACKUP_KEY_FILE"


def key_from(option: str | None) -> bytes | None:
    """The key named by the option, else by the environment; None when neither is set."""
    path = option or os.environ.get(KEY_FILE_ENV, "")
    return read_key_file(path) if path else None


class Command(BaseCommand):
    help = "Полная резервная копия: вся база данных и загруженные файлы в одном проверенном файле."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", required=True, help="папка, куда записать копию (например, внешний диск)")
        parser.add_argument("--key-file", help=f"файл с ключом шифрования (иначе — из переменной {KEY_FILE_ENV})")
        parser.add_argument(
            "--no-iso", action="store_true", help="не записывать рядом образ ISO для диска (например, мало места)"
        )

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            key = key_from(o["key_file"])
            result = make_backup(to_dir=Path(o["to"]), key=key, iso=not o["no_iso"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(str(result.path))
        self.stdout.write(f"SHA-256 {result.sha256}")
        self.stdout.write(
            f"Таблиц: {result.tables}, строк: {result.rows}, файлов: {result.files}, размер {result.size} байт; "
            "копия прочитана заново и проверена."
        )
        if result.iso is not None:
            self.stdout.write(f"Образ ISO для записи на диск: {result.iso.path} (метка тома {result.iso.label})")
            self.stdout.write(f"SHA-256 образа {result.iso.sha256}")
        if not result.encrypted:
            self.stderr.write(
                "Внимание: копия НЕ зашифрована, в ней персональные данные всех учеников. "
                f"Задайте ключ (--key-file или {KEY_FILE_ENV})."
            )
        if result.iso_error:
            raise CommandError(f"Копия записана и проверена, но {result.iso_error[0].lower()}{result.iso_error[1:]}")
