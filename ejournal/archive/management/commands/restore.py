"""Operator's command: restore a full backup into an empty installation (`ejournal restore FILE`).

Prints the verification table by table; exits with an error when anything differs or the file is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ejournal.archive.management.commands.backup import KEY_FILE_ENV, key_from
from ejournal.archive.restore import restore
from ejournal.core.errors import DomainError


class Command(BaseCommand):
    help = "Восстановление полной резервной копии в пустую установку с проверкой каждой таблицы и файла."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="файл резервной копии (.tar.gz или .tar.gz.enc)")
        parser.add_argument("--key-file", help=f"файл с ключом шифрования (иначе — из переменной {KEY_FILE_ENV})")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            verification = restore(path=Path(o["file"]), key=key_from(o["key_file"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Копия от {verification.created_at}, версия {verification.product_version}.")
        for table in verification.tables:
            found = "нет таблицы" if table.found_rows is None else f"{table.found_rows}"
            self.stdout.write(f"{'ok ' if table.ok else 'ОШИБКА'}\t{table.name}\t{table.expected_rows}\t{found}")
        for file in verification.files:
            self.stdout.write(f"{'ok ' if file.ok else 'ОШИБКА'}\t{file.name}")
        if verification.migrations_applied:
            self.stdout.write("Применены миграции: " + ", ".join(verification.migrations_applied))
        summary = (
            f"Сравнено таблиц: {len(verification.tables)}, строк: {verification.rows}, "
            f"файлов: {len(verification.files)}."
        )
        if not verification.ok:
            bad = [t.name for t in verification.tables if not t.ok] + [f.name for f in verification.files if not f.ok]
            raise CommandError(f"{summary} Не совпали: {', '.join(bad)}. Восстановленным данным доверять нельзя.")
        self.stdout.write(f"{summary} Всё совпало с копией.")
