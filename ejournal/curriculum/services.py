"""Writes of curriculum and timetable: subjects, the учебный план, assignments, the weekly grid, dated lessons
and one-off changes. Every write checks access itself and raises a DomainError with a Russian message.

The weekly grid lives in `timetable`, dated lessons in `lessons`; they are re-exported here so that other
apps have one module to call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from ejournal.access import roles, tenancy
from ejournal.accounts.models import Role, User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.schools.models import AcademicYear, ClassGroup, Subgroup

from .lessons import (
    Calendar,
    GenerationResult,
    add_extra_lesson,
    cancel_lesson,
    generate_lessons,
    move_lesson,
    replace_teacher,
    restore_lesson,
)
from .models import CurriculumHours, Lesson, Subject, TeachingAssignment
from .rules import remove_empty_lessons
from .timetable import BellTimes, clear_slot, set_bells, set_cell_slot, set_slot

__all__ = [
    "BellTimes",
    "Calendar",
    "GenerationResult",
    "add_extra_lesson",
    "cancel_lesson",
    "clear_slot",
    "create_assignment",
    "create_subject",
    "delete_subject",
    "end_assignment",
    "generate_lessons",
    "move_lesson",
    "replace_teacher",
    "restore_lesson",
    "set_bells",
    "set_cell_slot",
    "set_curriculum_grid",
    "set_curriculum_hours",
    "set_slot",
    "update_subject",
]


def _subject_names(school_id: int | None, name: str, short_name: str, exclude_pk: int | None) -> tuple[str, str]:
    name, short_name = name.strip(), short_name.strip()
    if not name:
        raise ValidationFailed("Укажите название предмета.", field="name")
    # The columns' limits: PostgreSQL refuses a longer value with a server error, not a message.
    if len(name) > 150:
        raise ValidationFailed("Название предмета длиннее 150 знаков.", field="name")
    if len(short_name) > 30:
        raise ValidationFailed("Сокращение длиннее 30 знаков.", field="short_name")
    if Subject.objects.filter(school_id=school_id, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationFailed(f"Предмет «{name}» уже есть.", field="name")
    return name, (short_name or name[:30])


@transaction.atomic
def create_subject(*, actor: User, name: str, short_name: str = "", pass_fail: bool = False) -> Subject:
    roles.require(roles.manages_structure(actor))
    name, short_name = _subject_names(actor.school_id, name, short_name, exclude_pk=None)
    return Subject.objects.create(school_id=actor.school_id, name=name, short_name=short_name, pass_fail=pass_fail)


@transaction.atomic
def update_subject(*, actor: User, subject: Subject, name: str, short_name: str, pass_fail: bool) -> Subject:
    """Rename a subject or switch it to «зачёт/незачёт»; marks already given keep their values."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, subject)
    subject.name, subject.short_name = _subject_names(subject.school_id, name, short_name, exclude_pk=subject.pk)
    subject.pass_fail = pass_fail
    subject.save(update_fields=["name", "short_name", "pass_fail"])
    return subject


@transaction.atomic
def delete_subject(*, actor: User, subject: Subject) -> None:
    """Only a subject nothing refers to goes away; otherwise the message says what holds it."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, subject)
    school_id = subject.school_id
    holders = [
        (subject.assignments.filter(school_id=school_id).exists(), "по нему есть нагрузка учителей"),
        (subject.curriculum.filter(school_id=school_id).exists(), "он есть в учебном плане"),
        (subject.subgroups.filter(school_id=school_id).exists(), "по нему есть подгруппы"),
        (subject.lessons.filter(school_id=school_id).exists(), "по нему есть уроки"),
    ]
    reasons = [text for held, text in holders if held]
    if reasons:
        raise ValidationFailed(f"Предмет «{subject.name}» удалить нельзя: {', '.join(reasons)}.")
    subject.delete()


@transaction.atomic
def set_curriculum_hours(
    *, actor: User, year: AcademicYear, grade: int, subject: Subject, hours_per_week: Decimal
) -> CurriculumHours | None:
    """Hours per week of a subject in a parallel; zero removes the line."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year, subject)
    if not 1 <= grade <= 11:
        raise ValidationFailed(f"Параллель {grade} вне 1–11.")
    if hours_per_week < 0 or hours_per_week > 12:
        raise ValidationFailed(f"{subject.name}, {grade} кл.: часов в неделю должно быть от 0 до 12.")
    if hours_per_week == 0:
        CurriculumHours.objects.filter(school_id=year.school_id, year=year, grade=grade, subject=subject).delete()
        return None
    line, _ = CurriculumHours.objects.update_or_create(
        school_id=year.school_id,
        year=year,
        grade=grade,
        subject=subject,
        defaults={"hours_per_week": hours_per_week},
    )
    return line


