"""Closing and reopening periods: who may, per class or school, and what it locks."""

from __future__ import annotations

import pytest

from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.journal import services
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import ChangeKind, ChangeRecord, PeriodClosure
from ejournal.journal.periods import close_period, closure_on, reopen_period


def test_deputy_closes_for_one_class_and_other_classes_stay_open(journal):
    s = journal.s
    close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)
    day = journal.q1.start
    assert closure_on(s.class_5a, day) is not None
    other = s.class_5a.__class__.objects.create(school=s.school, year=s.year, grade=6, letter="Б")
    assert closure_on(other, day) is None
    assert closure_on(s.class_5a, journal.q2.start) is None


def test_school_wide_closure_covers_every_class_of_the_grades(journal):
    s = journal.s
    close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)
    close_period(actor=s.deputy, period=journal.q1)
    assert PeriodClosure.objects.filter(period=journal.q1).count() == 1
    closure = closure_on(s.class_5a, journal.q1.start)
    assert closure is not None and closure.class_group is None
    with pytest.raises(ValidationFailed, match="уже закрыт"):
        close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)


def test_only_deputy_and_administrator_close(journal, other_school):
    s = journal.s
    for user in (s.teacher, s.class_teacher, s.director, s.students_5a[0], s.parent):
        with pytest.raises(NotFound):
            close_period(actor=user, period=journal.q1)
    with pytest.raises(NotFound):
        close_period(actor=other_school.deputy, period=journal.q1)
    close_period(actor=s.admin, period=journal.q1)
    assert PeriodClosure.objects.count() == 1


def test_class_of_another_grade_band_is_refused(journal):
    s = journal.s
    with pytest.raises(ValidationFailed, match="не относится"):
        close_period(actor=s.deputy, period=journal.q1, class_group=s.class_10a)


def test_reopening_needs_a_reason_and_unlocks(journal):
    s = journal.s
    lesson = journal.in_period(journal.q1)[0]
    close_period(actor=s.deputy, period=journal.q1)
    with pytest.raises(JournalLocked):
        services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="5")
    with pytest.raises(ValidationFailed, match="причин"):
        reopen_period(actor=s.deputy, period=journal.q1, reason=" ")
    reopen_period(actor=s.deputy, period=journal.q1, reason="отметки за контрольную не внесены")
    services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="5")
    history = list(
        ChangeRecord.objects.filter(kind=ChangeKind.CLOSURE).order_by("id").values_list("new_value", "reason")
    )
    assert history == [("закрыт", ""), ("открыт", "отметки за контрольную не внесены")]
