"""Periods seen from the journal: which period a lesson falls in, closing a period, and the lock it puts.

A closed period is read-only for everyone but the responsible administrator, who corrects with a written
reason. A closure is for one class or for the whole school (every class of the period's grades).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q

from ejournal.access import journal as access
from ejournal.access import tenancy
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.schools.models import ClassGroup, Period, PeriodScheme

from . import history
from .errors import JournalLocked
from .models import ChangeKind, PeriodClosure


def periods_of_class(class_group: ClassGroup) -> list[Period]:
    """The periods of the class's grade in its year, in order."""
    return list(
        Period.objects.filter(
            school_id=class_group.school_id,
            scheme__year_id=class_group.year_id,
            scheme__grade_from__lte=class_group.grade,
            scheme__grade_to__gte=class_group.grade,
        )
        .select_related("scheme")
        .order_by("start")
    )


def period_on(periods: list[Period], day: dt.date) -> Period | None:
    for period in periods:
        if period.start <= day <= period.end:
            return period
    return None


def current_period(periods: list[Period], today: dt.date) -> Period | None:
    """The period of today; between periods (holidays) the one that ended last; before the year the first."""
    if not periods:
        return None
    started = [p for p in periods if p.start <= today]
    return started[-1] if started else periods[0]


def _closure_q(class_group: ClassGroup) -> Q:
    return Q(class_group__isnull=True) | Q(class_group_id=class_group.pk)


def closure_on(class_group: ClassGroup, day: dt.date) -> PeriodClosure | None:
    """The closure that covers a day of the class, if its period is closed."""
    return (
        PeriodClosure.objects.filter(
            _closure_q(class_group),
            school_id=class_group.school_id,
            period__start__lte=day,
            period__end__gte=day,
            period__scheme__year_id=class_group.year_id,
            period__scheme__grade_from__lte=class_group.grade,
            period__scheme__grade_to__gte=class_group.grade,
        )
        .select_related("period__scheme")
        .first()
    )


def closure_of(class_group: ClassGroup, period: Period) -> PeriodClosure | None:
    return PeriodClosure.objects.filter(_closure_q(class_group), school_id=period.school_id, period=period).first()


def locked_message(period: Period) -> str:
    return (
        f"Период «{period.name}» ({ru_date(period.start)}–{ru_date(period.end)}) закрыт: записи в нём только "
        f"для чтения. Исправление вносит ответственный администратор с указанием причины."
    )


def require_open(*, actor: User, closure: PeriodClosure | None, reason: str) -> str:
    """Pass for an open period; in a closed one only the administrator, with a reason, which is returned
    for the history."""
    if closure is None:
        return reason
    if access.can_correct(actor):
        return access.require_correction_reason(reason)
    raise JournalLocked(locked_message(closure.period))


def require_day_open(*, actor: User, class_group: ClassGroup, day: dt.date, reason: str) -> str:
    return require_open(actor=actor, closure=closure_on(class_group, day), reason=reason)


def _closure_target(period: Period, class_group: ClassGroup | None) -> str:
    return f"closure:{period.pk}:{class_group.pk if class_group else 0}"


@transaction.atomic
def close_period(*, actor: User, period: Period, class_group: ClassGroup | None = None) -> PeriodClosure:
    """The deputy closes a period for one class, or for the whole school when no class is given."""
    access.require_can_close_periods(actor)
    tenancy.in_school_of(actor, period, class_group)
    # The caller's select_related scheme costs nothing; else it is read naming the school (a lazy load would not).
    cached = Period._meta.get_field("scheme").is_cached(period)
    scheme = period.scheme if cached else PeriodScheme.objects.get(school_id=period.school_id, pk=period.scheme_id)
    if class_group is not None and (class_group.year_id != scheme.year_id or not scheme.covers(class_group.grade)):
        raise ValidationFailed(f"Период «{period.name}» не относится к классу {class_group.name}.")
    already = PeriodClosure.objects.filter(school_id=period.school_id, period=period).filter(
        Q(class_group__isnull=True) | Q(class_group=class_group)
    )
    if already.exists():
        who = f"для {class_group.name}" if class_group else "для всей школы"
        raise ValidationFailed(f"Период «{period.name}» уже закрыт {who}.")
    try:
        with transaction.atomic():
            closure = PeriodClosure.objects.create(
                school_id=period.school_id,
                period=period,
                class_group=class_group,
                closed_by=actor,
                closed_at=clock.now(),
            )
    except IntegrityError as exc:  # two deputies pressing the button at once
        raise ValidationFailed(f"Период «{period.name}» уже закрыт.") from exc
    if class_group is None:
        # The school-wide closure covers every class; per-class ones are now redundant.
        PeriodClosure.objects.filter(school_id=period.school_id, period=period, class_group__isnull=False).delete()
    history.record(
        school_id=period.school_id,
        at=closure.closed_at,
        actor=actor,
        kind=ChangeKind.CLOSURE,
        target=_closure_target(period, class_group),
        old="открыт",
        new="закрыт",
    )
    return closure


@transaction.atomic
def reopen_period(*, actor: User, period: Period, class_group: ClassGroup | None = None, reason: str) -> None:
    """Open a closed period again (a late correction of many records); the reason stays in the history."""
    access.require_can_close_periods(actor)
    tenancy.in_school_of(actor, period)
    reason = access.require_correction_reason(reason)
    closures = PeriodClosure.objects.filter(school_id=period.school_id, period=period, class_group=class_group)
    if not closures.exists():
        who = f"для {class_group.name}" if class_group else "для всей школы"
        raise ValidationFailed(f"Период «{period.name}» не закрыт {who}.")
    closures.delete()
    history.record(
        school_id=period.school_id,
        actor=actor,
        kind=ChangeKind.CLOSURE,
        target=_closure_target(period, class_group),
        old="закрыт",
        new="открыт",
        reason=reason,
    )
