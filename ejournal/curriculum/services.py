"""Writes of curriculum and timetable: assignments, the weekly grid, dated lessons and one-off changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from ejournal.access import roles
from ejournal.accounts.models import Role, User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import WEEKDAYS_SHORT_RU, daterange, ru_date
from ejournal.schools.models import AcademicYear, ClassGroup, Holiday, Period, Subgroup

from .models import (
    Bell,
    CurriculumHours,
    Lesson,
    LessonOrigin,
    LessonStatus,
    Subject,
    TeachingAssignment,
    TimetableSlot,
)


def _require_same_school(actor: User, *objects: object) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "school_id", actor.school_id) != actor.school_id:
            roles.require(False)


@transaction.atomic
def create_subject(*, actor: User, name: str, short_name: str = "", pass_fail: bool = False) -> Subject:
    roles.require(roles.manages_structure(actor))
    name = name.strip()
    if not name:
        raise ValidationFailed("Укажите название предмета.")
    if Subject.objects.filter(school_id=actor.school_id, name=name).exists():
        raise ValidationFailed(f"Предмет «{name}» уже есть.")
    return Subject.objects.create(
        school_id=actor.school_id,
        name=name,
        short_name=(short_name.strip() or name[:30]),
        pass_fail=pass_fail,
    )


@transaction.atomic
def set_curriculum_hours(
    *, actor: User, year: AcademicYear, grade: int, subject: Subject, hours_per_week: Decimal
) -> CurriculumHours | None:
    """Hours per week of a subject in a parallel; zero removes the line."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year, subject)
    if not 1 <= grade <= 11:
        raise ValidationFailed(f"Параллель {grade} вне 1–11.")
    if hours_per_week < 0 or hours_per_week > 12:
        raise ValidationFailed(f"{subject.name}, {grade} кл.: часов в неделю должно быть от 0 до 12.")
    if hours_per_week == 0:
        CurriculumHours.objects.filter(year=year, grade=grade, subject=subject).delete()
        return None
    line, _ = CurriculumHours.objects.update_or_create(
        year=year,
        grade=grade,
        subject=subject,
        defaults={"school_id": year.school_id, "hours_per_week": hours_per_week},
    )
    return line


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
    _require_same_school(actor, teacher, class_group, subject, subgroup)
    year = class_group.year
    start = start or year.start
    if not teacher.has_role(Role.TEACHER) or not teacher.is_active:
        raise ValidationFailed(f"{teacher.full_name} не работает учителем.")
    if subgroup is not None and (subgroup.class_group_id != class_group.pk or subgroup.subject_id != subject.pk):
        raise ValidationFailed(f"Подгруппа «{subgroup.name}» не относится к {class_group.name}, {subject.name}.")
    if not year.contains(start) or (end is not None and not (start <= end <= year.end)):
        raise ValidationFailed(f"Даты нагрузки {ru_date(start)}–{end and ru_date(end)} вне учебного года.")
    return TeachingAssignment.objects.create(
        school_id=class_group.school_id,
        teacher=teacher,
        class_group=class_group,
        subject=subject,
        subgroup=subgroup,
        start=start,
        end=end,
    )


