"""Operator's command: the class book as PDF (`ejournal book --class 5А --period 1 --out book.pdf`; or
`--from 2026-09-01 --to 2026-09-30` instead of `--period`; `--summary` for the сводная ведомость alone).

The period is its number in the class's scheme (quarters for 2–9, half-years for 10–11); the class is of the
school's current year (the one containing today, else the latest).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ejournal.core import time as clock
from ejournal.core.errors import DomainError
from ejournal.core.inputs import parse_date
from ejournal.curriculum.models import Subject
from ejournal.journal.periods import periods_of_class
from ejournal.printing.books import class_book
from ejournal.schools.models import AcademicYear, ClassGroup, School


class Command(BaseCommand):
    help = "Классный журнал класса за период — книгой в PDF для печати."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--class", dest="class_name", required=True, help="класс, например 5А")
        parser.add_argument("--period", type=int, help="номер периода в схеме класса (1–4 или 1–2)")
        parser.add_argument("--from", dest="date_from", help="или с даты (ГГГГ-ММ-ДД), в пределах учебного года")
        parser.add_argument("--to", dest="date_to", help="по дату (ГГГГ-ММ-ДД)")
        parser.add_argument("--summary", action="store_true", help="только сводная ведомость за период")
        parser.add_argument("--out", required=True, help="куда записать PDF")
        parser.add_argument("--subject", help="только журнал этого предмета (название, например «Математика»)")
        parser.add_argument("--school", type=int, help="id школы (обязателен, если школ несколько)")

    def handle(self, *args: Any, **o: Any) -> None:
        school = self.school(o["school"])
        name = o["class_name"].strip().upper()
        grade, letter = "".join(c for c in name if c.isdigit()), "".join(c for c in name if not c.isdigit())
        year = self.year(school)
        group = ClassGroup.objects.filter(
            school_id=school.pk, year_id=year.pk, grade=int(grade or 0), letter=letter
        ).first()
        if group is None:
            raise CommandError(f"Класса {o['class_name']} в {year.name} учебном году нет.")
        period = None
        try:
            start, end = parse_date(o["date_from"], "--from"), parse_date(o["date_to"], "--to")
        except DomainError as error:
            raise CommandError(error.message) from error
        if o["period"] is not None:
            period = next((p for p in periods_of_class(group) if p.number == o["period"]), None)
            if period is None:
                raise CommandError(f"У класса {group.name} нет периода № {o['period']}.")
        subject = None
        if o["subject"]:
            # Compared in Python: SQLite's iexact folds only Latin letters, and a school has a few dozen subjects.
            wanted = o["subject"].strip().casefold()
            subjects = Subject.objects.filter(school_id=school.pk)
            subject = next((s for s in subjects if s.name.casefold() == wanted), None)
            if subject is None:
                raise CommandError(f"Предмета «{o['subject']}» в школе нет.")
        try:
            content = class_book(
                actor=None,
                class_group=group,
                period=period,
                subject=subject,
                start=start,
                end=end,
                part="summary" if o["summary"] else "book",
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        out = Path(o["out"])
        out.write_bytes(content)
        span = period.name if period is not None else f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
        self.stdout.write(f"Журнал {group.name}, {span}: {out} ({len(content) // 1024} КБ)")

    def school(self, school_id: int | None) -> School:
        schools = School.objects.order_by("pk")
        if school_id is not None:
            schools = schools.filter(pk=school_id)
        found = list(schools[:2])
        if not found:
            raise CommandError("Школа не найдена.")
        if len(found) > 1:
            raise CommandError("Школ несколько: укажите --school ID.")
        return found[0]

    def year(self, school: School) -> AcademicYear:
        today = clock.school_today(school)
        years = AcademicYear.objects.filter(school_id=school.pk).order_by("-start")
        current = years.filter(start__lte=today, end__gte=today).first() or years.first()
        if current is None:
            raise CommandError("В школе нет учебных годов.")
        return current
