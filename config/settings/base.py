"""Settings shared by every environment; the environment files override what differs."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("EJOURNAL_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "ejournal.accounts.admin_apps.OperatorAdminConfig",  # django.contrib.admin for operators only
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ejournal.core",
    "ejournal.accounts",
    "ejournal.schools",
    "ejournal.curriculum",
    "ejournal.journal",
    "ejournal.diary",
    "ejournal.notifications",
    "ejournal.reports",
    "ejournal.printing",
    "ejournal.hours",
    "ejournal.interop",
    "ejournal.audit",
    "ejournal.archive",
    "ejournal.retention",
    "ejournal.support",
    "ejournal.help",
    "ejournal.status",
    "ejournal.home",
    "ejournal.demo",
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
    "ejournal.accounts.middleware.SessionActivityMiddleware",
    "ejournal.accounts.middleware.TwoFactorMiddleware",
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
                "ejournal.home.context_processors.navigation",
                "ejournal.help.context_processors.help_panel",
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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login security (docs/user/login.md, docs/security.md, accounts/auth/lockout.py). After N failures on one
# account further attempts from devices that never signed into it wait 30 s, 60 s, … up to the maximum;
# a client address with more failures than its limit within the window is refused whatever login it tries.
EJOURNAL_LOCKOUT_FAILURES = int(os.environ.get("EJOURNAL_LOCKOUT_FAILURES", "5"))
EJOURNAL_LOCKOUT_CLIENT_FAILURES = int(os.environ.get("EJOURNAL_LOCKOUT_CLIENT_FAILURES", "50"))
EJOURNAL_LOCKOUT_WINDOW_MINUTES = int(os.environ.get("EJOURNAL_LOCKOUT_WINDOW_MINUTES", "15"))
EJOURNAL_LOCKOUT_DELAY_SECONDS = int(os.environ.get("EJOURNAL_LOCKOUT_DELAY_SECONDS", "30"))
EJOURNAL_LOCKOUT_MAX_DELAY_SECONDS = int(os.environ.get("EJOURNAL_LOCKOUT_MAX_DELAY_SECONDS", "3600"))
# How long failures on an account are remembered for its delay.
EJOURNAL_LOCKOUT_ACCOUNT_HOURS = int(os.environ.get("EJOURNAL_LOCKOUT_ACCOUNT_HOURS", "24"))
# Reverse proxies whose forwarded header names the client (IPs or CIDRs, comma-separated); none by default.
EJOURNAL_TRUSTED_PROXIES = [p for p in os.environ.get("EJOURNAL_TRUSTED_PROXIES", "").split(",") if p.strip()]
EJOURNAL_CLIENT_IP_HEADER = os.environ.get("EJOURNAL_CLIENT_IP_HEADER", "X-Forwarded-For")
# Password reset requests per IP within the same window.
EJOURNAL_RESET_REQUESTS = int(os.environ.get("EJOURNAL_RESET_REQUESTS", "5"))
# Idle timeout: staff are signed out after 30 minutes without a request, students and parents after a week.
EJOURNAL_IDLE_MINUTES_STAFF = int(os.environ.get("EJOURNAL_IDLE_MINUTES_STAFF", "30"))
EJOURNAL_IDLE_MINUTES_OTHERS = int(os.environ.get("EJOURNAL_IDLE_MINUTES_OTHERS", str(7 * 24 * 60)))
SESSION_ENGINE = os.environ.get("EJOURNAL_SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 3600
OTP_TOTP_ISSUER = "ЭЖ"
# OpenID Connect providers, each enabled by its client id (docs/esia.md).
OIDC_ISSUER = os.environ.get("EJOURNAL_OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("EJOURNAL_OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("EJOURNAL_OIDC_CLIENT_SECRET", "")
OIDC_TITLE = os.environ.get("EJOURNAL_OIDC_TITLE", "Войти через OpenID Connect")
ESIA_CLIENT_ID = os.environ.get("EJOURNAL_ESIA_CLIENT_ID", "")
ESIA_BASE_URL = os.environ.get("EJOURNAL_ESIA_BASE_URL", "https://esia.gosuslugi.ru")
ESIA_ISSUER = os.environ.get("EJOURNAL_ESIA_ISSUER", "http://esia.gosuslugi.ru/")
ESIA_AUTHORIZATION_URL = os.environ.get("EJOURNAL_ESIA_AUTHORIZATION_URL", ESIA_BASE_URL + "/aas/oauth2/v2/ac")
ESIA_TOKEN_URL = os.environ.get("EJOURNAL_ESIA_TOKEN_URL", ESIA_BASE_URL + "/aas/oauth2/v3/te")
# ESIA's own certificate (PEM): its GOST key signs the ID tokens (docs/esia.md).
ESIA_VERIFY_CERT_FILE = os.environ.get("EJOURNAL_ESIA_VERIFY_CERT_FILE", "")
ESIA_PERSON_URL = os.environ.get("EJOURNAL_ESIA_PERSON_URL", ESIA_BASE_URL + "/rs/prns/{oid}")
ESIA_SCOPE = os.environ.get("EJOURNAL_ESIA_SCOPE", "openid fullname snils")
ESIA_CERT_FILE = os.environ.get("EJOURNAL_ESIA_CERT_FILE", "")
ESIA_KEY_FILE = os.environ.get("EJOURNAL_ESIA_KEY_FILE", "")
ESIA_SIGNER = os.environ.get("EJOURNAL_ESIA_SIGNER", "gost")
ESIA_PKCE = os.environ.get("EJOURNAL_ESIA_PKCE", "1") == "1"

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
# Full backups (docs/user/backups.md): the folder of the automatic copy on the 2nd day of holidays (an external
# disk's mount point; empty: no automatic copy) and the file holding the encryption key (never in the backup).
EJOURNAL_BACKUP_DIR = os.environ.get("EJOURNAL_BACKUP_DIR", "")
EJOURNAL_BACKUP_KEY_FILE = os.environ.get("EJOURNAL_BACKUP_KEY_FILE", "")

# Uploads of timetable/КТП files are small; a hostile 100 MB file is refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Import files (people, classes) larger than this are refused before they are read.
IMPORT_MAX_BYTES = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # limit is clamped to 500 (ejournal/core/inputs.py); JSON bodies take finite numbers and bounded nesting.
    "DEFAULT_PAGINATION_CLASS": "ejournal.api.v1.inputs.BoundedPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_PARSER_CLASSES": [
        "ejournal.api.v1.inputs.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "ejournal.api.v1.errors.exception_handler",
    # A teacher filling a grid by keyboard makes a few requests a second at most; a script far more.
    "DEFAULT_THROTTLE_CLASSES": [
        "ejournal.core.throttling.AnonRateThrottle",
        "ejournal.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "1200/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ЭЖ API",
    "DESCRIPTION": "Электронный журнал и дневник: REST API",
    "VERSION": "1",
    # Several models have a `kind` or a `status`: each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "ejournal.accounts.models.Role",
        "ImportKindEnum": "ejournal.interop.kinds.ImportKind",
        "ImportStatusEnum": "ejournal.interop.models.ImportStatus",
        "PeriodMarkKindEnum": "ejournal.journal.models.PeriodMarkKind",
        "EventKindEnum": "ejournal.audit.models.EventKind",
        "DeliveryStatusEnum": "ejournal.notifications.models.Status",
        "LessonStatusEnum": "ejournal.curriculum.models.LessonStatus",
        "PeriodKindEnum": "ejournal.schools.models.PeriodKind",
        "HolidayKindEnum": "ejournal.schools.models.HolidayKind",
    },
    # Every operation's default response is the one error shape, `Error`, with `code` an enum of all codes.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ejournal.api.v1.error_codes.add_error_component",
    ],
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
# Where the school administrator escalates a support request (ejournal/support); empty: copied by hand.
SUPPORT_EMAIL = os.environ.get("EJOURNAL_SUPPORT_EMAIL", "")
SITE_URL = os.environ.get("EJOURNAL_SITE_URL", "http://127.0.0.1:8000")
VAPID_PRIVATE_KEY = os.environ.get("EJOURNAL_VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = os.environ.get("EJOURNAL_VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = os.environ.get("EJOURNAL_VAPID_SUBJECT", "mailto:admin@ejournal.local")
TELEGRAM_API_BASE = os.environ.get("EJOURNAL_TELEGRAM_API_BASE", "https://api.telegram.org")
TELEGRAM_BOT_TOKEN = os.environ.get("EJOURNAL_TELEGRAM_BOT_TOKEN", "")
# The bot's name makes the «open in Telegram» deep link (t.me/<name>?start=<code>).
TELEGRAM_BOT_USERNAME = os.environ.get("EJOURNAL_TELEGRAM_BOT_USERNAME", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # A short trace of each server error for «Состояние системы» (ejournal/status/errors.py).
        "server_errors": {"class": "ejournal.status.errors.ServerErrorHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"handlers": ["server_errors"], "level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG it logs every missing template variable with the whole context (names of the people on
        # the page): never, whatever level the root logger is turned to (152-ФЗ: no personal data in logs).
        "django.template": {"level": "INFO"},
    },
}
