"""Operator's command: a new school with its responsible administrator, whose one-time password is printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ejournal.accounts import services
from ejournal.accounts.models import Role
from ejournal.core.errors import DomainError


class Command(BaseCommand):
    help = "Создать школу и её ответственного администратора ЭЖ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True, help="полное наименование")
        parser.add_argument("--short-name", required=True, help="краткое наименование")
        parser.add_argument("--timezone", default="Asia/Yekaterinburg")
        parser.add_argument("--municipality", default="")
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-middle-name", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        password = services.new_password(12)
        try:
            with transaction.atomic():
                school = services.create_school(
                    name=o["name"], short_name=o["short_name"], timezone=o["timezone"], municipality=o["municipality"]
                )
                admin = services.create_person(
                    actor=None,
                    school=school,
                    last_name=o["admin_last_name"],
                    first_name=o["admin_first_name"],
                    middle_name=o["admin_middle_name"],
                    roles=[Role.ADMIN],
                    password=password,
                )
                admin.must_change_password = True
                admin.save(update_fields=["must_change_password"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Школа «{school.short_name}» создана (id {school.pk}).")
        self.stdout.write(f"Администратор: логин {admin.username}, одноразовый пароль {password}")
        self.stdout.write("Пароль показан один раз; при первом входе его нужно сменить.")
