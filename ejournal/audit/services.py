"""Recording security events. Every part of the product records through `record`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.core.clientip import client_ip

from .models import EventKind, SecurityEvent

__all__ = ["client_ip", "record"]  # client_ip is core.clientip's, re-exported for older imports


def record(
    *,
    kind: EventKind | str,
    summary: str,
    actor: User | None = None,
    subject: User | None = None,
    school_id: int | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event. The school is the actor's, else the subject's, unless given.

    `summary` and `details` must not carry names, birth dates, СНИЛС or e-mail: the ids of actor and
    subject identify the people, and the page shows their names only to those who may see them.
    """
    if school_id is None:
        school_id = next((u.school_id for u in (actor, subject) if u is not None and u.school_id), None)
    return SecurityEvent.objects.create(
        school_id=school_id,
        at=timezone.now(),
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        subject=subject,
        summary=summary[:300],
        details=details or {},
        ip=client_ip(request),
    )
