"""Who may print the class book (the journal as a numbered paper book, issue 16).

- The administrator, director and deputy print the book of every class of their school.
- A class teacher prints the book of the class they lead (every subject of it).
- A subject's teacher prints their own subject's journal of a class (the book with `subject`).
- The stored books and the background jobs that make them (every class of a period): management.
- Everyone else, and every class of another school, is a 404.
- No person at all (`None`): the operator's console (`ejournal book`) and the worker's stored books act for the
  installation, like `ejournal archive`; a page or the API always passes the signed-in user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.accounts.models import User
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.schools.models import ClassGroup

from . import tenancy
from .people import issues_credentials
from .roles import is_teacher, reads_whole_school
from .tenancy import same_school


def printable_classes(user: User) -> QuerySet[ClassGroup]:
    """Classes whose whole book the user may print: the school's for management, the led ones for a class teacher."""
    if reads_whole_school(user):
        return ClassGroup.objects.filter(school_id=user.school_id)
    if is_teacher(user):
        return ClassGroup.objects.filter(school_id=user.school_id, class_teachers=user)
    return ClassGroup.objects.none()


def opens_printing(user: User) -> bool:
    """The «Печать журнала» page and its menu item: management and class teachers.

    Asked by the menu of every page: for a teacher outside management, «leads a class» is the very answer the
    credentials menu item keeps on the request's user (people.issues_credentials), so it costs no new query."""
    return reads_whole_school(user) or (is_teacher(user) and issues_credentials(user))


def may_print_class(user: User | None, class_group: ClassGroup) -> bool:
    if user is None:
        return True
    if not same_school(user, class_group):
        return False
    if reads_whole_school(user):
        return True
    return printable_classes(user).filter(pk=class_group.pk).exists()


def may_print_subject(user: User | None, class_group: ClassGroup, subject: Subject) -> bool:
    """One subject's journal: whoever prints the class, and the teacher of that subject in the class."""
    if user is None:
        return tenancy.one_school(class_group, subject)
    if not same_school(user, class_group, subject):
        return False
    if may_print_class(user, class_group):
        return True
    return is_teacher(user) and (
        TeachingAssignment.objects.filter(
            school_id=class_group.school_id, class_group_id=class_group.pk, subject_id=subject.pk, teacher=user
        ).exists()
    )


def printed_subgroups(user: User | None, class_group: ClassGroup, subject: Subject) -> set[int] | None:
    """The subgroups of a subject whose journals the user prints: None for all of them (whoever prints the
    class, the teacher of the whole class), else the subgroups the teacher teaches — the other subgroups'
    journals are their teachers' to print."""
    if user is None or may_print_class(user, class_group):
        return None
    taught = set(
        TeachingAssignment.objects.filter(
            school_id=class_group.school_id, class_group_id=class_group.pk, subject_id=subject.pk, teacher=user
        ).values_list("subgroup_id", flat=True)
    )
    return None if None in taught else {pk for pk in taught if pk is not None}


def reads_stored_books(user: User) -> bool:
    """The books the worker made at period ends: management (administrator, director, deputy)."""
    return reads_whole_school(user)


def makes_stored_books(user: User, period: object, class_group: ClassGroup | None = None) -> bool:
    """Asking the worker for the books of a period (all classes of the band, or one): management, own school."""
    return reads_stored_books(user) and same_school(user, period, class_group)


def may_print_journal(user: User, assignment: TeachingAssignment) -> bool:
    """One journal (the subject of a class) from the journals list: the subject's teacher, the class teacher,
    management — whoever may print that subject of the class."""
    return may_print_subject(user, assignment.class_group, assignment.subject)
