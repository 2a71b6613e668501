"""Writes of school structure. Each checks the rules of DOMAIN.md and saves nothing when one is broken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet

from ejournal.access import roles
from ejournal.accounts import services as people
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
PERIOD_KIND_PLURAL = {
    PeriodKind.QUARTER: "четверти",
    PeriodKind.HALF_YEAR: "полугодия",
    PeriodKind.TRIMESTER: "триместры",
}


def _span(start: dt.date, end: dt.date | None) -> str:
    return f"{ru_date(start)}–{ru_date(end)}" if end else f"с {ru_date(start)}"


def _require_same_school(actor: User, *objects: object) -> None:
    for obj in objects:
        if getattr(obj, "school_id", actor.school_id) != actor.school_id:
            roles.require(False)


def _check_grades(grade_from: int, grade_to: int) -> None:
    if not (1 <= grade_from <= grade_to <= 11):
        raise ValidationFailed(f"Параллели указаны неверно: с {grade_from} по {grade_to}. Допустимо с 1 по 11.")


def _text(value: str, *, what: str, max_length: int) -> str:
    """A required short text: the database column has a limit that PostgreSQL enforces with a 500."""
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"Укажите {what}.")
    if len(value) > max_length:
        raise ValidationFailed(f"{what.capitalize()} «{value}» длиннее {max_length} знаков.")
    return value


def _check_year_span(school_id: int, name: str, start: dt.date, end: dt.date, exclude_pk: int | None) -> None:
    if start >= end:
        raise ValidationFailed(f"Учебный год «{name}»: начало {ru_date(start)} не раньше окончания {ru_date(end)}.")
    others = AcademicYear.objects.filter(school_id=school_id).exclude(pk=exclude_pk)
    clash = others.filter(start__lte=end, end__gte=start).first()
    if clash:
        raise ValidationFailed(
            f"Учебный год «{name}» ({_span(start, end)}) пересекается с годом «{clash.name}» "
            f"({_span(clash.start, clash.end)})."
        )
    if others.filter(name=name).exists():
        raise ValidationFailed(f"Учебный год «{name}» уже есть.")


@transaction.atomic
def create_year(*, actor: User, school: School, name: str, start: dt.date, end: dt.date) -> AcademicYear:
    """A new academic year; years of a school never overlap."""
    roles.require(roles.manages_structure(actor) and actor.school_id == school.pk)
    name = _text(name, what="название учебного года", max_length=20)
    _check_year_span(school.pk, name, start, end, exclude_pk=None)
    return AcademicYear.objects.create(school=school, name=name, start=start, end=end)


@transaction.atomic
def update_year(*, actor: User, year: AcademicYear, name: str, start: dt.date, end: dt.date) -> AcademicYear:
    """Rename a year or move its dates; everything already in it (periods, holidays, enrolments, lessons)
    must stay inside the new dates, or nothing changes."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year)
    name = _text(name, what="название учебного года", max_length=20)
    _check_year_span(year.school_id, name, start, end, exclude_pk=year.pk)
    where = f"Учебный год «{name}» ({_span(start, end)})"
    outside = Q(start__lt=start) | Q(end__gt=end)
    period = (
        Period.objects.filter(outside, scheme__year=year)
        .select_related("scheme")
        .order_by("scheme__grade_from", "number")
        .first()
    )
    if period:
        raise ValidationFailed(
            f"{where}: {period.name} {period.scheme.grade_from}–{period.scheme.grade_to} кл. "
            f"({_span(period.start, period.end)}) окажется вне года. Сначала измените даты периода."
        )
    holiday = Holiday.objects.filter(outside, year=year).first()
    if holiday:
        raise ValidationFailed(
            f"{where}: «{holiday.name}» ({_span(holiday.start, holiday.end)}) окажется вне года. "
            f"Сначала измените или удалите их."
        )
    enrolment = (
        Enrolment.objects.filter(Q(start__lt=start) | Q(end__gt=end), class_group__year=year)
        .select_related("student", "class_group")
        .first()
    )
    if enrolment:
        raise ValidationFailed(
            f"{where}: зачисление {enrolment.student.full_name} в {enrolment.class_group.name} "
            f"({_span(enrolment.start, enrolment.end)}) окажется вне года."
        )
    from ejournal.curriculum.models import Lesson  # curriculum depends on schools, not the other way round

    lesson = (
        Lesson.objects.filter(class_group__year=year)
        .exclude(date__range=(start, end))
        .select_related("class_group")
        .first()
    )
    if lesson:
        raise ValidationFailed(f"{where}: урок {ru_date(lesson.date)} в {lesson.class_group.name} окажется вне года.")
    year.name, year.start, year.end = name, start, end
    year.save(update_fields=["name", "start", "end"])
    return year


