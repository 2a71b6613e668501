"""The «average fell below my threshold» event: computed by the worker (while processing the mark's journal
event), never in the teacher's request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ejournal.curriculum.models import Lesson
from ejournal.journal.counting import marks_that_count
from ejournal.journal.periods import period_on, periods_of_class
from ejournal.journal.values import weighted_average

from .models import Event, Preferences
from .recipients import diary_url, family
from .services import Draft, debounce, enqueue


def check_average(
    *, school_id: int, student_id: int, lesson_id: int, previous: list[str], at: dt.datetime | None = None
) -> int:
    """Tell those whose threshold the student's weighted average in the lesson's subject (its period) just
    fell below. The average before the change counts the cell's previous values with the same weight.
    Returns how many people are told."""
    lesson = Lesson.objects.filter(school_id=school_id, pk=lesson_id).select_related("class_group", "subject").first()
    if lesson is None:
        return 0
    period = period_on(periods_of_class(lesson.class_group), lesson.date)
    if period is None:
        return 0
    # The marks that count, as the journal and the diary count them (journal.counting).
    rows = list(
        marks_that_count(
            school_id=school_id,
            start=period.start,
            end=period.end,
            students=[student_id],
            subjects=[lesson.subject_id],
        ).values_list("lesson_id", "value", "kind__weight")
    )
    now = weighted_average((v, w) for _, v, w in rows)
    if now is None:
        return 0
    here = [w for lid, _, w in rows if lid == lesson_id]
    weight = here[0] if here else Decimal(1)
    before = weighted_average([(v, w) for lid, v, w in rows if lid != lesson_id] + [(v, weight) for v in previous])
    people = family(school_id, [student_id])
    thresholds: dict[int, Decimal] = {
        uid: t
        for uid, t in Preferences.objects.filter(
            school_id=school_id, user_id__in=[p.recipient.user_id for p in people], average_threshold__isnull=False
        ).values_list("user_id", "average_threshold")
        if t is not None
    }

    def fell_below(threshold: Decimal | None) -> bool:
        return threshold is not None and now < threshold and (before is None or before >= threshold)

    drafts = [
        Draft(
            p.recipient,
            "Средний балл ниже порога",
            f"{p.child_name}: средний балл по предмету «{lesson.subject.name}» за {period.name} — {now}, "
            f"ниже выбранного порога {thresholds[p.recipient.user_id]}",
            diary_url(student_id),
            dedupe_key=f"average:{student_id}:{lesson.subject_id}",
        )
        for p in people
        if fell_below(thresholds.get(p.recipient.user_id))
    ]
    enqueue(school_id=school_id, event=Event.LOW_AVERAGE, drafts=drafts, delay=debounce(), at=at)
    return len(drafts)
