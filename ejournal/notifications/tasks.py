"""Background tasks of the informing part (django-tasks): the worker runs them, never a request."""

from __future__ import annotations

from django_tasks import task

from . import delivery


@task()
def deliver_batch() -> int:
    """Turn journal events into messages, build due digests, send what is due; the tick enqueues this every
    minute when anything waits."""
    return delivery.deliver_due()
