"""What happens in a real year besides the timetable, done through the services the pages use: a student
moves to the parallel class, a sick teacher is replaced for a few days, a lesson is cancelled and given
later as an extra one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.schools import services as schools

from .records import LessonRow, Membership, read_lessons
from .subjects import HOURS, PRIMARY, SUBJECT_BY_KEY, is_split

if TYPE_CHECKING:
    from .generator import _Generation

MAX_LESSON_NUMBER = 8


@dataclass
class Changes:
    """The one-off changes made, for the tests and the printed summary."""

    transferred_student_id: int | None = None
    transfer_from_class_id: int | None = None
    transfer_to_class_id: int | None = None
    transfer_day: dt.date | None = None
    substituted_lesson_ids: list[int] = field(default_factory=list)
    cancelled_lesson_id: int | None = None
    extra_lesson_id: int | None = None


def reference_day(gen: _Generation) -> dt.date:
    """Changes happen in the past part of the year; early in September (or before it) in its first weeks."""
    year = gen.year
    last = min(gen.today, year.end)
    if (last - year.start).days >= 28:
        return last
    return year.start + dt.timedelta(days=42)


def apply(gen: _Generation, rng: random.Random) -> Changes:
    changes = Changes()
    lessons = read_lessons(gen.school.pk)
    ref = reference_day(gen)
    _transfer(gen, rng, ref, lessons, changes)
    busy = {(lesson.giver_id, lesson.date, lesson.number) for lesson in lessons if not lesson.cancelled}
    _replacement(gen, rng, ref, lessons, busy, changes)
    _cancel_and_extra(gen, rng, ref, lessons, busy, changes)
    return changes


def _transfer(gen: _Generation, rng: random.Random, ref: dt.date, lessons: list[LessonRow], changes: Changes) -> None:
    """A student of the A class moves to the B class of the same parallel in the middle of the past weeks."""
    by_grade: dict[int, list[int]] = {}
    for ci, spec in enumerate(gen.classes):
        by_grade.setdefault(spec.grade, []).append(ci)
    grades = [g for g, cis in by_grade.items() if len(cis) >= 2 and g >= 2]
    if not grades:
        return
    grade = min(grades, key=lambda g: (abs(g - 7), g))
    source, target = by_grade[grade][0], by_grade[grade][1]
    plan = rng.choice(gen.people.students[source])
    student = gen.users[plan.person]
    from_group, to_group = gen.groups[source], gen.groups[target]
    middle = gen.year.start + dt.timedelta(days=(ref - gen.year.start).days // 2)
    target_days = sorted(
        {lesson.date for lesson in lessons if lesson.class_id == to_group.pk and lesson.date >= middle}
    )
    first_day = next((d for d in target_days if d.isoweekday() == 1), target_days[0] if target_days else None)
    if first_day is None or first_day <= gen.year.start:
        return
    schools.transfer(actor=gen.admin, student=student, to_class=to_group, first_day=first_day)
    last_day = first_day - dt.timedelta(days=1)

    def close(roster: list[Membership]) -> None:
        for i, m in enumerate(roster):
            if m.student_id == student.pk and m.end is None:
                roster[i] = Membership(m.student_id, m.start, last_day)

    close(gen.class_roster[from_group.pk])
    gen.class_roster[to_group.pk].append(Membership(student.pk, first_day, None))
    for key in HOURS[grade]:
        if not is_split(SUBJECT_BY_KEY[key], grade):
            continue
        for k in (1, 2):
            close(gen.subgroup_roster[gen.subgroups[(source, key, k)].pk])
        # Into the smaller subgroup of the new class, the second one when both are equal.
        options = [gen.subgroups[(target, key, k)] for k in (1, 2)]
        joined = min(options, key=lambda sg: (len(gen.subgroup_roster[sg.pk]), -options.index(sg)))
        members = list(joined.students.order_by("pk"))
        schools.set_subgroup_members(actor=gen.admin, subgroup=joined, students=[*members, student])
        gen.subgroup_roster[joined.pk].append(Membership(student.pk, first_day, None))
    changes.transferred_student_id = student.pk
    changes.transfer_from_class_id = from_group.pk
    changes.transfer_to_class_id = to_group.pk
    changes.transfer_day = first_day


def _window(lessons: list[LessonRow], ref: dt.date, start: dt.date) -> list[LessonRow]:
    """Past lessons well inside the year: not in its first week, not in the last days before today."""
    low, high = start + dt.timedelta(days=7), ref - dt.timedelta(days=3)
    return [lesson for lesson in lessons if low <= lesson.date <= high and not lesson.cancelled]


def _replacement(
    gen: _Generation,
    rng: random.Random,
    ref: dt.date,
    lessons: list[LessonRow],
    busy: set[tuple[int, dt.date, int]],
    changes: Changes,
) -> None:
    """A subject teacher is ill three teaching days; colleagues of the same subject, else anyone free, replace."""
    staff = gen.staffing.teachers
    subject_teachers = [t for t, plan in enumerate(staff) if plan.family != PRIMARY]
    if len(subject_teachers) < 2:
        return
    absent = rng.choice(subject_teachers)
    absent_pk = gen.teacher_users[absent].pk
    own = [lesson for lesson in _window(lessons, ref, gen.year.start) if lesson.teacher_id == absent_pk]
    days = sorted({lesson.date for lesson in own})
    if not days:
        return
    first = rng.randrange(max(1, len(days) - 2))
    ill_days = set(days[first : first + 3])
    family = staff[absent].family
    colleagues = [t for t in subject_teachers if t != absent and staff[t].family == family]
    others = [t for t in subject_teachers if t != absent and staff[t].family != family]
    for lesson in own:
        if lesson.date not in ill_days:
            continue
        for t in colleagues + others:
            substitute = gen.teacher_users[t]
            if (substitute.pk, lesson.date, lesson.number) in busy:
                continue
            try:
                curriculum.replace_teacher(
                    actor=gen.admin,
                    lesson=Lesson.objects.get(pk=lesson.id),
                    substitute=substitute,
                    note="Замена: учитель на больничном",
                )
            except ValidationFailed:
                continue
            busy.add((substitute.pk, lesson.date, lesson.number))
            changes.substituted_lesson_ids.append(lesson.id)
            break


def _cancel_and_extra(
    gen: _Generation,
    rng: random.Random,
    ref: dt.date,
    lessons: list[LessonRow],
    busy: set[tuple[int, dt.date, int]],
    changes: Changes,
) -> None:
    """The last lesson of a day of an older class is cancelled, and given on a later day after the others."""
    grade_of = {g.pk: g.grade for g in gen.groups}
    last_of_day: dict[tuple[int, dt.date], int] = {}
    for lesson in lessons:
        key = (lesson.class_id, lesson.date)
        last_of_day[key] = max(last_of_day.get(key, 0), lesson.number)
    candidates = [
        lesson
        for lesson in _window(lessons, ref, gen.year.start)
        if grade_of[lesson.class_id] >= 5
        and lesson.subgroup_id is None
        and lesson.substitute_id is None
        and lesson.id not in changes.substituted_lesson_ids
        and lesson.number == last_of_day[(lesson.class_id, lesson.date)]
    ]
    if not candidates:
        return
    chosen = rng.choice(candidates)
    cancelled = curriculum.cancel_lesson(
        actor=gen.admin, lesson=Lesson.objects.get(pk=chosen.id), note="Учитель на курсах повышения квалификации"
    )
    changes.cancelled_lesson_id = cancelled.pk
    later_days = sorted({d for (class_id, d) in last_of_day if class_id == chosen.class_id and chosen.date < d <= ref})
    # Within the next two weeks, the day the class has fewest lessons: the make-up lesson is not the 8th.
    soon = [d for d in later_days if d <= chosen.date + dt.timedelta(days=14)]
    soon.sort(key=lambda d: (last_of_day[(chosen.class_id, d)], d))
    for day in soon + [d for d in later_days if d not in soon]:
        number = last_of_day[(chosen.class_id, day)] + 1
        if number > MAX_LESSON_NUMBER or (chosen.teacher_id, day, number) in busy:
            continue
        try:
            extra = curriculum.add_extra_lesson(
                actor=gen.admin,
                assignment=cancelled.assignment,
                day=day,
                number=number,
                note=f"Вместо урока, отменённого {ru_date(chosen.date)}",
            )
        except ValidationFailed:
            continue
        busy.add((chosen.teacher_id, day, number))
        changes.extra_lesson_id = extra.pk
        return
