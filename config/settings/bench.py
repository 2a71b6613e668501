"""Benchmarks: production-like settings (no DEBUG, real hashers off the hot path) on a throw-away database.

The database comes from the environment the bench runner sets (bench/databases.py: EJOURNAL_SQLITE or
PGDATABASE); without it, var/bench.sqlite3 or the PostgreSQL database ejournal_bench.
"""

import os

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, VAR_DIR

DEBUG = False
# The benchmarks' test client speaks to the server name "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if "EJOURNAL_SQLITE" not in os.environ:
        DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")
elif "PGDATABASE" not in os.environ:
    DATABASES["default"]["NAME"] = "ejournal_bench"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
