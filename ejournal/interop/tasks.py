"""The import's commit runs in the worker (django-tasks), never inside the administrator's request."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def run_import(batch_id: int) -> str:
    return services.run_commit(batch_id=batch_id).status
