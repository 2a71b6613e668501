"""Writes of school structure. Each checks the rules of DOMAIN.md and saves nothing when one is broken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Q

from ejournal.access import roles
from ejournal.accounts.models import Role, User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date

from .models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Holiday,
    HolidayKind,
    Period,
    PeriodKind,
    PeriodScheme,
    School,
    Subgroup,
    SubgroupMember,
)

PERIOD_COUNTS = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.TRIMESTER: 3}


def _span(start: dt.date, end: dt.date | None) -> str:
    return f"{ru_date(start)}–{ru_date(end)}" if end else f"с {ru_date(start)}"


def _require_same_school(actor: User, *objects: object) -> None:
    for obj in objects:
        if getattr(obj, "school_id", actor.school_id) != actor.school_id:
            roles.require(False)


def _check_grades(grade_from: int, grade_to: int) -> None:
    if not (1 <= grade_from <= grade_to <= 11):
        raise ValidationFailed(f"Параллели указаны неверно: с {grade_from} по {grade_to}. Допустимо с 1 по 11.")


@transaction.atomic
def create_year(*, actor: User, school: School, name: str, start: dt.date, end: dt.date) -> AcademicYear:
    """A new academic year; years of a school never overlap."""
    roles.require(roles.manages_structure(actor) and actor.school_id == school.pk)
    if start >= end:
        raise ValidationFailed(f"Учебный год «{name}»: начало {ru_date(start)} не раньше окончания {ru_date(end)}.")
    clash = AcademicYear.objects.filter(school=school, start__lte=end, end__gte=start).first()
    if clash:
        raise ValidationFailed(
            f"Учебный год «{name}» ({_span(start, end)}) пересекается с годом «{clash.name}» "
            f"({_span(clash.start, clash.end)})."
        )
    if AcademicYear.objects.filter(school=school, name=name).exists():
        raise ValidationFailed(f"Учебный год «{name}» уже есть.")
    return AcademicYear.objects.create(school=school, name=name, start=start, end=end)


def _check_periods(year: AcademicYear, kind: str, spans: Sequence[tuple[dt.date, dt.date]]) -> None:
    label = PeriodKind(kind).label
    for number, (start, end) in enumerate(spans, start=1):
        where = f"{number} {label} ({_span(start, end)})"
        if start > end:
            raise ValidationFailed(f"{where}: начало позже окончания.")
        if start < year.start or end > year.end:
            raise ValidationFailed(
                f"{where} выходит за границы учебного года {year.name} ({_span(year.start, year.end)})."
            )
        if number > 1:
            prev_start, prev_end = spans[number - 2]
            if start <= prev_end:
                raise ValidationFailed(
                    f"{where} пересекается с периодом {number - 1} {label} ({_span(prev_start, prev_end)})."
                )


@transaction.atomic
def set_period_scheme(
    *,
    actor: User,
    year: AcademicYear,
    kind: str,
    grade_from: int,
    grade_to: int,
    spans: Sequence[tuple[dt.date, dt.date]],
) -> PeriodScheme:
    """Create or replace the periods of a band of grades (quarters for 1–9, half-years for 10–11…)."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year)
    _check_grades(grade_from, grade_to)
    if kind not in PeriodKind.values:
        raise ValidationFailed(f"Неизвестный вид периодов: {kind}.")
    if not spans:
        raise ValidationFailed("Укажите хотя бы один период.")
    _check_periods(year, kind, spans)
    scheme = PeriodScheme.objects.filter(year=year, grade_from=grade_from, grade_to=grade_to).first()
    others = PeriodScheme.objects.filter(year=year, grade_from__lte=grade_to, grade_to__gte=grade_from)
    if scheme:
        others = others.exclude(pk=scheme.pk)
    clash = others.first()
    if clash:
        raise ValidationFailed(f"Параллели {grade_from}–{grade_to} уже входят в схему «{clash}» этого учебного года.")
    if scheme is None:
        scheme = PeriodScheme.objects.create(
            school_id=year.school_id, year=year, kind=kind, grade_from=grade_from, grade_to=grade_to
        )
    else:
        scheme.kind = kind
        scheme.save(update_fields=["kind"])
        scheme.periods.filter(number__gt=len(spans)).delete()
    for number, (start, end) in enumerate(spans, start=1):
        Period.objects.update_or_create(
            scheme=scheme, number=number, defaults={"school_id": year.school_id, "start": start, "end": end}
        )
    return scheme


def periods_for_grade(year: AcademicYear, grade: int) -> list[Period]:
    """The periods that apply to a parallel in a year, in order."""
    return list(
        Period.objects.filter(scheme__year=year, scheme__grade_from__lte=grade, scheme__grade_to__gte=grade)
        .select_related("scheme")
        .order_by("start")
    )


