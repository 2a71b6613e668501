"""Production: secrets and hosts only from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY or SECRET_KEY.startswith("dev-only-"):
    # A clear start-up message instead of a bare KeyError deep in a traceback.
    raise ImproperlyConfigured(
        "Не задан секретный ключ: укажите переменную окружения DJANGO_SECRET_KEY (длинная случайная строка, "
        "одна на установку, хранится в секрете). / DJANGO_SECRET_KEY is not set: put a long random string in "
        "this environment variable, the same on every app server. Создать / generate: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Scale-out (issue 9, docs/scaling.md) ---------------------------------------------------------------
# Kept apart from the security block above, which grows on its own. App servers keep no state: the cache
# and the sessions live in Redis (give it AOF persistence, or a restart signs everyone out), the database
# in PostgreSQL. With EJOURNAL_REPLICA_HOST set, report pages read from a streaming replica.
from .base import DATABASES, MIDDLEWARE  # noqa: E402

REDIS_URL = os.environ.get("EJOURNAL_REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ejournal",
        "TIMEOUT": 300,
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"

if os.environ.get("EJOURNAL_REPLICA_HOST"):
    DATABASES["replica"] = {
        **DATABASES["default"],
        "HOST": os.environ["EJOURNAL_REPLICA_HOST"],
        "PORT": os.environ.get("EJOURNAL_REPLICA_PORT", DATABASES["default"].get("PORT", "5432")),
        "NAME": os.environ.get("EJOURNAL_REPLICA_NAME", DATABASES["default"]["NAME"]),
        "USER": os.environ.get("EJOURNAL_REPLICA_USER", DATABASES["default"].get("USER", "")),
        "PASSWORD": os.environ.get("EJOURNAL_REPLICA_PASSWORD", DATABASES["default"].get("PASSWORD", "")),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.settings.replica.ReportsReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "config.settings.replica.ReportsOnReplicaMiddleware"]
