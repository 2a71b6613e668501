"""Password reset letters leave through the worker: the request answers at once, and the same way whether
or not the address is known (no timing difference to probe)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_reset_letter(subject: str, body: str, to: str) -> None:
    EmailMessage(subject, body, None, [to]).send()


@task()
def send_letter(subject: str, body: str, to: str) -> None:
    """A letter about the person's own account (a changed password): sent by the worker like the reset."""
    EmailMessage(subject, body, None, [to]).send()
