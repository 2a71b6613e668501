"""The lesson record: topic with the КТП suggestion, homework, kind of work; each with history."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.core.errors import Forbidden, NotFound, ValidationFailed
from ejournal.curriculum.models import PlannedTopic
from ejournal.journal import lessons, services
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import ChangeKind, ChangeRecord, Homework, Mark
from ejournal.journal.periods import close_period

MONDAY = dt.date(2026, 12, 21)


@pytest.fixture
def plan(journal):
    a = journal.assignment
    return [
        PlannedTopic.objects.create(school=a.school, assignment=a, position=1, title="Натуральные числа", hours=2),
        PlannedTopic.objects.create(school=a.school, assignment=a, position=2, title="Дроби", hours=1),
        PlannedTopic.objects.create(school=a.school, assignment=a, position=3, title="Проценты", hours=1),
    ]


def test_topic_suggestion_is_the_next_unfinished_planned_topic(journal, plan):
    first, second, third = journal.lessons[:3]
    assert lessons.suggest_topic(first) == plan[0]
    lessons.set_topic(actor=journal.teacher, lesson=first, topic="", planned_topic=plan[0])
    assert lessons.suggest_topic(second) == plan[0]  # two hours
    lessons.set_topic(
        actor=journal.teacher, lesson=second, topic="Натуральные числа (продолжение)", planned_topic=plan[0]
    )
    assert lessons.suggest_topic(third) == plan[1]
    first.refresh_from_db()
    assert first.topic == "Натуральные числа" and first.planned_topic_id == plan[0].pk
    # The lesson itself does not count against its own suggestion.
    assert lessons.suggest_topic(second) == plan[0]


def test_topic_history_and_no_record_when_unchanged(journal):
    lesson = journal.lesson_on(MONDAY)
    lessons.set_topic(actor=journal.teacher, lesson=lesson, topic="Сложение   дробей")
    lessons.set_topic(actor=journal.teacher, lesson=lesson, topic="Сложение дробей")
    lessons.set_topic(actor=journal.teacher, lesson=lesson, topic="Вычитание дробей")
    history = list(
        ChangeRecord.objects.filter(lesson=lesson, kind=ChangeKind.TOPIC)
        .order_by("id")
        .values_list("old_value", "new_value")
    )
    assert history == [("", "Сложение дробей"), ("Сложение дробей", "Вычитание дробей")]


def test_topic_from_another_plan_is_refused(journal, plan):
    russian_lesson = journal.s.russian_5a.lessons.first()
    with pytest.raises(ValidationFailed, match="КТП другого"):
        lessons.set_topic(actor=journal.s.teacher2, lesson=russian_lesson, topic="", planned_topic=plan[0])


def test_homework_is_due_by_the_next_lesson_and_keeps_history(journal):
    lesson = journal.lesson_on(MONDAY)
    homework = lessons.set_homework(actor=journal.teacher, lesson=lesson, text="№ 12, 14")
    assert homework is not None and homework.due_date == dt.date(2026, 12, 23)  # Wednesday's lesson
    lessons.set_homework(actor=journal.teacher, lesson=lesson, text="№ 12, 14, 15", due_date=dt.date(2026, 12, 28))
    lessons.set_homework(actor=journal.teacher, lesson=lesson, text="")
    assert not Homework.objects.filter(lesson=lesson).exists()
    history = list(
        ChangeRecord.objects.filter(lesson=lesson, kind=ChangeKind.HOMEWORK)
        .order_by("id")
        .values_list("old_value", "new_value")
    )
    assert history == [
        ("", "№ 12, 14 (к 23.12.2026)"),
        ("№ 12, 14 (к 23.12.2026)", "№ 12, 14, 15 (к 28.12.2026)"),
        ("№ 12, 14, 15 (к 28.12.2026)", ""),
    ]


def test_homework_due_before_the_lesson_is_refused(journal):
    with pytest.raises(ValidationFailed, match="Срок"):
        lessons.set_homework(
            actor=journal.teacher, lesson=journal.lesson_on(MONDAY), text="стр. 5", due_date=dt.date(2026, 12, 20)
        )


def test_lesson_kind_moves_the_marks_of_the_previous_kind(journal):
    lesson = journal.lesson_on(MONDAY)
    services.set_cell(actor=journal.teacher, lesson=lesson, student=journal.students[0], text="5")
    services.set_marks(
        actor=journal.teacher, lesson=lesson, student=journal.students[1], values=["4"], kind=journal.kinds["essay"]
    )
    moved = lessons.set_lesson_kind(actor=journal.teacher, lesson=lesson, kind=journal.kinds["test"])
    assert moved == 1
    kinds = dict(Mark.objects.filter(lesson=lesson).values_list("student_id", "kind__code"))
    assert kinds == {journal.students[0].pk: "test", journal.students[1].pk: "essay"}
    # New marks of the lesson get the lesson's kind.
    services.set_cell(actor=journal.teacher, lesson=lesson, student=journal.students[2], text="3")
    assert Mark.objects.get(lesson=lesson, student=journal.students[2]).kind == journal.kinds["test"]
    assert ChangeRecord.objects.filter(lesson=lesson, kind=ChangeKind.LESSON_WORK).count() == 1


def test_lesson_record_access_and_lock(journal, other_school):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(NotFound):
        lessons.set_topic(actor=s.teacher2, lesson=lesson, topic="x")
    with pytest.raises(Forbidden):
        lessons.set_homework(actor=s.class_teacher, lesson=lesson, text="x")
    with pytest.raises(NotFound):
        lessons.set_topic(actor=other_school.admin, lesson=lesson, topic="x")
    q1_lesson = journal.in_period(journal.q1)[0]
    close_period(actor=s.deputy, period=journal.q1)
    with pytest.raises(JournalLocked):
        lessons.set_topic(actor=s.teacher, lesson=q1_lesson, topic="x")
    lessons.set_topic(actor=s.admin, lesson=q1_lesson, topic="Повторение", reason="тема не была записана")
    q1_lesson.refresh_from_db()
    assert q1_lesson.topic == "Повторение"
