"""Filling a new year from a calendar spec through the same services the calendar page uses."""

from __future__ import annotations

from django.db import transaction

from ejournal.accounts.models import User

from . import services
from .calendar_defaults import YearSpec
from .models import AcademicYear, School


@transaction.atomic
def create_year_from_spec(*, actor: User, school: School, spec: YearSpec) -> AcademicYear:
    year = services.create_year(actor=actor, school=school, name=spec.name, start=spec.start, end=spec.end)
    for scheme in spec.schemes:
        services.set_period_scheme(
            actor=actor,
            year=year,
            kind=scheme.kind,
            grade_from=scheme.grade_from,
            grade_to=scheme.grade_to,
            spans=scheme.spans,
        )
    for h in spec.holidays:
        services.add_holiday(
            actor=actor,
            year=year,
            name=h.name,
            start=h.start,
            end=h.end,
            kind=h.kind,
            grade_from=h.grade_from,
            grade_to=h.grade_to,
        )
    return year
