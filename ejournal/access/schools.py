"""Scopes of school structure: years, classes, students."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.schools.models import AcademicYear, ClassGroup, Enrolment, Holiday, PeriodScheme, Subgroup

from .roles import in_school, manages_people, reads_whole_school


def visible_years(user: User) -> QuerySet[AcademicYear]:
    if not in_school(user):
        return AcademicYear.objects.none()
    return AcademicYear.objects.filter(school_id=user.school_id)


def visible_classes(user: User) -> QuerySet[ClassGroup]:
    """Whole school for management; own classes for class teachers and teachers; own class for students
    and parents' children."""
    if not in_school(user):
        return ClassGroup.objects.none()
    qs = ClassGroup.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    cond = Q(pk__in=[])
    if user.has_role(Role.TEACHER):
        cond |= Q(class_teachers=user) | Q(assignments__teacher=user) | Q(lessons__substitute=user)
    if user.has_role(Role.STUDENT):
        cond |= Q(enrolments__student=user)
    if user.has_role(Role.PARENT):
        cond |= Q(enrolments__student__parent_links__parent=user)
    return qs.filter(cond).distinct()


def led_classes(user: User) -> QuerySet[ClassGroup]:
    """Classes where the user is класный руководитель."""
    if not in_school(user):
        return ClassGroup.objects.none()
    return ClassGroup.objects.filter(school_id=user.school_id, class_teachers=user)


def visible_subgroups(user: User) -> QuerySet[Subgroup]:
    if not in_school(user):
        return Subgroup.objects.none()
    return Subgroup.objects.filter(school_id=user.school_id, class_group__in=visible_classes(user))


def visible_students(user: User) -> QuerySet[User]:
    """Students the user may see: the school's for management, their classes' for teachers,
    themselves for a student, their children for a parent."""
    if not in_school(user):
        return User.objects.none()
    students = User.objects.filter(school_id=user.school_id, role_grants__role=Role.STUDENT)
    if reads_whole_school(user):
        return students
    cond = Q(pk__in=[])
    if user.has_role(Role.TEACHER):
        classes = ClassGroup.objects.filter(
            Q(class_teachers=user) | Q(assignments__teacher=user) | Q(lessons__substitute=user),
            school_id=user.school_id,
        )
        cond |= Q(enrolments__class_group__in=classes)
    if user.has_role(Role.STUDENT):
        cond |= Q(pk=user.pk)
    if user.has_role(Role.PARENT):
        cond |= Q(parent_links__parent=user)
    return students.filter(cond).distinct()


def visible_enrolments(user: User) -> QuerySet[Enrolment]:
    if not in_school(user):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(school_id=user.school_id, class_group__in=visible_classes(user))


def children_of(user: User) -> QuerySet[User]:
    if not in_school(user) or not user.has_role(Role.PARENT):
        return User.objects.none()
    return User.objects.filter(school_id=user.school_id, parent_links__parent=user)


def reads_structure(user: User) -> bool:
    """The pages and API of the school structure (calendar, classes, enrolment, subgroups): the
    administrator and deputy change it, the director reads it. Teachers, students and parents see their
    classes through the journal and the diary instead, so for them these pages do not exist (404)."""
    return reads_whole_school(user)


def visible_teachers(user: User) -> QuerySet[User]:
    """Teachers of the user's school, e.g. to choose class teachers from."""
    if not in_school(user):
        return User.objects.none()
    return User.objects.filter(school_id=user.school_id, is_active=True, role_grants__role=Role.TEACHER)


def visible_period_schemes(user: User) -> QuerySet[PeriodScheme]:
    """Period schemes of the years the user sees."""
    if not in_school(user):
        return PeriodScheme.objects.none()
    return PeriodScheme.objects.filter(school_id=user.school_id)


def visible_holidays(user: User) -> QuerySet[Holiday]:
    """Holidays of the years the user sees: the school calendar is no secret inside the school."""
    if not in_school(user):
        return Holiday.objects.none()
    return Holiday.objects.filter(school_id=user.school_id)


def reads_school_settings(user: User) -> bool:
    """«Настройки школы»: management reads them; only the responsible administrator changes them."""
    return reads_whole_school(user)


def changes_school_settings(user: User) -> bool:
    return manages_people(user)
