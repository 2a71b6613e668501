import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

# Uploaded files of a test run go to a fresh temporary folder, never into var/media of the checkout.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ejournal-media-"))

# Fast hashing in tests: Argon2 itself is covered by accounts' own test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not ":memory:": the browser tests' live server answers requests in several threads, and an
    # in-memory database would make them share one connection (and one transaction). /dev/shm keeps it in RAM.
    _shm = Path("/dev/shm")
    _test_db = (_shm if _shm.is_dir() else Path(tempfile.gettempdir())) / f"ejournal-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Usage counts are written when a test asks (audit.usage.flush), so no page's query count depends on
# whether a minute has passed since the last write.
USAGE_FLUSH_SECONDS = 10**9

# Informing: nothing leaves the machine. Channels are pointed per test at servers on 127.0.0.1 (SMTP,
# the bot API, a push endpoint); without them e-mail goes nowhere and Telegram/push are not configured.
EMAIL_HOST = "127.0.0.1"
TELEGRAM_API_BASE = "http://127.0.0.1:9"
TELEGRAM_BOT_TOKEN = ""
TELEGRAM_BOT_USERNAME = ""
VAPID_PRIVATE_KEY = VAPID_PUBLIC_KEY = ""
# The push endpoint of the tests listens on 127.0.0.1; in production only https push services are accepted.
PUSH_ALLOW_LOCAL_ENDPOINTS = True
