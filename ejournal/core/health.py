"""What /healthz reports: the database answers, the worker beats, the queue is not stuck."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from .models import WorkerBeat

WORKER_STALE_AFTER = dt.timedelta(seconds=60)
# Any of these means a proxy passed the request on: a public request through a proxy on the same machine
# also arrives from 127.0.0.1.
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def is_local_probe(request: HttpRequest) -> bool:
    """A request made on this machine (monitoring, the operator's curl): REMOTE_ADDR is loopback and no
    proxy forwarded it. Deliberately not core.clientip: a forwarded header never makes a request local."""
    try:
        remote = ipaddress.ip_address(request.META.get("REMOTE_ADDR") or "")
    except ValueError:
        return False
    header = "HTTP_" + settings.EJOURNAL_CLIENT_IP_HEADER.upper().replace("-", "_")
    forwarded = any(request.META.get(h) for h in (*FORWARDING_HEADERS, header))
    return remote.is_loopback and not forwarded


def database_state() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not usable
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def worker_state() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    try:
        last = WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except Exception as exc:  # the database is down: the worker state is unknown
        return {"ok": False, "error": exc.__class__.__name__}
    alive = last is not None and now - last < WORKER_STALE_AFTER
    return {
        "ok": alive,
        "last_beat_seconds_ago": None if last is None else round((now - last).total_seconds(), 1),
        "queue_waiting": waiting,
        "oldest_waiting_seconds": None if oldest is None else round((now - oldest).total_seconds(), 1),
    }
