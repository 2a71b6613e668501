"""`manage.py demo_logins`: the demo logins of the first school by role, with the shared password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ejournal.demo.generator import DEMO_PASSWORD, default_today
from ejournal.demo.logins import demo_accounts
from ejournal.schools.models import School


class Command(BaseCommand):
    help = "Показать логины демо-школы по ролям и общий пароль."

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.order_by("pk").first()
        if school is None:
            self.stdout.write("Школ нет. Создайте демо-школу: manage.py demo --seed 1")
            return
        accounts = demo_accounts(school, on=default_today())
        self.stdout.write(f"Демо-школа: {school.short_name}")
        self.stdout.write(f"Пароль для всех демо-пользователей: {DEMO_PASSWORD}")
        self.stdout.write("")
        rows = [("Роль", "Логин", "ФИО", "Примечание")]
        for account in accounts:
            note = account.note
            # A password changed after the demo was made no longer matches the printed one.
            if not account.user.check_password(DEMO_PASSWORD):
                note = f"{note}; пароль изменён".lstrip("; ")
            rows.append((account.role_label, account.user.username, account.user.full_name, note))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
            if n == 0:
                self.stdout.write("  ".join("─" * w for w in widths) + "  " + "─" * 10)
