"""The weekly timetable: bells and the grid of slots, with a teacher, a class and a room in one place at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.db import transaction

from ejournal.access import roles, tenancy
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.schools.models import AcademicYear, ClassGroup

from .models import Bell, Lesson, TeachingAssignment, TimetableSlot
from .rules import groups_clash, slot_label


def _dates_meet(a: TeachingAssignment, b: TeachingAssignment) -> bool:
    """An ended assignment's slot does not block the one that takes over from its next day."""
    return (a.end is None or b.start <= a.end) and (b.end is None or a.start <= b.end)


@transaction.atomic
def set_slot(
    *,
    actor: User,
    year: AcademicYear,
    assignment: TeachingAssignment,
    weekday: int,
    number: int,
    room: str = "",
) -> TimetableSlot:
    """Put an assignment into the weekly grid; a teacher and a class are in one place at a time."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year, assignment)
    room = room.strip()
    if not 1 <= weekday <= 6:
        raise ValidationFailed("День недели должен быть с понедельника по субботу.")
    if weekday == 6 and not assignment.class_group.works_on_saturday:
        raise ValidationFailed(f"{assignment.class_group.name} учится пять дней в неделю: в субботу уроков нет.")
    if not Bell.objects.filter(school_id=year.school_id, number=number).exists():
        raise ValidationFailed(f"В расписании звонков нет {number}-го урока.")
    if assignment.class_group.year_id != year.pk:
        raise ValidationFailed("Нагрузка относится к другому учебному году.")
    if len(room) > 20:
        raise ValidationFailed("Кабинет: не длиннее 20 знаков.")
    busy = (
        TimetableSlot.objects.filter(school_id=year.school_id, year=year, weekday=weekday, number=number)
        .exclude(assignment=assignment)
        .select_related("assignment__teacher", "assignment__class_group", "assignment__subject")
    )
    where = slot_label(weekday, number)
    for slot in busy:
        other = slot.assignment
        if not _dates_meet(other, assignment):
            continue
        if other.teacher_id == assignment.teacher_id:
            raise ValidationFailed(
                f"{where}: {assignment.teacher.short_name} уже ведёт урок "
                f"«{other.subject.name}» в {other.class_group.name}."
            )
        if groups_clash(other, assignment):
            raise ValidationFailed(
                f"{where}: у {other.class_group.name} уже стоит «{other.subject.name}» ({other.teacher.short_name})."
            )
        if room and slot.room == room:
            raise ValidationFailed(f"{where}: кабинет {room} уже занят ({other.class_group.name}).")
    slot, _ = TimetableSlot.objects.update_or_create(
        school_id=year.school_id,
        year=year,
        assignment=assignment,
        weekday=weekday,
        number=number,
        defaults={"room": room},
    )
    return slot


@transaction.atomic
def clear_slot(*, actor: User, slot: TimetableSlot) -> None:
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, slot)
    slot.delete()


@transaction.atomic
def set_cell_slot(
    *,
    actor: User,
    year: AcademicYear,
    class_group: ClassGroup,
    weekday: int,
    number: int,
    assignment: TeachingAssignment | None,
    room: str = "",
    replaces: TimetableSlot | None = None,
) -> TimetableSlot | None:
    """One cell of a class's grid: put `assignment` there instead of `replaces` (or beside the slots already
    there: subgroups share a cell). No assignment clears `replaces`. A conflict saves nothing."""
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year, class_group, assignment, replaces)
    if class_group.year_id != year.pk:
        raise ValidationFailed(f"{class_group.name} относится к другому учебному году.")
    if assignment is not None and assignment.class_group_id != class_group.pk:
        raise ValidationFailed(f"Нагрузка «{assignment}» не относится к {class_group.name}.")
    if replaces is not None:
        if replaces.assignment.class_group_id != class_group.pk or (replaces.weekday, replaces.number) != (
            weekday,
            number,
        ):
            raise ValidationFailed("Этот урок расписания уже изменён: обновите страницу.")
        replaces.delete()
    if assignment is None:
        return None
    return set_slot(actor=actor, year=year, assignment=assignment, weekday=weekday, number=number, room=room)


@dataclass(frozen=True)
class BellTimes:
    number: int
    starts_at: dt.time
    ends_at: dt.time


@transaction.atomic
def set_bells(*, actor: User, bells: Sequence[BellTimes]) -> list[Bell]:
    """Расписание звонков of the actor's school, replaced as a whole.

    Lessons follow each other without overlap; a lesson number the weekly grid or a dated lesson still
    uses cannot be removed.
    """
    roles.require(roles.manages_structure(actor))
    school_id = actor.school_id
    errors = []
    ordered = sorted(bells, key=lambda b: b.number)
    numbers = [b.number for b in ordered]
    if not ordered:
        errors.append("Укажите хотя бы один урок.")
    if len(set(numbers)) != len(numbers):
        errors.append("Номера уроков повторяются.")
    for bell in ordered:
        if not 0 <= bell.number <= 12:
            errors.append(f"Урок {bell.number}: номер должен быть от 0 до 12.")
        if bell.starts_at >= bell.ends_at:
            errors.append(f"Урок {bell.number}: начало {bell.starts_at:%H:%M} не раньше конца {bell.ends_at:%H:%M}.")
    for before, after in pairwise(ordered):
        if before.number != after.number and after.starts_at < before.ends_at:
            errors.append(f"Урок {after.number} начинается раньше, чем кончается урок {before.number}.")
    removed = set(Bell.objects.filter(school_id=school_id).values_list("number", flat=True)) - set(numbers)
    if removed:
        used = sorted(
            set(TimetableSlot.objects.filter(school_id=school_id, number__in=removed).values_list("number", flat=True))
            | set(Lesson.objects.filter(school_id=school_id, number__in=removed).values_list("number", flat=True))
        )
        for number in used:
            errors.append(f"Урок {number} убрать нельзя: он стоит в расписании или в журнале.")
    if errors:
        raise ValidationFailed("\n".join(errors))
    Bell.objects.filter(school_id=school_id, number__in=removed).delete()
    saved = []
    for bell in ordered:
        line, _ = Bell.objects.update_or_create(
            school_id=school_id,
            number=bell.number,
            defaults={"starts_at": bell.starts_at, "ends_at": bell.ends_at},
        )
        saved.append(line)
    return saved
