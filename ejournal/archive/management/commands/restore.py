"""Operator's command: restore a full backup (`ejournal restore FILE`).

- `ejournal restore FILE`: into an empty installation;
- `ejournal restore --drill [FILE]`: the restore drill — FILE (or the latest backup of the log) into a scratch
  database, verified and thrown away; the live database is not touched;
- `ejournal restore FILE --over-live`: over the working database. The operator confirms by typing the number of
  schools and the word shown (read from the terminal); scripts pass `--yes-i-understand` instead. An automatic
  full backup of the current state goes into `--backup-to` (or EJOURNAL_BACKUP_DIR) first; without it nothing starts.
  Stop the web server and the worker before: nobody must write while the database is replaced.

Prints the verification table by table; exits with an error when anything differs or the file is refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ejournal.archive.drill import run_drill
from ejournal.archive.management.commands.backup import KEY_FILE_ENV, key_from
from ejournal.archive.restore import Verification, restore
from ejournal.core.errors import DomainError
from ejournal.schools.models import School

CONFIRM_WORD = "ВОССТАНОВИТЬ"


class Command(BaseCommand):
    help = (
        "Восстановление полной резервной копии с проверкой каждой таблицы и файла: в пустую установку, "
        "проверочное (--drill, во временную базу) или поверх работающей базы (--over-live, с подтверждением)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="файл резервной копии (.tar.gz, .tar.gz.enc или её образ .iso)")
        parser.add_argument("--key-file", help=f"файл с ключом шифрования (иначе — из переменной {KEY_FILE_ENV})")
        parser.add_argument(
            "--drill",
            action="store_true",
            help="проверочное восстановление во временную базу (без файла — последняя копия из журнала)",
        )
        parser.add_argument(
            "--over-live",
            action="store_true",
            help="восстановить поверх работающей базы (после подтверждения и автоматической копии)",
        )
        parser.add_argument(
            "--backup-to", help="папка для автоматической копии перед --over-live (иначе EJOURNAL_BACKUP_DIR)"
        )
        parser.add_argument(
            "--yes-i-understand",
            action="store_true",
            help="для сценариев: подтвердить --over-live без вопроса (текущие данные будут заменены копией)",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        if o["drill"] and o["over_live"]:
            raise CommandError("--drill и --over-live вместе не указывают.")
        if not o["file"] and not o["drill"]:
            raise CommandError("Укажите файл резервной копии.")
        path = Path(o["file"]) if o["file"] else None
        try:
            key = key_from(o["key_file"])
            if o["drill"]:
                self.drill(path, key)
                return
            assert path is not None
            if o["over_live"]:
                backup_to = o["backup_to"] or settings.EJOURNAL_BACKUP_DIR
                self.confirm(o["yes_i_understand"])
                verification = restore(
                    path=path, key=key, into_empty=False, backup_to=Path(backup_to) if backup_to else None
                )
            else:
                verification = restore(path=path, key=key)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if verification.backup_before:
            self.stdout.write(f"Состояние до восстановления сохранено: {verification.backup_before}")
        self.report(verification)

    def drill(self, path: Path | None, key: bytes | None) -> None:
        result = run_drill(path=path, key=key, occasion="console")
        self.stdout.write(f"Проверочное восстановление из {result.path} во временную базу.")
        if result.verification is not None:
            self.report(result.verification, drill=True)
        if not result.ok:
            raise CommandError(f"Проверка не пройдена: {result.reason}")

    def confirm(self, yes: bool) -> None:
        """The operator types the number of schools and the word: a restore over the live database replaces
        every school's journal, and a habit of pressing Enter must not do it."""
        schools = School.objects.count()
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError(
                "Восстановление поверх работающей базы нужно подтвердить в терминале "
                "(или, в сценарии, ключом --yes-i-understand)."
            )
        self.stdout.write(
            f"ВНИМАНИЕ: в работающей базе школ: {schools}. Все их данные будут заменены данными копии "
            "(перед этим будет сделана автоматическая копия текущего состояния). Остановите веб-сервер и "
            "фоновый обработчик."
        )
        answer = input(f"Чтобы продолжить, введите число школ и слово {CONFIRM_WORD} (например, «1 {CONFIRM_WORD}»): ")
        if answer.split() != [str(schools), CONFIRM_WORD]:
            raise CommandError("Подтверждение не совпало: восстановление не начато, ничего не изменено.")

    def report(self, verification: Verification, *, drill: bool = False) -> None:
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
            if drill:
                self.stdout.write(f"{summary} Не совпали: {', '.join(bad)}.")
                return
            raise CommandError(f"{summary} Не совпали: {', '.join(bad)}. Восстановленным данным доверять нельзя.")
        self.stdout.write(
            f"{summary} Всё совпало с копией." + (" Временная база удалена, рабочая не затронута." if drill else "")
        )
