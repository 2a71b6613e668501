"""Period, year, exam and final marks: suggestion, deviation, norm warning, access, lock, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ejournal.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ejournal.curriculum import services as curriculum
from ejournal.journal import period_marks, services
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import ChangeKind, ChangeRecord, PeriodMark, PeriodMarkKind
from ejournal.journal.periods import close_period
from ejournal.journal.selectors import period_mark_history
from ejournal.schools import services as schools


def give_marks(journal, student, values, kind="answer"):
    for lesson, value in zip(journal.in_period(journal.q2), values, strict=False):
        services.set_marks(
            actor=journal.teacher, lesson=lesson, student=student, values=[value], kind=journal.kinds[kind]
        )


def test_suggestion_from_the_weighted_average(journal):
    student = journal.students[0]
    give_marks(journal, student, ["5", "4", "4", "5", "5"])
    services.set_marks(
        actor=journal.teacher,
        lesson=journal.in_period(journal.q2)[6],
        student=student,
        values=["3"],
        kind=journal.kinds["test"],
    )  # weight 2: (23 + 6) / 7 = 4.14
    state = period_marks.set_period_mark(
        actor=journal.teacher, assignment=journal.assignment, student=student, period=journal.q2, value="4"
    )
    assert (state.average, state.suggested, state.is_deviation, state.marks_count) == (Decimal("4.14"), "4", False, 6)
    mark = PeriodMark.objects.get(student=student, period=journal.q2)
    assert (mark.value, mark.suggested, mark.is_deviation, mark.set_by_id) == ("4", "4", False, journal.teacher.pk)


def test_deviation_is_recorded_with_history(journal):
    student = journal.students[0]
    give_marks(journal, student, ["5", "5", "4", "5", "5"])
    state = period_marks.set_period_mark(
        actor=journal.teacher, assignment=journal.assignment, student=student, period=journal.q2, value="4"
    )
    assert state.is_deviation and state.suggested == "5"
    assert PeriodMark.objects.get(student=student).is_deviation
    record = ChangeRecord.objects.get(kind=ChangeKind.PERIOD_MARK, student=student)
    assert record.new_value == "4 (предложено 5 по среднему 4.80)"
    history = period_mark_history(
        user=journal.s.deputy, assignment=journal.assignment, student=student, kind="period", period=journal.q2
    )
    assert [(h.old, h.actor) for h in history] == [("", journal.teacher.full_name)]


def test_stricter_school_thresholds(journal):
    school = journal.s.school
    school.threshold_5, school.threshold_4, school.threshold_3 = Decimal("4.65"), Decimal("3.65"), Decimal("2.65")
    school.save()
    student = journal.students[0]
    give_marks(journal, student, ["5", "5", "4", "5", "4"])  # 4.60
    state = period_marks.period_mark_state(
        assignment=journal.assignment, student=student, kind="period", period=journal.q2
    )
    assert (state.average, state.suggested) == (Decimal("4.60"), "4")


def test_warning_below_the_norm(journal):
    student = journal.students[0]
    give_marks(journal, student, ["5", "5"])
    state = period_marks.set_period_mark(
        actor=journal.teacher, assignment=journal.assignment, student=student, period=journal.q2, value="5"
    )
    assert state.norm == 5  # two lessons a week
    assert state.warnings and "2 отмет" in state.warnings[0]
    na = period_marks.set_period_mark(
        actor=journal.teacher, assignment=journal.assignment, student=student, period=journal.q2, value="н/а"
    )
    assert na.warnings == ()


def test_norm_for_one_hour_from_the_curriculum(journal):
    s = journal.s
    curriculum.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(1))
    state = period_marks.period_mark_state(
        assignment=journal.assignment, student=journal.students[0], kind="period", period=journal.q2
    )
    assert state.norm == 3


@pytest.mark.parametrize("value", ["н/а", "осв", "1"])
def test_other_period_values(journal, value):
    state = period_marks.set_period_mark(
        actor=journal.teacher,
        assignment=journal.assignment,
        student=journal.students[0],
        period=journal.q2,
        value=value,
    )
    assert state.value == value


@pytest.mark.parametrize("value", ["7", "ы", "зач"])
def test_wrong_period_values_are_refused(journal, value):
    with pytest.raises(ValidationFailed):
        period_marks.set_period_mark(
            actor=journal.teacher,
            assignment=journal.assignment,
            student=journal.students[0],
            period=journal.q2,
            value=value,
        )
    assert not PeriodMark.objects.exists()


def test_removing_and_conflict(journal):
    student = journal.students[0]
    args = {"actor": journal.teacher, "assignment": journal.assignment, "student": student, "period": journal.q2}
    seen = period_marks.period_mark_version("")
    period_marks.set_period_mark(**args, value="4", expected_version=seen)
    with pytest.raises(Conflict, match="«4»"):
        period_marks.set_period_mark(**args, value="5", expected_version=seen)
    period_marks.set_period_mark(**args, value="", expected_version=period_marks.period_mark_version("4"))
    assert not PeriodMark.objects.exists()
    assert ChangeRecord.objects.filter(kind=ChangeKind.PERIOD_MARK).count() == 2


def test_access_to_period_marks(journal, other_school):
    s = journal.s
    args = {"assignment": journal.assignment, "student": s.students_5a[0], "period": journal.q2, "value": "5"}
    with pytest.raises(NotFound):
        period_marks.set_period_mark(actor=s.teacher2, **args)
    with pytest.raises(Forbidden):
        period_marks.set_period_mark(actor=s.class_teacher, **args)
    with pytest.raises(Forbidden):
        period_marks.set_period_mark(actor=s.deputy, **args)
    with pytest.raises(NotFound):
        period_marks.set_period_mark(actor=other_school.teacher, **args)
    with pytest.raises(ValidationFailed, match="причин"):
        period_marks.set_period_mark(actor=s.admin, **args)
    period_marks.set_period_mark(actor=s.admin, reason="по решению педсовета", **args)
    assert PeriodMark.objects.get().value == "5"


def test_closed_period_locks_period_marks(journal):
    s = journal.s
    close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)
    with pytest.raises(JournalLocked):
        period_marks.set_period_mark(
            actor=s.teacher, assignment=journal.assignment, student=s.students_5a[0], period=journal.q1, value="5"
        )
    assert not PeriodMark.objects.exists()


def test_student_not_in_the_class_during_the_period(journal):
    s = journal.s
    late_comer = s.person("Новенький", "Никита", "student")
    schools.enrol(actor=s.admin, student=late_comer, class_group=s.class_5a, start=dt.date(2026, 11, 10))
    with pytest.raises(ValidationFailed, match="не учился"):
        period_marks.set_period_mark(
            actor=s.teacher, assignment=journal.assignment, student=late_comer, period=journal.q1, value="5"
        )
    period_marks.set_period_mark(
        actor=s.teacher, assignment=journal.assignment, student=late_comer, period=journal.q2, value="н/а"
    )


def test_period_of_another_grade_band_is_refused(journal):
    s = journal.s
    half = schools.periods_for_grade(s.year, 10)[0]
    with pytest.raises(ValidationFailed, match="период"):
        period_marks.set_period_mark(
            actor=s.teacher, assignment=journal.assignment, student=s.students_5a[0], period=half, value="5"
        )


def test_year_mark_suggested_from_period_marks_and_locked_with_the_last_period(journal):
    s = journal.s
    student = s.students_5a[0]
    for period, value in zip(
        s.year.schemes.get(grade_from=1).periods.order_by("number"), ["5", "4", "5", "4"], strict=True
    ):
        PeriodMark.objects.create(
            school=s.school,
            year=s.year,
            kind=PeriodMarkKind.PERIOD,
            period=period,
            class_group=s.class_5a,
            subject=s.math,
            student=student,
            value=value,
            set_by=s.teacher,
            set_at=dt.datetime(2026, 12, 25, tzinfo=dt.UTC),
        )
    state = period_marks.set_period_mark(
        actor=s.teacher, assignment=journal.assignment, student=student, kind="year", value="5"
    )
    assert (state.average, state.suggested, state.is_deviation) == (Decimal("4.50"), "5", False)
    last = s.year.schemes.get(grade_from=1).periods.order_by("number").last()
    close_period(actor=s.deputy, period=last)
    with pytest.raises(JournalLocked):
        period_marks.set_period_mark(
            actor=s.teacher, assignment=journal.assignment, student=student, kind="year", value="4"
        )


def test_exam_and_final_marks_only_in_grades_9_and_11(journal):
    s = journal.s
    with pytest.raises(ValidationFailed, match="9 и 11"):
        period_marks.set_period_mark(
            actor=s.teacher, assignment=journal.assignment, student=s.students_5a[0], kind="exam", value="5"
        )
    ninth = schools.create_class(actor=s.admin, year=s.year, grade=9, letter="А")
    pupil = s.person("Девятиклассник", "Денис", "student")
    schools.enrol(actor=s.admin, student=pupil, class_group=ninth, start=s.year.start)
    assignment = curriculum.create_assignment(actor=s.admin, teacher=s.teacher, class_group=ninth, subject=s.math)
    args = {"actor": s.teacher, "assignment": assignment, "student": pupil}
    period_marks.set_period_mark(**args, kind="year", value="4")
    period_marks.set_period_mark(**args, kind="exam", value="5")
    final = period_marks.set_period_mark(**args, kind="final", value="5")
    assert (final.suggested, final.average) == ("5", Decimal("4.50"))
    assert set(PeriodMark.objects.filter(student=pupil).values_list("kind", "value")) == {
        ("year", "4"),
        ("exam", "5"),
        ("final", "5"),
    }
