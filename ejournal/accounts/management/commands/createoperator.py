"""Operator's command: an account for the Django admin (/admin/), which belongs to no school.

School people never get the admin (admin_site.py); the installation's operators get it only from this
command (or Django's createsuperuser, which also makes a person without a school)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ejournal.accounts import services
from ejournal.accounts.models import User


class Command(BaseCommand):
    help = "Создать учётную запись оператора установки (вход в /admin/, без школы)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True, help="логин оператора")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        username = o["username"].strip()
        if not username:
            raise CommandError("Укажите логин.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Логин «{username}» уже занят.")
        password = services.new_password(16)
        User.objects.create_superuser(username=username, email=o["email"], password=password, school=None)
        self.stdout.write(f"Оператор создан: логин {username}, пароль {password}")
        self.stdout.write("Пароль показан один раз. Вход: /accounts/login/, затем /admin/ (только просмотр).")