@transaction.atomic
def add_holiday(
    *,
    actor: User,
    year: AcademicYear,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str = HolidayKind.VACATION,
    grade_from: int = 1,
    grade_to: int = 11,
) -> Holiday:
    """Holidays and public holidays; lessons already generated on those days are removed if still empty,
    and a day with written lessons cannot become a holiday."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year)
    _check_grades(grade_from, grade_to)
    where = f"«{name}» ({_span(start, end)})"
    if start > end:
        raise ValidationFailed(f"{where}: начало позже окончания.")
    if start < year.start or end > year.end:
        raise ValidationFailed(f"{where} выходит за границы учебного года {year.name}.")
    min_days = School.objects.values_list("min_vacation_days", flat=True).get(pk=year.school_id)
    if kind == HolidayKind.VACATION and (end - start).days + 1 < min_days:
        raise ValidationFailed(f"Каникулы {where} короче {min_days} дней.")
    _remove_empty_lessons(year=year, start=start, end=end, grade_from=grade_from, grade_to=grade_to, where=where)
    return Holiday.objects.create(
        school_id=year.school_id,
        year=year,
        name=name,
        kind=kind,
        start=start,
        end=end,
        grade_from=grade_from,
        grade_to=grade_to,
    )


def _remove_empty_lessons(
    *, year: AcademicYear, start: dt.date, end: dt.date, grade_from: int, grade_to: int, where: str
) -> None:
    from ejournal.curriculum.models import Lesson  # curriculum depends on schools, not the other way round

    lessons = Lesson.objects.filter(
        school_id=year.school_id,
        date__range=(start, end),
        class_group__grade__gte=grade_from,
        class_group__grade__lte=grade_to,
    )
    first = (
        lessons.filter(Q(marks__isnull=False) | Q(attendance__isnull=False) | Q(homework__isnull=False) | ~Q(topic=""))
        .select_related("class_group", "subject")
        .first()
    )
    if first:
        raise ValidationFailed(
            f"{where}: на {ru_date(first.date)} в {first.class_group.name} уже записан урок "
            f"«{first.subject.name}» (отметки, посещаемость, тема или задание). Перенесите его сначала."
        )
    lessons.delete()


@transaction.atomic
def create_class(
    *, actor: User, year: AcademicYear, grade: int, letter: str, class_teachers: Iterable[User] = ()
) -> ClassGroup:
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year)
    letter = letter.strip().upper()
    if not 1 <= grade <= 11:
        raise ValidationFailed(f"Параллель {grade} вне 1–11.")
    if not letter:
        raise ValidationFailed("Укажите литеру класса.")
    if ClassGroup.objects.filter(year=year, grade=grade, letter=letter).exists():
        raise ValidationFailed(f"Класс {grade}{letter} в {year.name} уже есть.")
    group = ClassGroup.objects.create(school_id=year.school_id, year=year, grade=grade, letter=letter)
    set_class_teachers(actor=actor, class_group=group, teachers=class_teachers)
    return group


@transaction.atomic
def set_class_teachers(*, actor: User, class_group: ClassGroup, teachers: Iterable[User]) -> None:
    roles.require(roles.manages_structure(actor))
    teachers = list(teachers)
    _require_same_school(actor, class_group, *teachers)
    for teacher in teachers:
        if not teacher.has_role(Role.TEACHER):
            raise ValidationFailed(f"{teacher.full_name} не учитель: классным руководителем быть не может.")
    class_group.class_teachers.set(teachers)


def _check_enrolment_free(student: User, start: dt.date, end: dt.date | None, exclude_pk: int | None) -> None:
    clash_q = Enrolment.objects.filter(student=student).filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        clash_q = clash_q.filter(start__lte=end)
    if exclude_pk:
        clash_q = clash_q.exclude(pk=exclude_pk)
    clash = clash_q.select_related("class_group").first()
    if clash:
        raise ValidationFailed(
            f"{student.full_name} уже зачислен(а) в {clash.class_group.name} ({_span(clash.start, clash.end)}): "
            f"ученик не может быть в двух классах одновременно."
        )


@transaction.atomic
def enrol(
    *, actor: User, student: User, class_group: ClassGroup, start: dt.date, end: dt.date | None = None
) -> Enrolment:
    """Put a student into a class from a date; a student is in one class at a time."""
    roles.require(roles.manages_people(actor))
    _require_same_school(actor, student, class_group)
    if not student.has_role(Role.STUDENT):
        raise ValidationFailed(f"{student.full_name} не ученик.")
    year = class_group.year
    if not year.contains(start) or (end is not None and not (start <= end <= year.end)):
        raise ValidationFailed(f"Зачисление в {class_group.name} {_span(start, end)} вне учебного года {year.name}.")
    _check_enrolment_free(student, start, end, None)
    return Enrolment.objects.create(
        school_id=class_group.school_id, student=student, class_group=class_group, start=start, end=end
    )


def current_enrolment(student: User, on: dt.date) -> Enrolment | None:
    return (
        Enrolment.objects.filter(student=student, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("class_group")
        .first()
    )


@transaction.atomic
def withdraw(*, actor: User, student: User, last_day: dt.date, reason: str) -> Enrolment:
    """The student leaves the school (or the class) after `last_day`; their records stay."""
    roles.require(roles.manages_people(actor))
    _require_same_school(actor, student)
    enrolment = current_enrolment(student, last_day)
    if enrolment is None:
        raise ValidationFailed(f"{student.full_name} на {ru_date(last_day)} ни в одном классе не числится.")
    later = Enrolment.objects.filter(student=student, start__gt=last_day).first()
    if later:
        raise ValidationFailed(f"У {student.full_name} есть зачисление позже {ru_date(last_day)}.")
    enrolment.end = last_day
    enrolment.reason_out = reason
    enrolment.save(update_fields=["end", "reason_out"])
    return enrolment


@transaction.atomic
def transfer(*, actor: User, student: User, to_class: ClassGroup, first_day: dt.date) -> Enrolment:
    """Mid-year move to another class: the old enrolment ends the day before `first_day`."""
    roles.require(roles.manages_people(actor))
    _require_same_school(actor, student, to_class)
    current = current_enrolment(student, first_day)
    if current is None:
        raise ValidationFailed(f"{student.full_name} на {ru_date(first_day)} ни в одном классе не числится.")
    if current.class_group_id == to_class.pk:
        raise ValidationFailed(f"{student.full_name} уже в {to_class.name}.")
    if current.start >= first_day:
        raise ValidationFailed(
            f"Перевод с {ru_date(first_day)}: зачисление в {current.class_group.name} начинается "
            f"{ru_date(current.start)}, перевести можно только позже."
        )
    withdraw(
        actor=actor,
        student=student,
        last_day=first_day - dt.timedelta(days=1),
        reason=f"переведён(а) в {to_class.name}",
    )
    SubgroupMember.objects.filter(student=student, subgroup__class_group=current.class_group).delete()
    return enrol(actor=actor, student=student, class_group=to_class, start=first_day)


@transaction.atomic
def create_subgroup(
    *, actor: User, class_group: ClassGroup, subject: object, name: str, students: Iterable[User] = ()
) -> Subgroup:
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, class_group, subject)
    name = name.strip()
    if not name:
        raise ValidationFailed("Укажите название подгруппы.")
    if Subgroup.objects.filter(class_group=class_group, subject=subject, name=name).exists():
        raise ValidationFailed(f"Подгруппа «{name}» в {class_group.name} по этому предмету уже есть.")
    subgroup = Subgroup.objects.create(
        school_id=class_group.school_id, class_group=class_group, subject=subject, name=name
    )
    set_subgroup_members(actor=actor, subgroup=subgroup, students=students)
    return subgroup


@transaction.atomic
def set_subgroup_members(*, actor: User, subgroup: Subgroup, students: Iterable[User]) -> None:
    """A student is in at most one subgroup of a class per subject, and only if enrolled in the class."""
    roles.require(roles.manages_structure(actor))
    students = list(students)
    _require_same_school(actor, subgroup, *students)
    enrolled = set(
        Enrolment.objects.filter(class_group_id=subgroup.class_group_id).values_list("student_id", flat=True)
    )
    taken = dict(
        SubgroupMember.objects.filter(
            subgroup__class_group_id=subgroup.class_group_id, subgroup__subject_id=subgroup.subject_id
        )
        .exclude(subgroup=subgroup)
        .values_list("student_id", "subgroup__name")
    )
    for student in students:
        if student.pk not in enrolled:
            raise ValidationFailed(f"{student.full_name} не учится в классе {subgroup.class_group.name}.")
        if student.pk in taken:
            raise ValidationFailed(f"{student.full_name} уже в подгруппе «{taken[student.pk]}» по этому предмету.")
    SubgroupMember.objects.filter(subgroup=subgroup).exclude(student__in=students).delete()
    have = set(SubgroupMember.objects.filter(subgroup=subgroup).values_list("student_id", flat=True))
    SubgroupMember.objects.bulk_create(
        SubgroupMember(school_id=subgroup.school_id, subgroup=subgroup, student=s) for s in students if s.pk not in have
    )
