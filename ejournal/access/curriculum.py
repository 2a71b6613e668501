"""Scopes of curriculum and timetable: subjects, assignments, lessons."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.curriculum.models import Lesson, Subject, TeachingAssignment

from .roles import in_school, manages_structure, reads_whole_school


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
    classes for teachers; own class for students; children's classes for parents."""
    if not in_school(user):
        return Lesson.objects.none()
    qs = Lesson.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    cond = Q(pk__in=[])
    if user.has_role(Role.TEACHER):
        cond |= Q(teacher=user) | Q(substitute=user) | Q(class_group__class_teachers=user)
    if user.has_role(Role.STUDENT):
        cond |= Q(class_group__enrolments__student=user)
    if user.has_role(Role.PARENT):
        cond |= Q(class_group__enrolments__student__parent_links__parent=user)
    return qs.filter(cond).distinct()


def can_edit_plan(user: User, assignment: TeachingAssignment) -> bool:
    """The КТП is kept by the assignment's teacher; the administrator and deputy may load it for them."""
    if not in_school(user) or assignment.school_id != user.school_id:
        return False
    return assignment.teacher_id == user.pk or manages_structure(user)