@transaction.atomic
def set_curriculum_grid(*, actor: User, year: AcademicYear, cells: Mapping[tuple[Subject, int], Decimal]) -> int:
    """The whole учебный план in one go: every cell is checked first, one bad cell saves nothing.

    Returns the number of cells that changed.
    """
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year, *(subject for subject, _ in cells))
    errors = []
    for (subject, grade), hours in cells.items():
        if not 1 <= grade <= 11:
            errors.append(f"Параллель {grade} вне 1–11.")
        elif hours < 0 or hours > 12 or hours != hours.quantize(Decimal("0.1")):
            errors.append(f"{subject.name}, {grade} кл.: часов в неделю должно быть от 0 до 12 (до десятых).")
    if errors:
        raise ValidationFailed("\n".join(errors))
    current = {
        (line.subject_id, line.grade): line.hours_per_week
        for line in CurriculumHours.objects.filter(school_id=year.school_id, year=year)
    }
    changed = 0
    for (subject, grade), hours in cells.items():
        if current.get((subject.pk, grade), Decimal(0)) != hours:
            set_curriculum_hours(actor=actor, year=year, grade=grade, subject=subject, hours_per_week=hours)
            changed += 1
    return changed


@transaction.atomic
def create_assignment(
    *,
    actor: User,
    teacher: User,
    class_group: ClassGroup,
    subject: Subject,
    subgroup: Subgroup | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> TeachingAssignment:
    """Нагрузка: teacher × class (or its subgroup) × subject, from `start` (the year's start by default)."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, teacher, class_group, subject, subgroup)
    year = class_group.year
    start = start or year.start
    if not teacher.has_role(Role.TEACHER) or not teacher.is_active:
        raise ValidationFailed(f"{teacher.full_name} не работает учителем.")
    if subgroup is not None and (subgroup.class_group_id != class_group.pk or subgroup.subject_id != subject.pk):
        raise ValidationFailed(f"Подгруппа «{subgroup.name}» не относится к {class_group.name}, {subject.name}.")
    if not year.contains(start) or (end is not None and not (start <= end <= year.end)):
        raise ValidationFailed(f"Даты нагрузки {ru_date(start)}–{end and ru_date(end)} вне учебного года.")
    same = TeachingAssignment.objects.filter(
        school_id=class_group.school_id, teacher=teacher, class_group=class_group, subject=subject, subgroup=subgroup
    ).filter(_overlapping(start, end))
    if same.exists():
        raise ValidationFailed(
            f"{teacher.short_name} уже ведёт «{subject.name}» в {class_group.name}"
            f"{f' ({subgroup.name})' if subgroup else ''} в эти даты."
        )
    return TeachingAssignment.objects.create(
        school_id=class_group.school_id,
        teacher=teacher,
        class_group=class_group,
        subject=subject,
        subgroup=subgroup,
        start=start,
        end=end,
    )


def _overlapping(start: dt.date, end: dt.date | None, prefix: str = "") -> Q:
    """Assignments whose dates meet the span start..end (an open end runs to the end of the year)."""
    cond = Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start})
    if end is not None:
        cond &= Q(**{f"{prefix}start__lte": end})
    return cond


@transaction.atomic
def end_assignment(*, actor: User, assignment: TeachingAssignment, last_day: dt.date) -> TeachingAssignment:
    """The teacher stops teaching after `last_day`; their empty future lessons go away, written ones stay."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, assignment)
    if last_day < assignment.start:
        raise ValidationFailed(f"Дата окончания {ru_date(last_day)} раньше начала нагрузки.")
    if last_day > assignment.class_group.year.end:
        raise ValidationFailed(f"Дата окончания {ru_date(last_day)} позже конца учебного года.")
    assignment.end = last_day
    assignment.save(update_fields=["end"])
    remove_empty_lessons(
        Lesson.objects.filter(school_id=assignment.school_id, assignment=assignment, date__gt=last_day)
    )
    return assignment
