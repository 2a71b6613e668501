"""Reports on a read replica (production settings use it when EJOURNAL_REPLICA_HOST is set; docs/scaling.md).

Reads go to the alias "replica" only inside `on_replica()`: report pages (GET and HEAD under /reports/, through
the middleware) and report computations in the worker that wrap themselves in it. Everything else, and every
write, stays on "default", so nobody reads their own fresh write from a replica that lags a second behind.
The replica gets its schema by replication: migrations run on "default" only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
REPORTS_PREFIX = "/reports/"
_on_replica: ContextVar[bool] = ContextVar("ejournal_reads_on_replica", default=False)


@contextmanager
def on_replica() -> Iterator[None]:
    """Send the reads of the block to the replica (when one is configured)."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReportsReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return REPLICA if _on_replica.get() and configured() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA


class ReportsOnReplicaMiddleware:
    """Report pages read from the replica; their forms (POST) write to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path.startswith(REPORTS_PREFIX):
            with on_replica():
                return self.get_response(request)
        return self.get_response(request)
