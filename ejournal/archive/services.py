"""Writes of the archive app. The backup log is written only here."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.schools.models import School


def log_entry(
    *,
    kind: LogKind,
    status: LogStatus,
    what: str,
    where: str = "",
    size: int | None = None,
    sha256: str = "",
    school: School | None = None,
    actor: User | None = None,
    details: dict[str, Any] | None = None,
) -> BackupLogEntry:
    """One row of the backup log. `at` is the machine's time (timezone.now), not the school clock: the log
    records when the file was really written, whatever day a test or a school's calendar pretends it is."""
    return BackupLogEntry.objects.create(
        kind=kind,
        status=status,
        what=what,
        where=where,
        size=size,
        sha256=sha256,
        school=school,
        actor=actor,
        details=details or {},
        at=timezone.now(),
    )
