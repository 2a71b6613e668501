"""A teacher confirms the hours they gave in a month (append-only MonthConfirmation)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ejournal.access import hours as access
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, ValidationFailed
from ejournal.core.time import MONTHS_RU, school_today
from ejournal.reports.keeping_spans import Span, month_span
from ejournal.schools.models import AcademicYear, School

from .errors import HoursCode
from .figures import discrepancies, hours_figures
from .models import MonthConfirmation


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_label(month: dt.date) -> str:
    return f"{MONTHS_RU[month.month - 1]} {month.year}"


@transaction.atomic
def confirm_month(*, actor: User, teacher: User, month: dt.date) -> MonthConfirmation:
    """Record that `teacher` (only themselves) confirms the hours of `month` (its first day) as they stand now.

    Refused: a month not over yet, a month outside every school year of the school, and a month whose
    figures are already confirmed unchanged (a confirmation after a change is a new row; the old one stays)."""
    access.require_confirms_month(actor, teacher)
    school = School.objects.get(pk=teacher.school_id)
    today = school_today(school.timezone)
    first, last = month_span(month)
    label = month_label(first)
    if last >= today:
        raise ValidationFailed(
            f"Месяц «{label}» ещё не закончился: подтвердить его можно с {last + dt.timedelta(days=1):%d.%m.%Y}.",
            code=HoursCode.MONTH_NOT_OVER,
            field="month",
        )
    if not AcademicYear.objects.filter(school_id=school.pk, start__lte=last, end__gte=first).exists():
        raise ValidationFailed(
            f"Месяц «{label}» не входит ни в один учебный год школы: подтверждать нечего.",
            code=HoursCode.MONTH_OUTSIDE_YEAR,
            field="month",
        )
    # One confirmation at a time per teacher: a double click must not record the month twice.
    User.objects.select_for_update().filter(school_id=school.pk, pk=teacher.pk).first()
    figures = hours_figures(
        school_id=school.pk, span=Span(first, last, label, "month"), today=today, teacher_id=teacher.pk
    )
    snapshot = figures.teachers[0].snapshot()
    previous = (
        MonthConfirmation.objects.filter(school_id=school.pk, teacher=teacher, month=first)
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if previous is not None and not discrepancies(previous.figures, snapshot):
        raise Conflict(
            f"Часы за {label} уже подтверждены {previous.confirmed_at:%d.%m.%Y} и с тех пор не менялись.",
            code=HoursCode.ALREADY_CONFIRMED,
        )
    return MonthConfirmation.objects.create(
        school_id=school.pk,
        teacher=teacher,
        month=first,
        confirmed_by=actor,
        confirmed_at=clock.now(),
        figures=snapshot,
    )
