"""Dated lessons: generated from the weekly grid over the school calendar, then changed one by one
(замены, cancellations, moves, extra lessons)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from ejournal.access import roles, tenancy
from ejournal.accounts.models import Role, User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import daterange, ru_date
from ejournal.schools.models import AcademicYear, ClassGroup, Holiday, Period

from .models import Bell, Lesson, LessonOrigin, LessonStatus, TeachingAssignment, TimetableSlot
from .rules import groups_clash, remove_empty_lessons


@dataclass(frozen=True)
class Calendar:
    """School days of a year per parallel: periods give the teaching spans, holidays cut them."""

    periods: list[Period]
    holidays: list[Holiday]

    @classmethod
    def of(cls, year: AcademicYear) -> Calendar:
        return cls(
            periods=list(Period.objects.filter(school_id=year.school_id, scheme__year=year).select_related("scheme")),
            holidays=list(Holiday.objects.filter(school_id=year.school_id, year=year)),
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
    skipped: int = 0  # grid places taken by an extra or moved lesson of the same teacher or class


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
    tenancy.in_school_of(actor, year, class_group)
    if class_group is not None and class_group.year_id != year.pk:
        raise ValidationFailed(f"{class_group.name} относится к другому учебному году.")
    since = max(since or year.start, year.start)
    calendar = Calendar.of(year)
    slots = TimetableSlot.objects.filter(school_id=year.school_id, year=year).select_related("assignment__class_group")
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
    have_rooms = {
        (assignment_id, day, number): (pk, room)
        for pk, assignment_id, day, number, room in existing.values_list(
            "pk", "assignment_id", "date", "number", "room"
        )
    }
    have = set(have_rooms)
    # A lesson moved away still stands for its timetable place: that place is not filled again. An extra or
    # moved lesson standing where the grid now puts the same assignment fills that place too (and the
    # database would refuse a second lesson of the assignment there).
    accounted = (
        have
        | set(
            lessons.filter(moved_from__range=(since, year.end)).values_list(
                "assignment_id", "moved_from", "moved_from_number"
            )
        )
        | set(
            lessons.filter(date__range=(since, year.end))
            .exclude(origin=LessonOrigin.TIMETABLE)
            .values_list("assignment_id", "date", "number")
        )
    )
    stale = [key for key in have if key not in wanted]
    result = GenerationResult(kept=len(have) - len(stale))
    if stale:
        result.removed = remove_empty_lessons(existing.filter(pk__in=[have_rooms[key][0] for key in stale]))
        result.kept += len(stale) - result.removed
    # A room changed in the grid reaches the lessons already made from it.
    new_rooms: dict[str, list[int]] = {}
    for key, (pk, room) in have_rooms.items():
        source = wanted.get(key)
        if source is not None and source.room != room:
            new_rooms.setdefault(source.room, []).append(pk)
    for room, pks in new_rooms.items():
        Lesson.objects.filter(school_id=year.school_id, pk__in=pks).update(room=room)
    taken = _taken_by_one_offs(year, since)
    new = []
    for (assignment_id, day, number), slot in wanted.items():
        if (assignment_id, day, number) in accounted:
            continue
        if taken.clashes(slot.assignment, day, number):
            result.skipped += 1
            continue
        new.append(_lesson_from_slot(slot, day, number))
    Lesson.objects.bulk_create(new, batch_size=2000)
    result.created = len(new)
    return result


@dataclass
class _Taken:
    """Times held by extra and moved lessons: the grid must not put a second lesson of their teacher or class there."""

    teachers: set[tuple[int, dt.date, int]]
    classes: dict[tuple[int, dt.date, int], set[int | None]]

    def clashes(self, assignment: TeachingAssignment, day: dt.date, number: int) -> bool:
        if (assignment.teacher_id, day, number) in self.teachers:
            return True
        groups = self.classes.get((assignment.class_group_id, day, number))
        if groups is None:
            return False
        # Two different subgroups of a class may learn at the same time; anything else clashes.
        return assignment.subgroup_id is None or None in groups or assignment.subgroup_id in groups


def _taken_by_one_offs(year: AcademicYear, since: dt.date) -> _Taken:
    rows = (
        Lesson.objects.filter(school_id=year.school_id, date__range=(since, year.end), status=LessonStatus.PLANNED)
        .exclude(origin=LessonOrigin.TIMETABLE)
        .values_list("teacher_id", "substitute_id", "class_group_id", "subgroup_id", "date", "number")
    )
    taken = _Taken(teachers=set(), classes={})
    for teacher_id, substitute_id, class_id, subgroup_id, day, number in rows:
        taken.teachers.add((substitute_id or teacher_id, day, number))
        taken.classes.setdefault((class_id, day, number), set()).add(subgroup_id)
    return taken


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
        school_id=assignment.school_id,
        class_group_id=assignment.class_group_id,
        date=day,
        number=number,
        status=LessonStatus.PLANNED,
    ).select_related("assignment", "subject")
    if exclude:
        same_class = same_class.exclude(pk=exclude)
    for other in same_class:
        if groups_clash(other.assignment, assignment):
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
    tenancy.in_school_of(actor, lesson, substitute)
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
    tenancy.in_school_of(actor, lesson)
    school_id = lesson.school_id
    if lesson.marks.filter(school_id=school_id).exists() or lesson.attendance.filter(school_id=school_id).exists():
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
    tenancy.in_school_of(actor, lesson)
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
    tenancy.in_school_of(actor, lesson)
    if lesson.is_cancelled:
        raise ValidationFailed("Отменённый урок перенести нельзя: сначала верните его.")
    _check_school_day(lesson.assignment, day, number)
    _check_time_free(assignment=lesson.assignment, teacher=_giver(lesson), day=day, number=number, exclude=lesson.pk)
    moved_onto = Lesson.objects.filter(
        school_id=lesson.school_id, assignment_id=lesson.assignment_id, date=day, number=number
    )
    if moved_onto.exclude(pk=lesson.pk).exists():
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
    tenancy.in_school_of(actor, assignment)
    _check_school_day(assignment, day, number)
    _check_time_free(assignment=assignment, teacher=assignment.teacher, day=day, number=number, exclude=None)
    if Lesson.objects.filter(school_id=assignment.school_id, assignment=assignment, date=day, number=number).exists():
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
