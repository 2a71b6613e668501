"""Writes of classes, enrolment and subgroups: who learns where, from which day to which."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from ejournal.access import roles, tenancy
from ejournal.accounts import services as people
from ejournal.accounts.models import Role, User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date

from .models import AcademicYear, ClassGroup, Enrolment, Subgroup, SubgroupMember
from .rules import required_text, span


@transaction.atomic
def create_class(
    *, actor: User, year: AcademicYear, grade: int, letter: str, class_teachers: Iterable[User] = ()
) -> ClassGroup:
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, year)
    if not 1 <= grade <= 11:
        raise ValidationFailed(f"Параллель {grade} вне 1–11.")
    letter = required_text(letter, what="литеру класса", max_length=4).upper()
    if ClassGroup.objects.filter(school_id=year.school_id, year=year, grade=grade, letter=letter).exists():
        raise ValidationFailed(f"Класс {grade}{letter} в {year.name} уже есть.")
    group = ClassGroup.objects.create(school_id=year.school_id, year=year, grade=grade, letter=letter)
    set_class_teachers(actor=actor, class_group=group, teachers=class_teachers)
    return group


@transaction.atomic
def set_class_teachers(*, actor: User, class_group: ClassGroup, teachers: Iterable[User]) -> None:
    roles.require(roles.manages_structure(actor))
    teachers = list(teachers)
    tenancy.in_school_of(actor, class_group, *teachers)
    for teacher in teachers:
        if not teacher.has_role(Role.TEACHER):
            raise ValidationFailed(f"{teacher.full_name} не учитель: классным руководителем быть не может.")
    class_group.class_teachers.set(teachers)


def _check_enrolment_free(student: User, start: dt.date, end: dt.date | None, exclude_pk: int | None) -> None:
    clash_q = Enrolment.objects.filter(school_id=student.school_id, student=student).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if end is not None:
        clash_q = clash_q.filter(start__lte=end)
    if exclude_pk:
        clash_q = clash_q.exclude(pk=exclude_pk)
    clash = clash_q.select_related("class_group").first()
    if clash:
        raise ValidationFailed(
            f"{student.full_name} уже зачислен(а) в {clash.class_group.name} ({span(clash.start, clash.end)}): "
            f"ученик не может быть в двух классах одновременно."
        )


@transaction.atomic
def enrol(
    *, actor: User, student: User, class_group: ClassGroup, start: dt.date, end: dt.date | None = None
) -> Enrolment:
    """Put a student into a class from a date; a student is in one class at a time."""
    roles.require(roles.manages_people(actor))
    tenancy.in_school_of(actor, student, class_group)
    if not student.has_role(Role.STUDENT):
        raise ValidationFailed(f"{student.full_name} не ученик.")
    year = class_group.year
    if not year.contains(start) or (end is not None and not (start <= end <= year.end)):
        raise ValidationFailed(f"Зачисление в {class_group.name} {span(start, end)} вне учебного года {year.name}.")
    _check_enrolment_free(student, start, end, None)
    return Enrolment.objects.create(
        school_id=class_group.school_id, student=student, class_group=class_group, start=start, end=end
    )


@transaction.atomic
def create_student(
    *,
    actor: User,
    class_group: ClassGroup,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    start: dt.date,
) -> Enrolment:
    """A new student of the school enrolled in a class from `start`, in one step. The student gets no
    login yet: credentials are issued separately."""
    roles.require(roles.manages_people(actor))
    tenancy.in_school_of(actor, class_group)
    full_name = " ".join(p.strip() for p in (last_name, first_name, middle_name) if p.strip())
    if birth_date is not None and birth_date >= start:
        raise ValidationFailed(
            f"{full_name}: дата рождения {ru_date(birth_date)} не раньше даты зачисления {ru_date(start)}."
        )
    # The same child entered twice (a double click, two secretaries) is caught here rather than later.
    if birth_date is not None:
        twin = User.objects.filter(
            school_id=class_group.school_id,
            role_grants__role=Role.STUDENT,
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            middle_name=middle_name.strip(),
            birth_date=birth_date,
        )
        if twin.exists():
            raise ValidationFailed(
                f"Ученик {full_name}, {ru_date(birth_date)} г. р., в школе уже есть: зачислите его из списка учеников."
            )
    student = people.create_person(
        actor=actor,
        school=class_group.school,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        birth_date=birth_date,
        roles=[Role.STUDENT],
    )
    return enrol(actor=actor, student=student, class_group=class_group, start=start)


def current_enrolment(student: User, on: dt.date) -> Enrolment | None:
    return (
        Enrolment.objects.filter(school_id=student.school_id, student=student, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("class_group")
        .first()
    )


@transaction.atomic
def withdraw(*, actor: User, student: User, last_day: dt.date, reason: str) -> Enrolment:
    """The student leaves the school (or the class) after `last_day`; their records stay."""
    roles.require(roles.manages_people(actor))
    tenancy.in_school_of(actor, student)
    reason = required_text(reason, what="причину выбытия", max_length=200)
    enrolment = current_enrolment(student, last_day)
    if enrolment is None:
        raise ValidationFailed(f"{student.full_name} на {ru_date(last_day)} ни в одном классе не числится.")
    later = Enrolment.objects.filter(school_id=student.school_id, student=student, start__gt=last_day).first()
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
    tenancy.in_school_of(actor, student, to_class)
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
    # Subgroup membership stays: the old enrolment's dates already bound it, and the old subgroup's journal
    # must keep the student for the days they were there.
    return enrol(actor=actor, student=student, class_group=to_class, start=first_day)


@transaction.atomic
def create_subgroup(
    *, actor: User, class_group: ClassGroup, subject: object, name: str, students: Iterable[User] = ()
) -> Subgroup:
    roles.require(roles.manages_structure(actor))
    tenancy.in_school_of(actor, class_group, subject)
    name = required_text(name, what="название подгруппы", max_length=50)
    if Subgroup.objects.filter(
        school_id=class_group.school_id, class_group=class_group, subject=subject, name=name
    ).exists():
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
    tenancy.in_school_of(actor, subgroup, *students)
    school_id = subgroup.school_id
    enrolled = set(
        Enrolment.objects.filter(school_id=school_id, class_group_id=subgroup.class_group_id).values_list(
            "student_id", flat=True
        )
    )
    taken = dict(
        SubgroupMember.objects.filter(
            school_id=school_id,
            subgroup__class_group_id=subgroup.class_group_id,
            subgroup__subject_id=subgroup.subject_id,
        )
        .exclude(subgroup=subgroup)
        .values_list("student_id", "subgroup__name")
    )
    for student in students:
        if student.pk not in enrolled:
            raise ValidationFailed(f"{student.full_name} не учится в классе {subgroup.class_group.name}.")
        if student.pk in taken:
            raise ValidationFailed(f"{student.full_name} уже в подгруппе «{taken[student.pk]}» по этому предмету.")
    SubgroupMember.objects.filter(school_id=school_id, subgroup=subgroup).exclude(student__in=students).delete()
    have = set(
        SubgroupMember.objects.filter(school_id=school_id, subgroup=subgroup).values_list("student_id", flat=True)
    )
    SubgroupMember.objects.bulk_create(
        SubgroupMember(school_id=subgroup.school_id, subgroup=subgroup, student=s) for s in students if s.pk not in have
    )
