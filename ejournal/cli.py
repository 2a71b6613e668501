"""`ejournal` — the operator's console: the same commands as `python manage.py`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ejournal", *sys.argv[1:]])
