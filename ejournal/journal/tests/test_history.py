"""The journal's history (`ChangeRecord`) has one writer (journal/history.py) and is append-only: the model,
its queryset and, on PostgreSQL, a trigger refuse every update and delete."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson, TimetableSlot
from ejournal.journal import history, services
from ejournal.journal.models import ChangeKind, ChangeRecord, Mark

MONDAY = dt.date(2026, 12, 21)
JOURNAL = Path(__file__).resolve().parents[1]
EJOURNAL = JOURNAL.parent


@pytest.fixture
def record(journal) -> ChangeRecord:
    services.set_cell(actor=journal.teacher, lesson=journal.lesson_on(MONDAY), student=journal.students[0], text="5")
    return ChangeRecord.objects.get(kind=ChangeKind.MARK)


def test_a_write_keeps_its_history_through_the_one_writer(journal, record):
    assert (record.old_value, record.new_value, record.actor_id) == ("", "5 (Ответ на уроке)", journal.teacher.pk)
    row = history.record(
        school_id=journal.s.school.pk, actor=journal.teacher, kind=ChangeKind.TOPIC, old="a", new="b", reason="x" * 600
    )
    assert len(ChangeRecord.objects.get(pk=row.pk).reason) == 500


def test_a_stored_row_cannot_be_saved_again(record):
    record.new_value = "2"
    with pytest.raises(PermissionError):
        record.save()
    assert ChangeRecord.objects.get(pk=record.pk).new_value != "2"


def test_a_row_cannot_be_deleted(record):
    with pytest.raises(PermissionError):
        record.delete()
    assert ChangeRecord.objects.filter(pk=record.pk).exists()


def test_the_queryset_refuses_update_delete_and_bulk_update(record):
    rows = ChangeRecord.objects.filter(pk=record.pk)
    with pytest.raises(PermissionError):
        rows.update(new_value="2")
    with pytest.raises(PermissionError):
        rows.delete()
    record.new_value = "2"
    with pytest.raises(PermissionError), transaction.atomic():
        ChangeRecord.objects.bulk_update([record], ["new_value"])
    assert ChangeRecord.objects.get(pk=record.pk).new_value == "5 (Ответ на уроке)"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE journal_changerecord SET new_value = '2' WHERE id = %s",
        "DELETE FROM journal_changerecord WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_update_and_delete(record, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [record.pk])
    assert ChangeRecord.objects.get(pk=record.pk).new_value == "5 (Ответ на уроке)"


def drop_mondays(journal) -> curriculum.GenerationResult:
    """Take math's Monday out of the timetable and regenerate: the Monday lessons become unwanted."""
    slot = TimetableSlot.objects.get(assignment=journal.assignment, weekday=1)
    curriculum.clear_slot(actor=journal.s.admin, slot=slot)
    return curriculum.generate_lessons(actor=journal.s.admin, year=journal.s.year)


def test_an_empty_lesson_without_history_is_still_removed_by_regeneration(journal):
    lesson = journal.lesson_on(MONDAY)
    curriculum.clear_slot(
        actor=journal.s.admin, slot=TimetableSlot.objects.get(assignment=journal.assignment, weekday=1)
    )
    result = curriculum.generate_lessons(actor=journal.s.admin, year=journal.s.year)
    assert result.removed > 0
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_a_lesson_emptied_after_a_mark_keeps_its_history_and_survives_regeneration(journal, record):
    lesson = journal.lesson_on(MONDAY)
    services.set_cell(actor=journal.teacher, lesson=lesson, student=journal.students[0], text="")
    assert not Mark.objects.filter(lesson=lesson).exists()
    curriculum.clear_slot(
        actor=journal.s.admin, slot=TimetableSlot.objects.get(assignment=journal.assignment, weekday=1)
    )
    curriculum.generate_lessons(actor=journal.s.admin, year=journal.s.year)
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    assert ChangeRecord.objects.filter(lesson=lesson).count() == 2


def test_no_module_but_history_writes_change_records():
    """A second writer would bypass the reason's limit and the one place the rule lives."""
    writes = re.compile(
        r"(?<!class )ChangeRecord\(|ChangeRecord\.objects\.(create|bulk_create|get_or_create|update_or_create)"
    )
    offenders = [
        str(path.relative_to(EJOURNAL))
        for path in EJOURNAL.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path != JOURNAL / "history.py"
        if writes.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
