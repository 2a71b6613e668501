"""Benchmarks: production-like settings (no DEBUG, real hashers off the hot path) on a throw-away database."""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")
else:
    DATABASES["default"]["NAME"] = "ejournal_bench"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
