"""Who may read which quality report (отчёты об успеваемости и качестве знаний).

- The administrator, director and deputy read every report of their school and its archive of stored
  reports; the director and the deputy receive the automated reports.
- A teacher reads the report of their own journals (class × subject) and, as a class teacher, the
  period report of the class they lead with every subject of it and its students. Another teacher's
  class or journal is a 404.
- A person of the municipality (RegionViewer, a user without a school) reads the summary across the
  authority's schools: aggregated figures only, never a name; every school page is a 404 for them.
- Students and parents read their marks in the diary; reports do not exist for them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.core.errors import NotFound
from ejournal.curriculum.models import TeachingAssignment
from ejournal.reports.models import Municipality, RegionViewer, StoredReport
from ejournal.schools.models import ClassGroup, School

from .roles import in_school, is_teacher, reads_whole_school


def reads_school_reports(user: User) -> bool:
    """The school summary by class, parallel, subject and teacher: management only."""
    return reads_whole_school(user)


def report_teachers(user: User) -> QuerySet[User]:
    """Teachers whose report the user may open: every teacher for management, oneself for a teacher."""
    if not in_school(user):
        return User.objects.none()
    teachers = User.objects.filter(school_id=user.school_id, role_grants__role=Role.TEACHER)
    if reads_whole_school(user):
        return teachers
    if is_teacher(user):
        return teachers.filter(pk=user.pk)
    return teachers.none()


def report_classes(user: User) -> QuerySet[ClassGroup]:
    """Classes whose period report (and the students in it) the user may read: the school's for
    management, the classes they lead for a class teacher."""
    if not in_school(user):
        return ClassGroup.objects.none()
    classes = ClassGroup.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return classes
    if is_teacher(user):
        return classes.filter(class_teachers=user)
    return classes.none()


def report_journals(user: User) -> QuerySet[TeachingAssignment]:
    """Journals (class or subgroup × subject) whose report the user may read: the school's for management;
    a teacher's own and those of the classes they lead."""
    if not in_school(user):
        return TeachingAssignment.objects.none()
    journals = TeachingAssignment.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return journals
    if is_teacher(user):
        ids = journals.filter(Q(teacher=user) | Q(class_group__class_teachers=user)).values("pk")
        return journals.filter(pk__in=ids)
    return journals.none()


def sees_teacher_reports(user: User) -> bool:
    return reads_whole_school(user) or is_teacher(user)


def leads_any_class(user: User) -> bool:
    return reads_whole_school(user) or (is_teacher(user) and report_classes(user).exists())


def region_of(user: User) -> Municipality | None:
    """The municipality whose summary the user reads; None for everyone else (people of schools too)."""
    if not (user.is_authenticated and user.is_active) or user.school_id is not None:
        return None
    viewer = RegionViewer.objects.filter(user_id=user.pk).select_related("municipality").first()
    return viewer.municipality if viewer else None


def reads_region(user: User) -> bool:
    return region_of(user) is not None


def require_region(user: User) -> Municipality:
    municipality = region_of(user)
    if municipality is None:
        raise NotFound()
    return municipality


def region_schools(municipality: Municipality) -> QuerySet[School]:
    return municipality.schools.filter(is_active=True)


def visible_stored_reports(user: User) -> QuerySet[StoredReport]:
    """The archive of automated reports: management of the school."""
    if not reads_whole_school(user):
        return StoredReport.objects.none()
    return StoredReport.objects.filter(school_id=user.school_id)


def report_recipients(school_id: int) -> QuerySet[User]:
    """Who receives the automated reports of a school: its active directors and deputies."""
    return (
        User.objects.filter(school_id=school_id, is_active=True, role_grants__role__in=[Role.DIRECTOR, Role.DEPUTY])
        .distinct()
        .order_by("pk")
    )
