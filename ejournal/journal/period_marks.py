"""Marks for a period (четверть, полугодие), the year, the exam and the final mark, with history.

The system suggests a period mark from the weighted average by the school's thresholds; the teacher sets
the mark and may deviate (recorded). The year mark is suggested from the period marks, the final one
from the year and exam marks. Exam and final marks exist for grades 9 and 11 only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from ejournal.access import journal as access
from ejournal.access import tenancy
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools import selectors as enrolment
from ejournal.schools.models import Period

from . import counting, history, periods, scope, signals
from .errors import JournalCode
from .models import ChangeKind, PeriodClosure, PeriodMark, PeriodMarkKind
from .values import GRADES, PASS_FAIL, cell_version, parse_period_value, suggest_mark, weighted_average

EXAM_GRADES = (9, 11)


@dataclass(frozen=True)
class PeriodMarkState:
    """A period (year, exam, final) mark cell: the mark, what the system suggests and why."""

    student_id: int
    kind: str
    period_id: int | None
    value: str = ""
    suggested: str = ""
    average: Decimal | None = None
    marks_count: int = 0
    norm: int = 0
    is_deviation: bool = False
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def version(self) -> str:
        return period_mark_version(self.value)


def period_mark_version(value: str) -> str:
    return cell_version([(value, 0, "")], "")


def target_of(kind: str, *, period_id: int | None, year_id: int, subject_id: int) -> str:
    """The history key of a period-mark cell (ChangeRecord.target)."""
    return f"{kind}:{period_id if kind == PeriodMarkKind.PERIOD else year_id}:{subject_id}"


def _thresholds(assignment: TeachingAssignment) -> tuple[Decimal, Decimal, Decimal]:
    school = assignment.school
    return (school.threshold_5, school.threshold_4, school.threshold_3)


def mean_of_marks(values: list[str]) -> Decimal | None:
    grades = [int(v) for v in values if v in GRADES]
    if not grades:
        return None
    return (Decimal(sum(grades)) / len(grades)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _span(assignment: TeachingAssignment, kind: str, period: Period | None) -> tuple[dt.date, dt.date]:
    if kind == PeriodMarkKind.PERIOD and period is not None:
        return period.start, period.end
    year = assignment.class_group.year
    return year.start, year.end


def _suggestion(
    assignment: TeachingAssignment, student: User, kind: str, period: Period | None
) -> tuple[str, Decimal | None, int]:
    """(suggested value, average, number of marks) for the student in this journal."""
    thresholds = _thresholds(assignment)
    if kind == PeriodMarkKind.PERIOD and period is not None:
        # Every mark of the period in the subject, the former class's after a transfer too (counting).
        rows = list(
            counting.marks_that_count(
                school_id=assignment.school_id,
                start=period.start,
                end=period.end,
                students=[student.pk],
                subjects=[assignment.subject_id],
            ).values_list("value", "kind__weight")
        )
        average = weighted_average(rows)
        return suggest_mark(average, thresholds), average, len(rows)
    others = PeriodMark.objects.filter(
        school_id=assignment.school_id,
        student=student,
        subject_id=assignment.subject_id,
        year_id=assignment.class_group.year_id,
    )
    if kind == PeriodMarkKind.YEAR:
        values = list(others.filter(kind=PeriodMarkKind.PERIOD).values_list("value", flat=True))
    elif kind == PeriodMarkKind.FINAL:
        values = list(
            others.filter(kind__in=[PeriodMarkKind.YEAR, PeriodMarkKind.EXAM]).values_list("value", flat=True)
        )
    else:
        return "", None, 0
    average = mean_of_marks(values)
    return suggest_mark(average, thresholds), average, len(values)


def _require_enrolled(assignment: TeachingAssignment, student: User, start: dt.date, end: dt.date) -> None:
    if not enrolment.was_enrolled(student, assignment.class_group_id, start, end):
        raise ValidationFailed(
            f"{student.full_name} не учился(ась) в {assignment.class_group.name} с {ru_date(start)} "
            f"по {ru_date(end)}: отметку за этот период ему (ей) не ставят.",
            code=JournalCode.NOT_ENROLLED,
        )
    if not enrolment.in_subgroup(student, assignment.subgroup_id):
        raise ValidationFailed(f"{student.full_name} не в подгруппе этого журнала.", code=JournalCode.NOT_ENROLLED)


def _check_value(assignment: TeachingAssignment, kind: str, value: str) -> None:
    group = assignment.class_group
    if group.grade == 1:
        raise ValidationFailed(
            "В 1 классе безотметочное обучение: отметки за период не ставятся.", code=JournalCode.GRADE_ONE_NO_MARKS
        )
    if kind in (PeriodMarkKind.EXAM, PeriodMarkKind.FINAL) and group.grade not in EXAM_GRADES:
        raise ValidationFailed(
            "Экзаменационные и итоговые отметки ставятся только в 9 и 11 классах.", code=JournalCode.EXAM_GRADES_ONLY
        )
    if not value:
        return
    if assignment.subject.pass_fail and value in GRADES:
        raise ValidationFailed(
            f"«{assignment.subject.name}» оценивается «зач» / «незач», а не «{value}».",
            code=JournalCode.PASS_FAIL_SUBJECT,
        )
    if not assignment.subject.pass_fail and value in PASS_FAIL:
        raise ValidationFailed(
            f"По предмету «{assignment.subject.name}» ставится отметка 5–1, а не «{value}».",
            code=JournalCode.BAD_MARK_VALUE,
        )


def _lock_for(assignment: TeachingAssignment, kind: str, period: Period | None) -> PeriodClosure | None:
    """A period mark is locked with its period, the year mark with the last period of the year. Exam and
    final marks come in June, after the periods are closed, and are not locked by them."""
    group = assignment.class_group
    if kind == PeriodMarkKind.PERIOD and period is not None:
        return periods.closure_of(group, period)
    if kind == PeriodMarkKind.YEAR:
        own = periods.periods_of_class(group)
        return periods.closure_of(group, own[-1]) if own else None
    return None


def period_mark_state(
    *, assignment: TeachingAssignment, student: User, kind: str, period: Period | None = None
) -> PeriodMarkState:
    mark = _current(assignment, student, kind, period)
    suggested, average, count = _suggestion(assignment, student, kind, period)
    return _state_of(assignment, student, kind, period, mark.value if mark else "", suggested, average, count)


def _state_of(
    assignment: TeachingAssignment,
    student: User,
    kind: str,
    period: Period | None,
    value: str,
    suggested: str,
    average: Decimal | None,
    count: int,
) -> PeriodMarkState:
    norm = 0
    warnings: list[str] = []
    if kind == PeriodMarkKind.PERIOD and period is not None:
        group = assignment.class_group
        lessons = scope.journal_lessons(assignment, period.start, period.end).count()
        norm = scope.marks_norm(
            assignment.school,
            scope.hours_per_week(assignment, group.grade, group.year_id),
            lessons=lessons,
            start=period.start,
            end=period.end,
        )
        if value in GRADES and count < norm:
            warnings.append(
                f"У ученика {count} отмет. при норме {norm}: отметку за период обычно не ставят, "
                f"пока отметок меньше нормы (или ставят «н/а»)."
            )
    return PeriodMarkState(
        student_id=student.pk,
        kind=kind,
        period_id=period.pk if period else None,
        value=value,
        suggested=suggested,
        average=average,
        marks_count=count,
        norm=norm,
        is_deviation=bool(value in GRADES and suggested and value != suggested),
        warnings=tuple(warnings),
    )


def _current(
    assignment: TeachingAssignment, student: User, kind: str, period: Period | None, *, lock: bool = False
) -> PeriodMark | None:
    qs = PeriodMark.objects.filter(
        school_id=assignment.school_id,
        student=student,
        subject_id=assignment.subject_id,
        year_id=assignment.class_group.year_id,
        kind=kind,
    )
    if kind == PeriodMarkKind.PERIOD:
        qs = qs.filter(period=period)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


@transaction.atomic
def set_period_mark(
    *,
    actor: User,
    assignment: TeachingAssignment,
    student: User,
    value: str,
    kind: str = PeriodMarkKind.PERIOD,
    period: Period | None = None,
    expected_version: str | None = None,
    reason: str = "",
) -> PeriodMarkState:
    """Set (or with "" remove) a student's period, year, exam or final mark in the journal's subject.

    Keeps the suggestion and the deviation from it, warns when the student has fewer marks than the
    накопляемость norm, keeps history. Raises NotFound/Forbidden (access), JournalLocked (closed
    period), ValidationFailed (value, grade, enrolment), Conflict (stale version).
    """
    tenancy.in_school_of(actor, assignment, student)
    reason = access.require_can_set_period_marks(actor, assignment, reason=reason)
    if kind not in PeriodMarkKind.values:
        raise ValidationFailed(f"Неизвестный вид итоговой отметки: {kind}.", field="kind")
    group = assignment.class_group
    if kind == PeriodMarkKind.PERIOD:
        if period is None or period.pk not in {p.pk for p in periods.periods_of_class(group)}:
            raise ValidationFailed(f"Укажите учебный период {group.name}.", field="period")
    else:
        period = None
    value = parse_period_value(value)
    _check_value(assignment, kind, value)
    reason = periods.require_open(actor=actor, closure=_lock_for(assignment, kind, period), reason=reason)
    start, end = _span(assignment, kind, period)
    current = _current(assignment, student, kind, period, lock=True)
    old = current.value if current else ""
    if old == value:
        return period_mark_state(assignment=assignment, student=student, kind=kind, period=period)
    if value:
        _require_enrolled(assignment, student, start, end)
    if expected_version is not None and expected_version != period_mark_version(old):
        raise Conflict(
            f"Отметку уже изменили: сейчас «{old or 'пусто'}». Ваше «{value or 'пусто'}» не сохранено — "
            f"проверьте и введите снова.",
            code=JournalCode.STALE_EDIT,
        )
    suggested, average, count = _suggestion(assignment, student, kind, period)
    state = _state_of(assignment, student, kind, period, value, suggested, average, count)
    now = clock.now()
    if not value:
        assert current is not None  # old != value, so there was a mark
        current.delete()
        current = None
    elif current is None:
        current = PeriodMark.objects.create(
            school_id=assignment.school_id,
            year_id=group.year_id,
            kind=kind,
            period=period,
            class_group=group,
            subject_id=assignment.subject_id,
            student=student,
            value=value,
            suggested=suggested,
            average=average,
            marks_count=count,
            is_deviation=state.is_deviation,
            set_by=actor,
            set_at=now,
        )
    else:
        current.value, current.suggested, current.average = value, suggested, average
        current.marks_count, current.is_deviation = count, state.is_deviation
        current.set_by, current.set_at, current.class_group = actor, now, group
        current.save()
    new_text = value
    if value and state.is_deviation:
        new_text = f"{value} (предложено {suggested} по среднему {average})"
    history.record(
        school_id=assignment.school_id,
        at=now,
        actor=actor,
        kind=ChangeKind.PERIOD_MARK,
        student_id=student.pk,
        target=target_of(
            kind, period_id=period.pk if period else None, year_id=group.year_id, subject_id=assignment.subject_id
        ),
        old=old,
        new=new_text,
        reason=reason,
    )
    mark_id = current.pk if current else None
    signals.period_mark_changed.send(  # in the transaction: the outbox row commits with the mark
        sender=PeriodMark,
        school_id=assignment.school_id,
        period_mark_id=mark_id,
        student_id=student.pk,
        subject_id=assignment.subject_id,
        kind=kind,
        value=value,
        previous=old,
    )
    return state
