"""The load test's server (`make loadtest`, loadtest/): production settings on plain HTTP at 127.0.0.1.

Everything of prod.py (DEBUG off, Argon2, Redis cache and sessions, PostgreSQL from PG* variables) except what
needs TLS, which loopback has not: no redirect to HTTPS, no HSTS, cookies without the Secure flag.
"""

from .prod import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Only problems: a line per request would cost the server more than some requests do.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
