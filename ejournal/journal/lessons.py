"""The lesson's own record: topic (suggested from the КТП), homework and the kind of work, with history."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from ejournal.access import journal as access
from ejournal.access import tenancy
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum.models import Lesson, LessonStatus, PlannedTopic

from . import history, periods, signals
from .models import ChangeKind, Homework, HomeworkAttachment, LessonWork, Mark, MarkKind
from .services import lesson_kind, lock_lesson, marks_text

MAX_TOPIC = 500
MAX_HOMEWORK = 5000


def suggest_topic(lesson: Lesson) -> PlannedTopic | None:
    """The next unfinished topic of the КТП: the first, in plan order, that has fewer lessons given to it
    than its hours (this lesson not counted, cancelled ones neither)."""
    topics = (
        PlannedTopic.objects.filter(school_id=lesson.school_id, assignment_id=lesson.assignment_id)
        .annotate(
            used=Count(
                "lessons",
                filter=Q(lessons__status=LessonStatus.PLANNED) & ~Q(lessons__pk=lesson.pk),
            )
        )
        .order_by("position")
    )
    for topic in topics:
        if topic.used < topic.hours:
            return topic
    return None


def _history(actor: User, lesson: Lesson, kind: ChangeKind, old: str, new: str, reason: str) -> None:
    history.record(school_id=lesson.school_id, actor=actor, kind=kind, lesson=lesson, old=old, new=new, reason=reason)


def begin_lesson_write(actor: User, lesson: Lesson, reason: str) -> tuple[Lesson, str]:
    """Access, row lock and the period lock, shared by the lesson's writes (homework files too)."""
    tenancy.in_school_of(actor, lesson)
    reason = access.require_can_edit_lesson(actor, lesson, reason=reason)
    lesson = lock_lesson(lesson)
    reason = periods.require_day_open(actor=actor, class_group=lesson.class_group, day=lesson.date, reason=reason)
    if lesson.is_cancelled:
        raise ValidationFailed(f"Урок {ru_date(lesson.date)} отменён: записи в нём не ведутся.")
    return lesson, reason


@transaction.atomic
def set_topic(
    *,
    actor: User,
    lesson: Lesson,
    topic: str,
    planned_topic: PlannedTopic | None = None,
    reason: str = "",
) -> Lesson:
    """The topic of the lesson; taking a КТП topic links the lesson to it (program execution counts it).
    An empty topic with a КТП topic takes the КТП's wording."""
    lesson, reason = begin_lesson_write(actor, lesson, reason)
    topic = " ".join((topic or "").split())
    if planned_topic is not None:
        if planned_topic.assignment_id != lesson.assignment_id:
            raise ValidationFailed("Эта тема из КТП другого класса или предмета.", field="planned_topic")
        topic = topic or planned_topic.title
    if len(topic) > MAX_TOPIC:
        raise ValidationFailed(f"Тема урока длиннее {MAX_TOPIC} знаков.", field="topic")
    if topic == lesson.topic and (planned_topic.pk if planned_topic else None) == lesson.planned_topic_id:
        return lesson
    old = lesson.topic
    lesson.topic = topic
    lesson.planned_topic = planned_topic
    lesson.save(update_fields=["topic", "planned_topic"])
    _history(actor, lesson, ChangeKind.TOPIC, old, topic, reason)
    return lesson


def next_lesson_date(lesson: Lesson) -> dt.date | None:
    """The date of the next lesson of the same class (subgroup) and subject: homework is due then."""
    return (
        Lesson.objects.filter(
            school_id=lesson.school_id,
            class_group_id=lesson.class_group_id,
            subgroup_id=lesson.subgroup_id,
            subject_id=lesson.subject_id,
            status=LessonStatus.PLANNED,
            date__gt=lesson.date,
        )
        .order_by("date", "number")
        .values_list("date", flat=True)
        .first()
    )


def _homework_text(homework: Homework | None) -> str:
    if homework is None:
        return ""
    due = f" (к {ru_date(homework.due_date)})" if homework.due_date else ""
    return homework.text + due


