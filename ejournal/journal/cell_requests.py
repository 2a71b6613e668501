"""The one request adapter of "save a cell", shared by the grid page (journal:cell) and the API
(PUT /api/v1/journal/lessons/<l>/cells/<s>/).

Each surface only decodes its body (the page's JSON endpoint, DRF's strict JSON parser) and draws the result
in its own format; reading the fields, choosing the service call and turning its outcome into a result live
here, so the page and the API cannot drift apart (they once did: a body with only "attendance" cleared the
whole cell on the page and set the attendance through the API).

Body: {"text": "5/4", "kind": 3, "version": "…", "reason": ""} as typed in the grid, or {"marks": [{"value",
"kind", "comment"}], "attendance": "оп", "version": "…"} from the cell panel, or {"attendance": "н"} alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.errors import Conflict, ValidationFailed

from . import lookups, payloads, services

MAX_MARKS = 10  # a cell holds a few marks; more is a broken or hostile client


@dataclass(frozen=True)
class MarkRequest:
    value: str
    kind_id: int | None
    comment: str | None  # None keeps the comment of the mark already at that place


@dataclass(frozen=True)
class CellRequest:
    """What the client asked for, read and checked; nothing looked up yet."""

    text: str | None  # the cell as typed in the grid
    marks: tuple[MarkRequest, ...] | None  # the cell panel: marks with kinds and comments
    attendance: str | None
    kind_id: int | None
    version: str | None
    reason: str


@dataclass(frozen=True)
class CellSaved:
    cell: dict[str, Any]
    row: dict[str, Any] | None  # the student's figures in the lesson's period (None outside every period)


@dataclass(frozen=True)
class CellConflict:
    """The version the client saw is stale: the message names both values, `current` is the cell now."""

    message: str
    status: int
    current: dict[str, Any]


CellResult = CellSaved | CellConflict


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    return inputs.text_field(data.get(key), key, limit=limit)


def _id(data: dict[str, Any], key: str) -> int | None:
    return inputs.id_field(data.get(key), key)


def _marks(raw: object) -> tuple[MarkRequest, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_MARKS or not all(isinstance(m, dict) and "value" in m for m in raw):
        raise ValidationFailed("Отметки переданы неверно.", field="marks")
    return tuple(
        MarkRequest(
            value=_text(m, "value", 10),
            kind_id=_id(m, "kind"),
            comment=_text(m, "comment", 300) if "comment" in m else None,
        )
        for m in raw
    )


def parse_cell_request(data: object) -> CellRequest:
    """The decoded JSON body, read once: a wrong field is a ValidationFailed (422) naming it."""
    if not isinstance(data, dict):
        raise ValidationFailed("Запрос не читается (ожидается объект JSON).")
    return CellRequest(
        text=_text(data, "text", 60) if "text" in data else None,
        marks=_marks(data["marks"]) if "marks" in data else None,
        attendance=_text(data, "attendance", 4) if "attendance" in data else None,
        kind_id=_id(data, "kind"),
        version=_text(data, "version", 16) or None,
        reason=_text(data, "reason", 500),
    )


def save_cell(*, user: User, lesson_id: int, student_id: int, body: object) -> CellResult:
    """Parse, look up (404 outside the user's journals), call the service; a stale version is a
    CellConflict carrying the cell as it is now, every other refusal a DomainError the surface maps."""
    request = parse_cell_request(body)
    lesson = lookups.lesson_for(user, lesson_id)
    student = lookups.student_for(user, student_id)
    try:
        if request.marks is not None:
            state = services.set_cell_content(
                actor=user,
                lesson=lesson,
                student=student,
                marks=[
                    services.MarkInput(value=m.value, kind=lookups.kind_for(user, m.kind_id), comment=m.comment)
                    for m in request.marks
                ],
                attendance=request.attendance or "",
                expected_version=request.version,
                reason=request.reason,
            )
        elif request.text is not None:
            state = services.set_cell(
                actor=user,
                lesson=lesson,
                student=student,
                text=request.text,
                kind=lookups.kind_for(user, request.kind_id),
                expected_version=request.version,
                reason=request.reason,
            )
        else:
            state = services.set_attendance(
                actor=user,
                lesson=lesson,
                student=student,
                code=request.attendance or "",
                expected_version=request.version,
                reason=request.reason,
            )
    except Conflict as exc:
        current = payloads.cell(services.cell_state(lesson=lesson, student=student))
        return CellConflict(message=exc.message, status=exc.status, current=current)
    return CellSaved(cell=payloads.cell(state), row=payloads.row_figures(lesson=lesson, student=student))
