"""JSON shapes the grid page and the API share: a cell, a row's figures, a lesson panel, a history.

Read-only helpers; every function that reads checks access through the selectors or access/ it calls.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ejournal.access import journal as access
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.time import ru_date
from ejournal.curriculum.models import Lesson
from ejournal.schools.models import Period

from . import attachments as homework_files
from . import lessons as lesson_records
from . import period_marks, periods, selectors
from .models import Homework, HomeworkAttachment, LessonWork, MarkKind, PeriodClosure, PeriodMarkKind
from .period_marks import PeriodMarkState
from .services import CellState


def cell(state: CellState) -> dict[str, Any]:
    return {
        "lesson": state.lesson_id,
        "student": state.student_id,
        "text": state.text,
        "version": state.version,
        "attendance": state.attendance,
        "marks": [{"value": m.value, "kind": m.kind_id, "comment": m.comment, "late": m.is_late} for m in state.marks],
        "late": any(m.is_late for m in state.marks),
    }


def period_mark(state: PeriodMarkState) -> dict[str, Any]:
    return {
        "student": state.student_id,
        "kind": state.kind,
        "period": state.period_id,
        "value": state.value,
        "version": state.version,
        "suggested": state.suggested,
        "average": str(state.average) if state.average is not None else None,
        "marks_count": state.marks_count,
        "norm": state.norm,
        "deviation": state.is_deviation,
        "warnings": list(state.warnings),
    }


def row_figures(*, lesson: Lesson, student: User) -> dict[str, Any] | None:
    """The student's average, marks count and suggestion in the lesson's journal and period, so that the
    grid row updates after a save without reloading the page."""
    group = lesson.class_group
    period = periods.period_on(periods.periods_of_class(group), lesson.date)
    if period is None:
        return None
    state = period_marks.period_mark_state(
        assignment=lesson.assignment, student=student, kind=PeriodMarkKind.PERIOD, period=period
    )
    return {
        "average": str(state.average) if state.average is not None else None,
        "marks_count": state.marks_count,
        "norm": state.norm,
        "suggested": state.suggested,
        "deviation": state.is_deviation,
    }


def history(entries: list[selectors.HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor,
            "what": e.what,
            "old": e.old,
            "new": e.new,
            "reason": e.reason,
        }
        for e in entries
    ]


def lesson_label(lesson: Lesson) -> str:
    return f"{ru_date(lesson.date)}, {lesson.number}-й урок"


def attachment(item: HomeworkAttachment) -> dict[str, Any]:
    """A homework file as the lesson panel and the API list it; `url` downloads it (access checked)."""
    return {
        "id": item.pk,
        "name": item.original_name,
        "size": item.size,
        "size_text": homework_files.size_ru(item.size),
        "content_type": item.content_type,
        "uploaded_at": item.uploaded_at.isoformat(),
        "uploaded_by": item.uploaded_by.short_name,
        "url": reverse("journal:attachment", args=[item.pk]),
    }


def lesson_panel(*, user: User, lesson: Lesson) -> dict[str, Any]:
    """What the lesson panel shows: topic with the КТП's suggestion, homework with its files, kind of
    work, history."""
    suggestion = lesson_records.suggest_topic(lesson)
    homework = Homework.objects.filter(school_id=lesson.school_id, lesson=lesson).order_by("id").first()
    work = (
        LessonWork.objects.filter(school_id=lesson.school_id, lesson=lesson).values_list("kind_id", flat=True).first()
    )
    if work is None:
        work = MarkKind.objects.filter(school_id=lesson.school_id, is_default=True).values_list("pk", flat=True).first()
    return {
        "id": lesson.pk,
        "title": lesson_label(lesson),
        "date": lesson.date.isoformat(),
        "number": lesson.number,
        "topic": lesson.topic,
        "planned_topic": lesson.planned_topic_id,
        "suggestion": {"id": suggestion.pk, "title": suggestion.title} if suggestion else None,
        "homework": {
            "text": homework.text if homework else "",
            "due_date": homework.due_date.isoformat() if homework and homework.due_date else None,
            "files": [attachment(item) for item in homework_files.lesson_attachments(lesson)],
        },
        "kind": work,
        "editable": access.can_edit_lesson(user, lesson) or access.can_correct(user),
        "history": history(selectors.lesson_history(user=user, lesson=lesson)),
    }


def closures_page(user: User) -> list[dict[str, Any]]:
    """For the deputy: each period of the current years with its school-wide and per-class closures."""
    access.require_can_close_periods(user)
    classes = list(access_schools.visible_classes(user).order_by("grade", "letter"))
    year_ids = {c.year_id for c in classes}
    closed = {
        (period_id, class_id)
        for period_id, class_id in PeriodClosure.objects.filter(school_id=user.school_id).values_list(
            "period_id", "class_group_id"
        )
    }
    result = []
    for period in (
        Period.objects.filter(school_id=user.school_id, scheme__year_id__in=year_ids)
        .select_related("scheme")
        .order_by("scheme__grade_from", "start")
    ):
        scheme = period.scheme
        school_closed = (period.pk, None) in closed
        result.append(
            {
                "period": period,
                "grades": f"{scheme.grade_from}–{scheme.grade_to}",
                "school_closed": school_closed,
                "classes": [
                    {"group": c, "closed": school_closed or (period.pk, c.pk) in closed}
                    for c in classes
                    if c.year_id == scheme.year_id and scheme.covers(c.grade)
                ],
            }
        )
    return result
