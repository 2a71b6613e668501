"""Journal events → outbox in two steps.

In the teacher's request, inside the mark's own transaction, a receiver of `journal.signals` writes one
`JournalEvent` row (the outbox): nothing else, so the mark save stays cheap, and the event commits or rolls
back with the mark — a failure to record it fails the write rather than losing the event. The worker
(`process_events`, first step of every delivery run) turns each event into messages for the student and
the parents by their preferences, merging corrections within the debounce window. Texts carry the
child's first name, the subject, the value and the date; links carry ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ejournal.core.time import ru_date
from ejournal.curriculum.models import Lesson, Subject
from ejournal.journal.models import AttendanceCode, PeriodMark, PeriodMarkKind
from ejournal.schools.models import Enrolment, SubgroupMember

from .averages import check_average
from .models import Event, JournalEvent
from .recipients import Relative, diary_url, family
from .services import Draft, debounce, enqueue, load_preferences

log = logging.getLogger(__name__)


def _record(kind: str) -> Callable[..., None]:
    def receiver(sender: object, signal: object = None, **kwargs: Any) -> None:
        # No try/except: this runs in the change's transaction, and an event that cannot be written must
        # undo the change (the teacher sees an error and retries) rather than be lost after the commit.
        # The machine's time, not the school calendar's clock: the worker compares it with its own (debounce,
        # retries, quiet hours), and tests that set the calendar clock must not move deliveries into the future.
        JournalEvent.objects.create(school_id=kwargs["school_id"], kind=kind, payload=kwargs, at=timezone.now())

    receiver.__name__ = f"record_{kind}"
    return receiver


record_marks = _record("mark")
record_attendance = _record("absence")
record_period_mark = _record("period_mark")
record_homework = _record("homework")


def process_events(limit: int = 1000) -> int:
    """Turn waiting journal events into messages, oldest first; a failing event stays for the next run."""
    done = 0
    for event in JournalEvent.objects.order_by("pk")[:limit]:
        handler = HANDLERS.get(event.kind)
        try:
            with transaction.atomic():
                # Taking the row first: of two workers only one finds it to delete.
                if not JournalEvent.objects.filter(school_id=event.school_id, pk=event.pk).delete()[0]:
                    continue
                if handler is not None:
                    payload = {k: v for k, v in event.payload.items() if k != "school_id"}
                    handler(school_id=event.school_id, at=event.at, **payload)
        except Exception as exc:
            log.exception("notifications: processing journal event %s failed", event.pk)
            JournalEvent.objects.filter(school_id=event.school_id, pk=event.pk).update(
                attempts=F("attempts") + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:300]
            )
        else:
            done += 1
    return done


def _lesson(school_id: int, lesson_id: int) -> dict[str, Any] | None:
    row = (
        Lesson.objects.filter(school_id=school_id, pk=lesson_id)
        .values("date", "subject_id", "subject__name", "class_group_id", "subgroup_id")
        .first()
    )
    return dict(row) if row else None


def _marks_text(name: str, subject: str, day: dt.date, before: Sequence[str], after: Sequence[str]) -> tuple[str, str]:
    where = f"по предмету «{subject}» за {ru_date(day)}"
    if not before:
        return "Новая отметка", f"{name}: {'/'.join(after)} {where}"
    if not after:
        return "Отметка отменена", f"{name}: отметка {'/'.join(before)} {where} отменена"
    return "Отметка изменена", f"{name}: отметка {where} изменена: {'/'.join(before)} → {'/'.join(after)}"


def tell_marks(
    *, school_id: int, at: dt.datetime, lesson_id: int, student_id: int, marks: list[str], previous: list[str], **_: Any
) -> None:
    lesson = _lesson(school_id, lesson_id)
    if lesson is None:
        return
    people = family(school_id, [student_id])
    drafts = []
    for p in people:

        def describe(before: Any, p: Relative = p) -> tuple[str, str]:
            return _marks_text(p.child_name, lesson["subject__name"], lesson["date"], before or [], marks)

        title, text = describe(previous)
        drafts.append(
            Draft(
                p.recipient, title, text, diary_url(student_id, lesson["date"]),
                dedupe_key=f"mark:{lesson_id}:{student_id}", baseline=previous, final=marks, describe=describe,
            )
        )  # fmt: skip
    prefs = load_preferences(school_id, [p.recipient.user_id for p in people])
    enqueue(school_id=school_id, event=Event.MARK, drafts=drafts, delay=debounce(), prefs=prefs, at=at)
    if any(p.average_threshold is not None for p in prefs.values()):
        check_average(school_id=school_id, student_id=student_id, lesson_id=lesson_id, previous=previous, at=at)


ABSENCE_WORDS: dict[str, str] = {
    AttendanceCode.ABSENT: "отсутствовал(а) на уроке",
    AttendanceCode.ILL: "отсутствовал(а) на уроке по болезни",
    AttendanceCode.EXCUSED: "отсутствовал(а) на уроке по уважительной причине",
    AttendanceCode.UNEXCUSED: "отсутствовал(а) на уроке без уважительной причины",
    AttendanceCode.LATE: "опоздал(а) на урок",
}


def tell_absence(
    *, school_id: int, at: dt.datetime, lesson_id: int, student_id: int, code: str, previous: str, **_: Any
) -> None:
    # A reason given later (н → б) is bookkeeping, not news; a removed mark only cancels a pending message.
    if previous and code:
        return
    lesson = _lesson(school_id, lesson_id)
    if lesson is None:
        return
    drafts = [
        Draft(
            p.recipient,
            "Пропуск урока" if code != AttendanceCode.LATE else "Опоздание",
            f"{p.child_name} {ABSENCE_WORDS.get(code, code)} «{lesson['subject__name']}» {ru_date(lesson['date'])}",
            diary_url(student_id, lesson["date"]),
            dedupe_key=f"absence:{lesson_id}:{student_id}",
            baseline=previous,
            final=code,
            only_merge=not code,
        )
        for p in family(school_id, [student_id])
    ]
    enqueue(school_id=school_id, event=Event.ABSENCE, drafts=drafts, delay=debounce(), at=at)


def tell_period_mark(
    *,
    school_id: int,
    at: dt.datetime,
    period_mark_id: int | None,
    student_id: int,
    subject_id: int,
    kind: str,
    value: str | None,
    previous: str | None,
    **_: Any,
) -> None:
    value, previous = value or "", previous or ""
    subject = Subject.objects.filter(school_id=school_id, pk=subject_id).values_list("name", flat=True).first()
    if subject is None:
        return
    label = PeriodMarkKind(kind).label if kind in PeriodMarkKind.values else kind
    if kind == PeriodMarkKind.PERIOD and period_mark_id is not None:
        mark = (
            PeriodMark.objects.filter(school_id=school_id, pk=period_mark_id).select_related("period__scheme").first()
        )
        if mark is not None and mark.period is not None:
            label = f"за {mark.period.name}"
    drafts = [
        Draft(
            p.recipient,
            "Отметка за период" if value else "Отметка за период отменена",
            f"{p.child_name}: отметка {label} по предмету «{subject}»: {value}"
            if value
            else f"{p.child_name}: отметка {label} по предмету «{subject}» отменена",
            diary_url(student_id),
            dedupe_key=f"period:{student_id}:{subject_id}:{kind}",
            baseline=previous,
            final=value,
        )
        for p in family(school_id, [student_id])
    ]
    enqueue(school_id=school_id, event=Event.PERIOD_MARK, drafts=drafts, delay=debounce(), at=at)


def lesson_students(school_id: int, lesson: dict[str, Any]) -> list[int]:
    """Students of the lesson's class (and subgroup) on its date: one query."""
    qs = Enrolment.objects.filter(
        school_id=school_id, class_group_id=lesson["class_group_id"], start__lte=lesson["date"]
    ).filter(Q(end__isnull=True) | Q(end__gte=lesson["date"]))
    if lesson["subgroup_id"]:
        qs = qs.filter(
            student_id__in=SubgroupMember.objects.filter(school_id=school_id, subgroup_id=lesson["subgroup_id"]).values(
                "student_id"
            )
        )
    return list(qs.values_list("student_id", flat=True).distinct())


HOMEWORK_PREVIEW = 200


def tell_homework(
    *, school_id: int, at: dt.datetime, lesson_id: int, text: str, due_date: str | None, **_: Any
) -> None:
    lesson = _lesson(school_id, lesson_id)
    if lesson is None:
        return
    day = dt.date.fromisoformat(due_date) if due_date else lesson["date"]
    preview = text if len(text) <= HOMEWORK_PREVIEW else text[: HOMEWORK_PREVIEW - 1] + "…"
    drafts = [
        Draft(
            p.recipient,
            "Домашнее задание",
            f"{p.child_name}: домашнее задание по предмету «{lesson['subject__name']}» к {ru_date(day)}: {preview}",
            diary_url(p.child_id, day),
            dedupe_key=f"homework:{lesson_id}:{p.child_id}",
            baseline="",
            final=text,
            only_merge=not text,
        )
        for p in family(school_id, lesson_students(school_id, lesson))
    ]
    enqueue(school_id=school_id, event=Event.HOMEWORK, drafts=drafts, delay=debounce(), at=at)


HANDLERS: dict[str, Callable[..., None]] = {
    "mark": tell_marks,
    "absence": tell_absence,
    "period_mark": tell_period_mark,
    "homework": tell_homework,
}