def _check_periods(year: AcademicYear, kind: str, band: str, spans: Sequence[tuple[dt.date, dt.date]]) -> None:
    label = PeriodKind(kind).label
    expected = PERIOD_COUNTS[PeriodKind(kind)]
    if len(spans) != expected:
        raise ValidationFailed(
            f"Схема периодов {band}: {PERIOD_KIND_PLURAL[PeriodKind(kind)]} — это {expected} периода, "
            f"указано {len(spans)}."
        )
    for number, (start, end) in enumerate(spans, start=1):
        where = f"{band}: {number} {label} ({_span(start, end)})"
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
    band = f"{grade_from}–{grade_to} кл."
    _check_periods(year, kind, band, spans)
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
        _require_periods_changeable(scheme, spans, band)
        scheme.kind = kind
        scheme.save(update_fields=["kind"])
        _delete_periods(scheme.periods.filter(number__gt=len(spans)), band)
    for number, (start, end) in enumerate(spans, start=1):
        Period.objects.update_or_create(
            scheme=scheme, number=number, defaults={"school_id": year.school_id, "start": start, "end": end}
        )
    return scheme


def _require_periods_changeable(scheme: PeriodScheme, spans: Sequence[tuple[dt.date, dt.date]], band: str) -> None:
    """A closed period keeps its dates: moving them would lock or unlock lessons behind the deputy's back."""
    for period in scheme.periods.filter(closures__isnull=False).distinct():
        if period.number > len(spans) or (period.start, period.end) != tuple(spans[period.number - 1]):
            raise ValidationFailed(
                f"{band}: {period.name} ({_span(period.start, period.end)}) закрыт, его даты менять нельзя. "
                f"Сначала откройте период."
            )


def _delete_periods(periods: QuerySet[Period], band: str) -> None:
    try:
        periods.delete()
    except ProtectedError as e:
        # What protects a period is a period mark or a closure of the journal: both point at it.
        period = next(iter(e.protected_objects)).period  # type: ignore[attr-defined]
        raise ValidationFailed(
            f"{band}: по периоду {period.name} ({_span(period.start, period.end)}) уже выставлены отметки "
            f"за период или он закрыт; удалить его нельзя."
        ) from e


