"""The logging handler that keeps a short trace of each server error (models.ServerError).

Attached to the `django.request` logger (config/settings/base.py, LOGGING) at ERROR: Django logs every answer
of 500 and above there, with the request and the exception. The handler must never make things worse: it
never raises (a failed write is dropped — the console handler still has the error), never recurses (an error
while writing is not written again), and never asks the database for the user (the request's user is read only
when the request already loaded it). The purge of old rows is purge.py.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.apps import apps
from django.db import transaction

from ejournal.core import time as clock

_busy = threading.local()
PATH_LIMIT = 300


class ServerErrorHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if getattr(_busy, "on", False):
            return
        _busy.on = True
        try:
            write(record)
        except Exception:  # the error log must never become an error itself
            pass
        finally:
            _busy.on = False


def _school_id(request: Any) -> int | None:
    user = getattr(request, "_cached_user", None)  # set once the request read request.user; no query here
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "school_id", None)


def write(record: logging.LogRecord) -> None:
    # Looked up, not imported: logging is configured with the settings, before the models can be imported.
    ServerError = apps.get_model("status", "ServerError")
    status_code = int(getattr(record, "status_code", 500) or 500)
    if status_code < 500:
        return
    request = getattr(record, "request", None)
    path = str(getattr(request, "path", "") or "")[:PATH_LIMIT]  # the path only: the query may carry names
    exc_type = record.exc_info[0] if record.exc_info else None
    exception = f"{exc_type.__module__}.{exc_type.__qualname__}"[:200] if exc_type else ""
    # A savepoint: a failed write leaves the caller's transaction usable.
    with transaction.atomic():
        ServerError.objects.create(
            school_id=_school_id(request),
            at=clock.now(),
            path=path,
            exception=exception,
            status_code=status_code,
        )
