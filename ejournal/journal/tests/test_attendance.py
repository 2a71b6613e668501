"""set_attendance: codes, the class teacher explaining absences, marks next to attendance."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.core.errors import Forbidden, NotFound, ValidationFailed
from ejournal.journal import services, signals
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import Attendance, ChangeKind, ChangeRecord
from ejournal.journal.periods import close_period

MONDAY = dt.date(2026, 12, 21)


def code_of(student, lesson) -> str:
    return Attendance.objects.filter(lesson=lesson, student=student).values_list("code", flat=True).first() or ""


@pytest.mark.parametrize("code", ["н", "б", "у", "п", "оп"])
def test_teacher_sets_every_code(journal, code):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    state = services.set_attendance(actor=journal.teacher, lesson=lesson, student=student, code=code)
    assert state.attendance == code == code_of(student, lesson)


def test_wrong_code_is_refused(journal):
    with pytest.raises(ValidationFailed, match="не код посещаемости"):
        services.set_attendance(
            actor=journal.teacher, lesson=journal.lesson_on(MONDAY), student=journal.students[0], code="ы"
        )


def test_present_again_removes_the_code_with_history(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    services.set_attendance(actor=journal.teacher, lesson=lesson, student=student, code="н")
    services.set_attendance(actor=journal.teacher, lesson=lesson, student=student, code="")
    assert code_of(student, lesson) == ""
    history = list(
        ChangeRecord.objects.filter(lesson=lesson, student=student, kind=ChangeKind.ATTENDANCE)
        .order_by("id")
        .values_list("old_value", "new_value")
    )
    assert history == [("", "н"), ("н", "")]


def test_attendance_and_marks_are_separate_writes(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    services.set_attendance(actor=journal.teacher, lesson=lesson, student=student, code="оп")
    state = services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["4"])
    assert state.text == "оп 4"
    with pytest.raises(ValidationFailed, match="Отсутствовавшему"):
        services.set_attendance(actor=journal.teacher, lesson=lesson, student=student, code="н")
    assert code_of(student, lesson) == "оп"


def test_class_teacher_turns_absent_into_ill(journal):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    services.set_attendance(actor=s.teacher, lesson=lesson, student=student, code="н")
    services.set_attendance(actor=s.class_teacher, lesson=lesson, student=student, code="б", reason="справка")
    assert code_of(student, lesson) == "б"
    record = ChangeRecord.objects.filter(lesson=lesson, student=student).latest("id")
    assert (record.actor_id, record.old_value, record.new_value, record.reason) == (
        s.class_teacher.pk,
        "н",
        "б",
        "справка",
    )


@pytest.mark.parametrize(("before", "after"), [("", "б"), ("н", "оп"), ("н", ""), ("оп", "б")])
def test_class_teacher_changes_only_reasons_of_absence(journal, before, after):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    if before:
        services.set_attendance(actor=s.teacher, lesson=lesson, student=student, code=before)
    with pytest.raises(Forbidden):
        services.set_attendance(actor=s.class_teacher, lesson=lesson, student=student, code=after)
    assert code_of(student, lesson) == before


def test_class_teacher_of_another_class_and_other_teachers_cannot(journal, other_school):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    services.set_attendance(actor=s.teacher, lesson=lesson, student=student, code="н")
    with pytest.raises(NotFound):
        services.set_attendance(actor=s.teacher2, lesson=lesson, student=student, code="б")
    with pytest.raises(NotFound):
        services.set_attendance(actor=other_school.class_teacher, lesson=lesson, student=student, code="б")
    with pytest.raises(Forbidden):
        services.set_attendance(actor=s.director, lesson=lesson, student=student, code="б")
    assert code_of(student, lesson) == "н"


def test_closed_period_locks_attendance_too(journal):
    s = journal.s
    lesson, student = journal.in_period(journal.q1)[-1], s.students_5a[0]
    services.set_attendance(actor=s.teacher, lesson=lesson, student=student, code="н")
    close_period(actor=s.deputy, period=journal.q1)
    with pytest.raises(JournalLocked):
        services.set_attendance(actor=s.class_teacher, lesson=lesson, student=student, code="б")


def test_attendance_signal_after_commit(journal, django_capture_on_commit_callbacks):
    received = []

    def listener(**kwargs):
        received.append((kwargs["code"], kwargs["previous"]))

    signals.attendance_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.set_attendance(
                actor=journal.teacher, lesson=journal.lesson_on(MONDAY), student=journal.students[0], code="н"
            )
    finally:
        signals.attendance_changed.disconnect(listener)
    assert received == [("н", "")]