@transaction.atomic
def delete_period_scheme(*, actor: User, scheme: PeriodScheme) -> None:
    """Remove a band's periods, unless period marks or closures already rest on them."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, scheme)
    band = f"{scheme.grade_from}–{scheme.grade_to} кл."
    _delete_periods(scheme.periods.all(), band)
    scheme.delete()


def periods_for_grade(year: AcademicYear, grade: int) -> list[Period]:
    """The periods that apply to a parallel in a year, in order."""
    return list(
        Period.objects.filter(scheme__year=year, scheme__grade_from__lte=grade, scheme__grade_to__gte=grade)
        .select_related("scheme")
        .order_by("start")
    )


def _check_holiday(
    year: AcademicYear,
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str,
    grade_from: int,
    grade_to: int,
    exclude_pk: int | None = None,
) -> str:
    """Raise on a broken rule; return how the holiday is named in messages."""
    _check_grades(grade_from, grade_to)
    if kind not in HolidayKind.values:
        raise ValidationFailed(f"Неизвестный вид дней: {kind}.")
    where = f"«{name}» ({_span(start, end)})"
    if start > end:
        raise ValidationFailed(f"{where}: начало позже окончания.")
    if start < year.start or end > year.end:
        raise ValidationFailed(f"{where} выходит за границы учебного года {year.name} ({_span(year.start, year.end)}).")
    min_days = School.objects.values_list("min_vacation_days", flat=True).get(pk=year.school_id)
    if kind == HolidayKind.VACATION and (end - start).days + 1 < min_days:
        raise ValidationFailed(f"Каникулы {where} короче {min_days} дней.")
    # A public holiday may fall inside a vacation; two vacations (or two holidays) on one day for the
    # same grades would be a typo that makes the calendar say two things at once.
    clash = (
        Holiday.objects.filter(
            year=year, kind=kind, start__lte=end, end__gte=start, grade_from__lte=grade_to, grade_to__gte=grade_from
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash:
        raise ValidationFailed(
            f"{where} пересекается с «{clash.name}» ({_span(clash.start, clash.end)}, "
            f"{clash.grade_from}–{clash.grade_to} кл.)."
        )
    return where


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
    name = _text(name, what="название каникул или праздника", max_length=100)
    where = _check_holiday(year, name=name, start=start, end=end, kind=kind, grade_from=grade_from, grade_to=grade_to)
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


@transaction.atomic
def update_holiday(
    *,
    actor: User,
    holiday: Holiday,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str,
    grade_from: int,
    grade_to: int,
) -> Holiday:
    """Change a holiday by the same rules as adding one. Days it no longer covers get their lessons back
    only when the timetable's lessons are generated again."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, holiday)
    name = _text(name, what="название каникул или праздника", max_length=100)
    year = holiday.year
    where = _check_holiday(
        year,
        name=name,
        start=start,
        end=end,
        kind=kind,
        grade_from=grade_from,
        grade_to=grade_to,
        exclude_pk=holiday.pk,
    )
    _remove_empty_lessons(year=year, start=start, end=end, grade_from=grade_from, grade_to=grade_to, where=where)
    holiday.name, holiday.kind, holiday.start, holiday.end = name, kind, start, end
    holiday.grade_from, holiday.grade_to = grade_from, grade_to
    holiday.save(update_fields=["name", "kind", "start", "end", "grade_from", "grade_to"])
    return holiday


@transaction.atomic
def delete_holiday(*, actor: User, holiday: Holiday) -> None:
    """The days become school days again; their lessons appear when the timetable's lessons are generated."""
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, holiday)
    holiday.delete()


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
    try:
        lessons.delete()
    except ProtectedError as e:
        # An emptied lesson can still carry the history of what was once written in it.
        raise ValidationFailed(
            f"{where}: на эти дни есть уроки с историей изменений в журнале. Перенесите их сначала."
        ) from e


@transaction.atomic
def create_class(
    *, actor: User, year: AcademicYear, grade: int, letter: str, class_teachers: Iterable[User] = ()
) -> ClassGroup:
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, year)
    if not 1 <= grade <= 11:
        raise ValidationFailed(f"Параллель {grade} вне 1–11.")
    letter = _text(letter, what="литеру класса", max_length=4).upper()
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
    _require_same_school(actor, class_group)
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
    reason = _text(reason, what="причину выбытия", max_length=200)
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
    # Subgroup membership stays: the old enrolment's dates already bound it, and the old subgroup's journal
    # must keep the student for the days they were there.
    return enrol(actor=actor, student=student, class_group=to_class, start=first_day)


@transaction.atomic
def create_subgroup(
    *, actor: User, class_group: ClassGroup, subject: object, name: str, students: Iterable[User] = ()
) -> Subgroup:
    roles.require(roles.manages_structure(actor))
    _require_same_school(actor, class_group, subject)
    name = _text(name, what="название подгруппы", max_length=50)
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
