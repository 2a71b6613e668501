"""Scopes of curriculum and timetable: subjects, assignments, lessons."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.curriculum.models import Bell, Lesson, Subject, TeachingAssignment, TimetableSlot

from .diary import diary_lessons
from .roles import in_school, manages_structure, reads_whole_school
from .tenancy import same_school


def visible_subjects(user: User) -> QuerySet[Subject]:
    if not in_school(user):
        return Subject.objects.none()
    return Subject.objects.filter(school_id=user.school_id)


def visible_assignments(user: User) -> QuerySet[TeachingAssignment]:
    """Management: the school's; a teacher: their own and those of the classes they lead."""
    if not in_school(user):
        return TeachingAssignment.objects.none()
    qs = TeachingAssignment.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    if user.has_role(Role.TEACHER):
        return qs.filter(Q(teacher=user) | Q(class_group__class_teachers=user)).distinct()
    return qs.none()


def own_assignments(user: User) -> QuerySet[TeachingAssignment]:
    """What the user teaches themselves (the teacher's "my classes")."""
    if not in_school(user):
        return TeachingAssignment.objects.none()
    return TeachingAssignment.objects.filter(school_id=user.school_id, teacher=user)


def visible_lessons(user: User) -> QuerySet[Lesson]:
    """Lessons the user may read: whole school for management; own teaching, substitutions and own
    classes for teachers; for students and parents exactly the lessons of their diaries (diary_lessons:
    the class on the days of enrolment, own subgroups only)."""
    if not in_school(user):
        return Lesson.objects.none()
    qs = Lesson.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    cond = Q(pk__in=[])
    if user.has_role(Role.TEACHER):
        cond |= Q(teacher=user) | Q(substitute=user) | Q(class_group__class_teachers=user)
    if user.has_role(Role.STUDENT, Role.PARENT):
        cond |= Q(pk__in=diary_lessons(user).values("pk"))
    return qs.filter(cond).distinct()


def can_edit_plan(user: User, assignment: TeachingAssignment) -> bool:
    """The КТП is kept by the assignment's teacher; the administrator and deputy may load it for them."""
    if not same_school(user, assignment):
        return False
    return assignment.teacher_id == user.pk or manages_structure(user)


# --- pages and API of curriculum and timetable ------------------------------------------------------


def visible_plans(user: User) -> QuerySet[TeachingAssignment]:
    """Assignments whose КТП the user may open: their own as a teacher; the school's for management."""
    if not in_school(user):
        return TeachingAssignment.objects.none()
    qs = TeachingAssignment.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    if user.has_role(Role.TEACHER):
        return qs.filter(teacher=user)
    return qs.none()


def visible_slots(user: User) -> QuerySet[TimetableSlot]:
    """The weekly grid: the school's for management; for a teacher the slots of what they teach and of the
    classes they lead."""
    if not in_school(user):
        return TimetableSlot.objects.none()
    qs = TimetableSlot.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    if user.has_role(Role.TEACHER):
        return qs.filter(assignment__in=visible_assignments(user).values("pk"))
    return qs.none()


def visible_bells(user: User) -> QuerySet[Bell]:
    """The bell schedule is no secret to anyone of the school."""
    if not in_school(user):
        return Bell.objects.none()
    return Bell.objects.filter(school_id=user.school_id)


def visible_week_teachers(user: User) -> QuerySet[User]:
    """Teachers whose week of lessons the user may open: every teacher for management, oneself for a teacher."""
    if not in_school(user):
        return User.objects.none()
    teachers = User.objects.filter(school_id=user.school_id, role_grants__role=Role.TEACHER)
    if reads_whole_school(user):
        return teachers
    if user.has_role(Role.TEACHER):
        return teachers.filter(pk=user.pk)
    return teachers.none()


def assignable_teachers(user: User) -> QuerySet[User]:
    """Teachers the user may give an assignment or a substitution to: the school's active teachers, for
    those who manage the timetable."""
    if not manages_structure(user):
        return User.objects.none()
    return User.objects.filter(school_id=user.school_id, is_active=True, role_grants__role=Role.TEACHER)