@transaction.atomic
def end_assignment(*, actor: User, assignment: TeachingAssignment, last_day: dt.date) -> TeachingAssignment:
    """The teacher stops teaching after `last_day`; their empty future lessons go away, written ones stay."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, assignment)
    if last_day < assignment.start:
        raise ValidationFailed(f"Дата окончания {ru_date(last_day)} раньше начала нагрузки.")
    assignment.end = last_day
    assignment.save(update_fields=["end"])
    _empty_lessons(Lesson.objects.filter(assignment=assignment, date__gt=last_day)).delete()
    return assignment


# --- the weekly timetable -------------------------------------------------------------------------


def _slot_label(weekday: int, number: int) -> str:
    return f"{WEEKDAYS_SHORT_RU[weekday - 1]}, {number}-й урок"


def _groups_clash(a: TeachingAssignment, b: TeachingAssignment) -> bool:
    """Two lessons of one class at once are fine only for two different subgroups."""
    if a.class_group_id != b.class_group_id:
        return False
    return not (a.subgroup_id and b.subgroup_id and a.subgroup_id != b.subgroup_id)


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
    _require_same_school(actor, year, assignment)
    if not 1 <= weekday <= 6:
        raise ValidationFailed("День недели должен быть с понедельника по субботу.")
    if not Bell.objects.filter(school_id=year.school_id, number=number).exists():
        raise ValidationFailed(f"В расписании звонков нет {number}-го урока.")
    if assignment.class_group.year_id != year.pk:
        raise ValidationFailed("Нагрузка относится к другому учебному году.")
    busy = (
        TimetableSlot.objects.filter(year=year, weekday=weekday, number=number)
        .exclude(assignment=assignment)
        .select_related("assignment__teacher", "assignment__class_group", "assignment__subject")
    )
    where = _slot_label(weekday, number)
    for slot in busy:
        other = slot.assignment
        if other.teacher_id == assignment.teacher_id:
            raise ValidationFailed(
                f"{where}: {assignment.teacher.short_name} уже ведёт урок "
                f"«{other.subject.name}» в {other.class_group.name}."
            )
        if _groups_clash(other, assignment):
            raise ValidationFailed(
                f"{where}: у {other.class_group.name} уже стоит «{other.subject.name}» ({other.teacher.short_name})."
            )
        if room and slot.room == room:
            raise ValidationFailed(f"{where}: кабинет {room} уже занят ({other.class_group.name}).")
    slot, _ = TimetableSlot.objects.update_or_create(
        year=year,
        assignment=assignment,
        weekday=weekday,
        number=number,
        defaults={"school_id": year.school_id, "room": room},
    )
    return slot


@transaction.atomic
def clear_slot(*, actor: User, slot: TimetableSlot) -> None:
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, slot)
    slot.delete()


# --- dated lessons --------------------------------------------------------------------------------


def _empty_lessons(lessons):  # type: ignore[no-untyped-def]
    """Lessons nothing was written into yet: they can be removed or re-generated freely."""
    return lessons.filter(topic="", marks__isnull=True, attendance__isnull=True, homework__isnull=True)


@dataclass(frozen=True)
class Calendar:
    """School days of a year per parallel: periods give the teaching spans, holidays cut them."""

    periods: list[Period]
    holidays: list[Holiday]

    @classmethod
    def of(cls, year: AcademicYear) -> Calendar:
        return cls(
            periods=list(Period.objects.filter(scheme__year=year).select_related("scheme")),
            holidays=list(Holiday.objects.filter(year=year)),
        )

    def period_of(self, day: dt.date, grade: int) -> Period | None:
        for period in self.periods:
            if period.start <= day <= period.end and period.scheme.covers(grade):
                return period
        return None

    def holiday_on(self, day: dt.date, grade: int) -> Holiday | None:
        for holiday in self.holidays:
            if holiday.covers(day, grade):
                return holiday
        return None

    def is_school_day(self, day: dt.date, grade: int) -> bool:
        return self.period_of(day, grade) is not None and self.holiday_on(day, grade) is None


@dataclass
class GenerationResult:
    created: int = 0
    removed: int = 0
    kept: int = 0


@transaction.atomic
def generate_lessons(
    *, actor: User, year: AcademicYear, since: dt.date | None = None, class_group: ClassGroup | None = None
) -> GenerationResult:
    """Turn the weekly grid into the dated lessons of the year from `since` (the year's start by default).

    Idempotent: lessons that match the grid stay, empty ones that no longer match go, missing ones are
    made. Holidays, days outside the periods of the class's grade band and days outside an assignment's
    dates get no lessons; lessons something was written into are never removed.
    """
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year, class_group)
    since = max(since or year.start, year.start)
    calendar = Calendar.of(year)
    slots = TimetableSlot.objects.filter(year=year).select_related("assignment__class_group")
    if class_group is not None:
        slots = slots.filter(assignment__class_group=class_group)
    by_weekday: dict[int, list[TimetableSlot]] = {}
    for slot in slots:
        by_weekday.setdefault(slot.weekday, []).append(slot)

    wanted: dict[tuple[int, dt.date, int], TimetableSlot] = {}
    for day in daterange(since, year.end):
        for slot in by_weekday.get(day.isoweekday(), ()):
            assignment = slot.assignment
            if assignment.active_on(day) and calendar.is_school_day(day, assignment.class_group.grade):
                wanted[(assignment.pk, day, slot.number)] = slot

    lessons = Lesson.objects.filter(school_id=year.school_id, class_group__year=year)
    if class_group is not None:
        lessons = lessons.filter(class_group=class_group)
    existing = lessons.filter(date__range=(since, year.end), origin=LessonOrigin.TIMETABLE)
    have = set(existing.values_list("assignment_id", "date", "number"))
    # A lesson moved away still stands for its timetable place: that place is not filled again.
    accounted = have | set(
        lessons.filter(moved_from__range=(since, year.end)).values_list(
            "assignment_id", "moved_from", "moved_from_number"
        )
    )
    stale = [key for key in have if key not in wanted]
    result = GenerationResult(kept=len(have) - len(stale))
    if stale:
        stale_q = Q(pk__in=[])
        for assignment_id, day, number in stale:
            stale_q |= Q(assignment_id=assignment_id, date=day, number=number)
        removable = list(_empty_lessons(existing.filter(stale_q)).values_list("pk", flat=True))
        result.removed = len(removable)
        result.kept += len(stale) - result.removed
        Lesson.objects.filter(pk__in=removable).delete()
    new = [
        _lesson_from_slot(slot, day, number)
        for (assignment_id, day, number), slot in wanted.items()
        if (assignment_id, day, number) not in accounted
    ]
    Lesson.objects.bulk_create(new, batch_size=2000)
    result.created = len(new)
    return result


def _lesson_from_slot(slot: TimetableSlot, day: dt.date, number: int) -> Lesson:
    a = slot.assignment
    return Lesson(
        school_id=a.school_id,
        assignment=a,
        class_group_id=a.class_group_id,
        subgroup_id=a.subgroup_id,
        subject_id=a.subject_id,
        teacher_id=a.teacher_id,
        date=day,
        number=number,
        room=slot.room,
    )


def _busy_teacher_lesson(teacher: User, day: dt.date, number: int, exclude: int | None) -> Lesson | None:
    qs = Lesson.objects.filter(
        school_id=teacher.school_id, date=day, number=number, status=LessonStatus.PLANNED
    ).filter(Q(teacher=teacher, substitute__isnull=True) | Q(substitute=teacher))
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs.select_related("class_group", "subject").first()


def _check_time_free(
    *, assignment: TeachingAssignment, teacher: User, day: dt.date, number: int, exclude: int | None
) -> None:
    where = f"{ru_date(day)}, {number}-й урок"
    busy = _busy_teacher_lesson(teacher, day, number, exclude)
    if busy:
        raise ValidationFailed(
            f"{where}: {teacher.short_name} в это время ведёт «{busy.subject.name}» в {busy.class_group.name}."
        )
    same_class = Lesson.objects.filter(
        class_group_id=assignment.class_group_id, date=day, number=number, status=LessonStatus.PLANNED
    ).select_related("assignment", "subject")
    if exclude:
        same_class = same_class.exclude(pk=exclude)
    for other in same_class:
        if _groups_clash(other.assignment, assignment):
            raise ValidationFailed(f"{where}: у {assignment.class_group.name} в это время уже «{other.subject.name}».")


def _check_school_day(assignment: TeachingAssignment, day: dt.date, number: int) -> None:
    group = assignment.class_group
    calendar = Calendar.of(group.year)
    holiday = calendar.holiday_on(day, group.grade)
    if holiday:
        raise ValidationFailed(f"{ru_date(day)} — {holiday.name} для {group.name}: уроков нет.")
    if calendar.period_of(day, group.grade) is None:
        raise ValidationFailed(f"{ru_date(day)} не входит ни в один учебный период {group.name}.")
    if not assignment.active_on(day):
        raise ValidationFailed(f"{ru_date(day)}: нагрузка {assignment} в этот день не действует.")
    if day.isoweekday() == 7:
        raise ValidationFailed(f"{ru_date(day)} — воскресенье.")
    if not Bell.objects.filter(school_id=assignment.school_id, number=number).exists():
        raise ValidationFailed(f"В расписании звонков нет {number}-го урока.")


@transaction.atomic
def replace_teacher(*, actor: User, lesson: Lesson, substitute: User | None, note: str = "") -> Lesson:
    """Замена: another teacher gives this lesson (None takes the replacement back)."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, lesson, substitute)
    if substitute is not None:
        if not substitute.has_role(Role.TEACHER) or not substitute.is_active:
            raise ValidationFailed(f"{substitute.full_name} не работает учителем.")
        if substitute.pk == lesson.teacher_id:
            raise ValidationFailed("Замена тем же учителем, что ведёт урок по расписанию.")
        busy = _busy_teacher_lesson(substitute, lesson.date, lesson.number, lesson.pk)
        if busy:
            raise ValidationFailed(
                f"{ru_date(lesson.date)}, {lesson.number}-й урок: {substitute.short_name} в это время ведёт "
                f"«{busy.subject.name}» в {busy.class_group.name}."
            )
    lesson.substitute = substitute
    lesson.change_note = note
    lesson.save(update_fields=["substitute", "change_note"])
    return lesson


@transaction.atomic
def cancel_lesson(*, actor: User, lesson: Lesson, note: str) -> Lesson:
    """The lesson does not take place; one with marks or attendance cannot be cancelled."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, lesson)
    if lesson.marks.exists() or lesson.attendance.exists():
        raise ValidationFailed(
            f"Урок {ru_date(lesson.date)} ({lesson.subject.name}, {lesson.class_group.name}) уже с отметками "
            f"или посещаемостью: отменить его нельзя."
        )
    lesson.status = LessonStatus.CANCELLED
    lesson.change_note = note
    lesson.save(update_fields=["status", "change_note"])
    return lesson


@transaction.atomic
def restore_lesson(*, actor: User, lesson: Lesson) -> Lesson:
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, lesson)
    _check_time_free(
        assignment=lesson.assignment,
        teacher=_giver(lesson),
        day=lesson.date,
        number=lesson.number,
        exclude=lesson.pk,
    )
    lesson.status = LessonStatus.PLANNED
    lesson.change_note = ""
    lesson.save(update_fields=["status", "change_note"])
    return lesson


def _giver(lesson: Lesson) -> User:
    return lesson.substitute or lesson.teacher


@transaction.atomic
def move_lesson(*, actor: User, lesson: Lesson, day: dt.date, number: int, note: str = "") -> Lesson:
    """Перенос: the lesson takes place on another day or at another time."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, lesson)
    if lesson.is_cancelled:
        raise ValidationFailed("Отменённый урок перенести нельзя: сначала верните его.")
    _check_school_day(lesson.assignment, day, number)
    _check_time_free(assignment=lesson.assignment, teacher=_giver(lesson), day=day, number=number, exclude=lesson.pk)
    if Lesson.objects.filter(assignment=lesson.assignment, date=day, number=number).exclude(pk=lesson.pk).exists():
        raise ValidationFailed(f"{ru_date(day)}, {number}-й урок: этот урок там уже стоит.")
    if lesson.origin == LessonOrigin.TIMETABLE:
        lesson.moved_from, lesson.moved_from_number = lesson.date, lesson.number
        lesson.origin = LessonOrigin.MOVED
    lesson.date, lesson.number = day, number
    lesson.change_note = note
    lesson.save(update_fields=["date", "number", "origin", "moved_from", "moved_from_number", "change_note"])
    return lesson


@transaction.atomic
def add_extra_lesson(
    *, actor: User, assignment: TeachingAssignment, day: dt.date, number: int, note: str = ""
) -> Lesson:
    """A lesson beyond the timetable (make-up, consultation counted in hours)."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, assignment)
    _check_school_day(assignment, day, number)
    _check_time_free(assignment=assignment, teacher=assignment.teacher, day=day, number=number, exclude=None)
    if Lesson.objects.filter(assignment=assignment, date=day, number=number).exists():
        raise ValidationFailed(f"{ru_date(day)}, {number}-й урок: этот урок там уже стоит.")
    return Lesson.objects.create(
        school_id=assignment.school_id,
        assignment=assignment,
        class_group_id=assignment.class_group_id,
        subgroup_id=assignment.subgroup_id,
        subject_id=assignment.subject_id,
        teacher_id=assignment.teacher_id,
        date=day,
        number=number,
        origin=LessonOrigin.EXTRA,
        change_note=note,
    )