@transaction.atomic
def set_homework(
    *,
    actor: User,
    lesson: Lesson,
    text: str,
    due_date: dt.date | None = None,
    reason: str = "",
) -> Homework | None:
    """The homework given in the lesson; due by the next lesson unless a date is given; "" removes it
    (only its text while files are attached to it)."""
    lesson, reason = begin_lesson_write(actor, lesson, reason)
    text = (text or "").strip()
    if len(text) > MAX_HOMEWORK:
        raise ValidationFailed(f"Домашнее задание длиннее {MAX_HOMEWORK} знаков.", field="text")
    homework_of = Homework.objects.filter(school_id=lesson.school_id, lesson=lesson)
    current = homework_of.order_by("id").first()
    old = _homework_text(current)
    if not text:
        if current is None:
            return None
        if HomeworkAttachment.objects.filter(school_id=lesson.school_id, homework__lesson=lesson).exists():
            # The files stay given: the homework keeps its row (and due date), only without words.
            if not current.text:
                return current
            current.text, current.updated_at = "", clock.now()
            current.save(update_fields=["text", "updated_at"])
            _history(actor, lesson, ChangeKind.HOMEWORK, old, "", reason)
            _announce_homework(actor, lesson, "", current.due_date)
            return current
        homework_of.delete()
        _history(actor, lesson, ChangeKind.HOMEWORK, old, "", reason)
        _announce_homework(actor, lesson, "", None)
        return None
    due_date = due_date or next_lesson_date(lesson)
    if due_date is not None and due_date <= lesson.date:
        raise ValidationFailed(
            f"Срок задания {ru_date(due_date)} не позже дня урока {ru_date(lesson.date)}.", field="due_date"
        )
    now = clock.now()
    if current is None:
        current = Homework.objects.create(
            school_id=lesson.school_id,
            lesson=lesson,
            text=text,
            due_date=due_date,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
    elif (current.text, current.due_date) == (text, due_date):
        return current
    else:
        current.text, current.due_date, current.updated_at = text, due_date, now
        current.save(update_fields=["text", "due_date", "updated_at"])
    _history(actor, lesson, ChangeKind.HOMEWORK, old, _homework_text(current), reason)
    _announce_homework(actor, lesson, text, due_date)
    return current


def _announce_homework(actor: User, lesson: Lesson, text: str, due_date: dt.date | None) -> None:
    signals.homework_changed.send(  # in the transaction: the outbox row commits with the homework
        sender=Homework,
        school_id=lesson.school_id,
        lesson_id=lesson.pk,
        actor_id=actor.pk,
        text=text,
        due_date=due_date,
    )


@transaction.atomic
def set_lesson_kind(*, actor: User, lesson: Lesson, kind: MarkKind, reason: str = "") -> int:
    """The kind of work of the lesson (the column header): new marks get it, and marks already entered
    with the lesson's previous kind move to it (each change in the history). Returns how many moved."""
    lesson, reason = begin_lesson_write(actor, lesson, reason)
    if not tenancy.one_school(kind, lesson):
        raise ValidationFailed("Такого вида работы в школе нет.", field="kind")
    previous = lesson_kind(lesson)
    LessonWork.objects.update_or_create(school_id=lesson.school_id, lesson=lesson, defaults={"kind": kind})
    if previous.pk == kind.pk:
        return 0
    now = clock.now()
    marks_of = Mark.objects.filter(school_id=lesson.school_id, lesson=lesson)
    moved = set(marks_of.filter(kind=previous).values_list("pk", flat=True))
    # A cell's history row holds the whole cell before and after (as the cell's own writes do), so the
    # journal can be read back as of any moment (as_of.py) from the rows alone.
    touched = set(marks_of.filter(pk__in=moved).values_list("student_id", flat=True))
    cells: dict[int, list[Mark]] = {}
    for mark in marks_of.filter(student_id__in=touched).order_by("student_id", "position"):
        cells.setdefault(mark.student_id, []).append(mark)
    kinds = {k.pk: k for k in MarkKind.objects.filter(school_id=lesson.school_id)}
    records = []
    for student_id, marks in cells.items():
        old_text = marks_text(marks, kinds)
        for mark in marks:
            if mark.pk in moved:
                mark.kind_id = kind.pk
        records.append(
            history.change(
                school_id=lesson.school_id,
                at=now,
                actor=actor,
                kind=ChangeKind.MARK,
                lesson=lesson,
                student_id=student_id,
                old=old_text,
                new=marks_text(marks, kinds),
                reason=reason,
            )
        )
    marks_of.filter(pk__in=moved).update(kind=kind, updated_at=now)
    records.append(
        history.change(
            school_id=lesson.school_id,
            at=now,
            actor=actor,
            kind=ChangeKind.LESSON_WORK,
            lesson=lesson,
            old=previous.name,
            new=kind.name,
            reason=reason,
        )
    )
    history.record_many(records)
    return len(moved)


@transaction.atomic
def save_lesson_record(
    *,
    actor: User,
    lesson: Lesson,
    topic: str | None = None,
    planned_topic: PlannedTopic | None = None,
    homework: str | None = None,
    due_date: dt.date | None = None,
    kind: MarkKind | None = None,
    reason: str = "",
) -> Lesson:
    """The lesson panel's save: kind of work, topic and homework at once, all or nothing. None leaves a
    part as it is."""
    if kind is not None:
        set_lesson_kind(actor=actor, lesson=lesson, kind=kind, reason=reason)
    if topic is not None or planned_topic is not None:
        set_topic(actor=actor, lesson=lesson, topic=topic or "", planned_topic=planned_topic, reason=reason)
    if homework is not None:
        set_homework(actor=actor, lesson=lesson, text=homework, due_date=due_date, reason=reason)
    lesson.refresh_from_db()
    return lesson
