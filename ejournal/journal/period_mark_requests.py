"""The one request adapter of "save a period mark", shared by the grid and year pages (journal:period_mark) and
the API (PUT /api/v1/journal/<assignment>/period-marks/<student>/).

Each surface only decodes its body and draws the result in its own format (the page answers {"mark": …}, the
API the mark itself); reading the fields, looking the objects up and calling journal.period_marks live here, so
the two cannot drift apart (they had: the page cut a long reason or version to size and saved, the API refused
it; the page read a body without "value" as "remove the mark").

Body: {"value": "4", "kind": "period", "period": 12, "version": "…", "reason": ""}; kind defaults to the period
mark, period is needed for it only, an empty value removes the mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.errors import Conflict, ValidationFailed

from . import lookups, payloads, period_marks
from .models import PeriodMarkKind


@dataclass(frozen=True)
class PeriodMarkRequest:
    """What the client asked for, read and checked; nothing looked up yet."""

    value: str
    kind: str
    period_id: int | None
    version: str | None
    reason: str


@dataclass(frozen=True)
class PeriodMarkSaved:
    mark: dict[str, Any]


@dataclass(frozen=True)
class PeriodMarkConflict:
    """The version the client saw is stale: the message names both values, `current` is the mark now."""

    message: str
    status: int
    current: dict[str, Any]


PeriodMarkResult = PeriodMarkSaved | PeriodMarkConflict


def parse_period_mark_request(data: object) -> PeriodMarkRequest:
    """The decoded JSON body, read once: a wrong field is a ValidationFailed (422) naming it."""
    if not isinstance(data, dict):
        raise ValidationFailed("Запрос не читается (ожидается объект JSON).")
    if "value" not in data:
        # Reading a missing value as "" would remove the mark a client never meant to touch.
        raise ValidationFailed("Поле «value» обязательно (пусто удаляет отметку).", field="value")
    kind = inputs.text_field(data.get("kind"), "kind", limit=10) or PeriodMarkKind.PERIOD
    if kind not in PeriodMarkKind.values:
        raise ValidationFailed("Неизвестный вид итоговой отметки.", field="kind")
    return PeriodMarkRequest(
        value=inputs.text_field(data["value"], "value", limit=10),
        kind=kind,
        period_id=inputs.id_field(data.get("period"), "period"),
        version=inputs.text_field(data.get("version"), "version", limit=16) or None,
        reason=inputs.text_field(data.get("reason"), "reason", limit=500),
    )


def save_period_mark(*, user: User, assignment_id: int, student_id: int, body: object) -> PeriodMarkResult:
    """Parse, look up (404 outside the user's journals), call the service; a stale version is a
    PeriodMarkConflict carrying the mark as it is now, every other refusal a DomainError the surface maps."""
    request = parse_period_mark_request(body)
    assignment = lookups.assignment_for(user, assignment_id)
    student = lookups.student_for(user, student_id)
    period = lookups.period_for(user, request.period_id)
    try:
        state = period_marks.set_period_mark(
            actor=user,
            assignment=assignment,
            student=student,
            kind=request.kind,
            period=period,
            value=request.value,
            expected_version=request.version,
            reason=request.reason,
        )
    except Conflict as exc:
        current = period_marks.period_mark_state(
            assignment=assignment, student=student, kind=request.kind, period=period
        )
        return PeriodMarkConflict(message=exc.message, status=exc.status, current=payloads.period_mark(current))
    return PeriodMarkSaved(mark=payloads.period_mark(state))
