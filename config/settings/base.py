"""Settings shared by every environment; the environment files override what differs."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("EJOURNAL_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "ejournal.core",
    "ejournal.accounts",
    "ejournal.schools",
    "ejournal.curriculum",
    "ejournal.journal",
    "ejournal.diary",
    "ejournal.notifications",
    "ejournal.reports",
    "ejournal.interop",
    "ejournal.audit",
    "ejournal.access",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ejournal.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ejournal.accounts.middleware.ForcePasswordChangeMiddleware",
    "ejournal.core.middleware.DomainErrorMiddleware",
    "ejournal.audit.middleware.UsageMiddleware",
]

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ejournal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ejournal.core.context_processors.navigation",
            ],
        },
    },
]


def _database_from_env() -> dict:
    """SQLite (embedded, WAL) unless EJOURNAL_DB=postgres; PostgreSQL reads the PG* variables."""
    if os.environ.get("EJOURNAL_DB", "sqlite") == "postgres":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "ejournal"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "CONN_MAX_AGE": 60,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("EJOURNAL_SQLITE", str(VAR_DIR / "ejournal.sqlite3")),
        "OPTIONS": {
            # WAL lets the worker and the web server work side by side.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
# Perm Krai; each school keeps its own zone in School.timezone.
TIME_ZONE = "Asia/Yekaterinburg"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "ejournal" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads of timetable/КТП files are small; a hostile 100 MB file is refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "ejournal.api.v1.errors.exception_handler",
    # A teacher filling a grid by keyboard makes a few requests a second at most; a script far more.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "1200/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ЭЖ API",
    "DESCRIPTION": "Электронный журнал и дневник: REST API",
    "VERSION": "1",
}

# Informing parents. E-mail goes through real SMTP; web push signs with the VAPID key pair;
# the messenger channel speaks the Telegram Bot API at TELEGRAM_API_BASE (tests point it at 127.0.0.1).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EJOURNAL_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EJOURNAL_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EJOURNAL_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EJOURNAL_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EJOURNAL_SMTP_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("EJOURNAL_MAIL_FROM", "ЭЖ <noreply@ejournal.local>")
SITE_URL = os.environ.get("EJOURNAL_SITE_URL", "http://127.0.0.1:8000")
VAPID_PRIVATE_KEY = os.environ.get("EJOURNAL_VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = os.environ.get("EJOURNAL_VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = os.environ.get("EJOURNAL_VAPID_SUBJECT", "mailto:admin@ejournal.local")
TELEGRAM_API_BASE = os.environ.get("EJOURNAL_TELEGRAM_API_BASE", "https://api.telegram.org")
TELEGRAM_BOT_TOKEN = os.environ.get("EJOURNAL_TELEGRAM_BOT_TOKEN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
