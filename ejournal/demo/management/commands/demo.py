"""`manage.py demo --seed N`: a deterministic demo school with a year of journal records up to today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ejournal.core.errors import DomainError
from ejournal.demo.generator import DEMO_PASSWORD, default_today, generate
from ejournal.demo.municipality import generate_municipality
from ejournal.schools.models import School


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Дата «{value}» не в формате ГГГГ-ММ-ДД.") from exc


class Command(BaseCommand):
    help = "Создать демо-школу: люди, учебный план, расписание, уроки, отметки и посещаемость до «сегодня»."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="зерно: одно зерно — одна и та же школа")
        parser.add_argument("--if-empty", action="store_true", help="ничего не делать, если школа уже есть")
        parser.add_argument("--classes-per-parallel", type=int, default=2, help="классов в параллели (А, Б…)")
        parser.add_argument("--students-per-class", type=int, default=25, help="учеников в классе (в среднем)")
        parser.add_argument("--today", type=_date, default=None, help="«сегодня» (ГГГГ-ММ-ДД); по умолчанию — сегодня")
        parser.add_argument(
            "--schools", type=int, default=1, help="школ муниципалитета (логины школ со второй: s2.…, s3.…)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("Школа уже есть: демо-данные не создаются.")
            return
        today = options["today"] or default_today()
        self.stdout.write(f"Демо-школа: зерно {options['seed']}, «сегодня» {today:%d.%m.%Y}")
        if options["schools"] > 1:
            self._municipality(options, today)
            return
        try:
            result = generate(
                options["seed"],
                classes_per_parallel=options["classes_per_parallel"],
                students_per_class=options["students_per_class"],
                today=today,
                progress=self.stdout.write,
            )
        except (ValueError, DomainError) as exc:
            raise CommandError(str(exc)) from exc
        c = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово за {result.seconds:.1f} с: {result.school.short_name}, {result.year.name} учебный год; "
                f"классов {c['classes']}, учеников {c['students']}, учителей {c['teachers']}, "
                f"родителей {c['parents']}; уроков {c['lessons']} (прошло {c['lessons_until_today']}), "
                f"отметок {c['marks']}, пропусков {c['attendance']}, домашних заданий {c['homework']}."
            )
        )
        self.stdout.write(f"Пароль всех демо-пользователей: {DEMO_PASSWORD}. Логины: manage.py demo_logins")

    def _municipality(self, options: dict[str, Any], today: dt.date) -> None:
        try:
            results = generate_municipality(
                options["schools"],
                seed=options["seed"],
                classes_per_parallel=options["classes_per_parallel"],
                students_per_class=options["students_per_class"],
                today=today,
                progress=self.stdout.write,
            )
        except (ValueError, DomainError) as exc:
            raise CommandError(str(exc)) from exc
        students = sum(r.counts["students"] for r in results)
        seconds = sum(r.seconds for r in results)
        self.stdout.write(self.style.SUCCESS(f"Готово за {seconds:.1f} с: школ {len(results)}, учеников {students}."))
        self.stdout.write(f"Пароль всех демо-пользователей: {DEMO_PASSWORD}. Логины: manage.py demo_logins")
