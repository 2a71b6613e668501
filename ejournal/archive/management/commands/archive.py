"""Operator's command: the period archive (`ejournal archive --period N --to DIR`), with `--iso` its ISO 9660
image beside it, ready to burn.

The access code comes from a file (`--code-file`, its first line) or is typed twice at the terminal; never from
the command line, where it would stay in the shell's history and in the process list for anyone to read.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ejournal.archive.iso import archive_readme, write_iso
from ejournal.archive.models import LogKind
from ejournal.archive.period_archive import build_period_archive, check_code
from ejournal.core import time as clock
from ejournal.core.errors import DomainError
from ejournal.schools.models import Period, School


class Command(BaseCommand):
    help = "Архив учебного периода: все классы периода в зашифрованном 7z, открываемом 7-Zip по коду доступа."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", type=int, help="id учебного периода (четверти, полугодия); см. --list")
        parser.add_argument("--to", help="папка, куда записать архив (например, внешний диск)")
        parser.add_argument("--list", action="store_true", help="показать учебные периоды с их id и выйти")
        parser.add_argument("--school", type=int, help="id школы (для проверки: период должен быть её)")
        parser.add_argument("--code-file", help="файл, первая строка которого — код доступа; иначе код спросят")
        parser.add_argument("--iso", action="store_true", help="записать рядом и образ ISO для записи на диск")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["list"]:
            self.list_periods(o["school"])
            return
        if o["period"] is None or not o["to"]:
            raise CommandError("Укажите --period N и --to ПАПКА (id периодов: --list).")
        period = Period.objects.select_related("scheme__year").filter(pk=o["period"]).first()
        if period is None or (o["school"] is not None and period.school_id != o["school"]):
            raise CommandError(f"Учебный период {o['period']} не найден" + (" в этой школе." if o["school"] else "."))
        school = School.objects.get(pk=period.school_id)
        to_dir = Path(o["to"])
        if not to_dir.is_dir():
            raise CommandError(f"Папки {to_dir} нет: подключите диск или создайте папку.")
        try:
            code = self.read_code(o["code_file"])
            result = build_period_archive(actor=None, school=school, period=period, access_code=code, to_dir=to_dir)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{result.path}")
        self.stdout.write(f"SHA-256 {result.sha256}")
        self.stdout.write(
            f"Классов: {len(result.classes)} ({', '.join(result.classes)}), отметок: {result.marks}, "
            f"файлов: {result.files}, размер {result.size} байт. Без кода доступа архив не открыть."
        )
        if o["iso"]:
            made = clock.now()
            what = f"{school.short_name}: {period.scheme.year.name}, {period.name}."
            readme = archive_readme(name=result.path.name, sha256=result.sha256, what=what, made=made)
            try:
                image = write_iso(source=result.path, readme=readme, of=LogKind.ARCHIVE, made=made, school=school)
            except DomainError as exc:
                raise CommandError(f"Архив записан и проверен, но {exc.message[0].lower()}{exc.message[1:]}") from exc
            self.stdout.write(f"Образ ISO для записи на диск: {image.path} (метка тома {image.label})")
            self.stdout.write(f"SHA-256 образа {image.sha256}")

    def list_periods(self, school_id: int | None) -> None:
        periods = Period.objects.select_related("scheme__year", "school").order_by("school_id", "start", "pk")
        if school_id is not None:
            periods = periods.filter(school_id=school_id)
        for p in periods:
            scheme = p.scheme
            grades = f"{scheme.grade_from}–{scheme.grade_to} кл."
            dates = f"{p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}"
            self.stdout.write(f"{p.pk}\t{p.school.short_name}\t{scheme.year.name}\t{p.name}\t{grades}\t{dates}")

    def read_code(self, code_file: str | None) -> str:
        if code_file:
            try:
                lines = Path(code_file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Не удалось прочитать файл с кодом {code_file}: {exc}") from exc
            code = lines[0] if lines else ""
            check_code(code)
            return code
        if not sys.stdin.isatty():
            raise CommandError("Код доступа не задан: укажите --code-file или запустите команду в терминале.")
        code = getpass.getpass("Код доступа к архиву: ")
        check_code(code, getpass.getpass("Повторите код: "))
        return code
