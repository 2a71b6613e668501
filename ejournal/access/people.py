"""Who may see and change people, and who issues their credentials.

- The responsible administrator manages the school's people: creates, edits, deactivates, gives and takes
  roles, links parents and children, makes class teachers, issues credentials for any class.
- The director reads the people pages (no forms).
- Birth dates and СНИЛС are shown to the administrator and the director only; a teacher never sees them on
  these pages (152-ФЗ: minimum data).
- A class teacher issues and resets the credentials of the students of their own class and of those
  students' parents; any other class is "not found" (404) to them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from ejournal.accounts.models import Guardianship, Role, User
from ejournal.schools.models import ClassGroup, Enrolment

from .roles import in_school, manages_people, require


def reads_people(user: User) -> bool:
    """The people pages and API: the administrator changes, the director reads."""
    return in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def sees_personal_data(user: User) -> bool:
    """Birth dates and СНИЛС of the school's people."""
    return in_school(user) and user.has_role(Role.ADMIN, Role.DIRECTOR)


def visible_people(user: User) -> QuerySet[User]:
    """Every person of the user's school (active or not) for those who read the people pages."""
    if not reads_people(user):
        return User.objects.none()
    return User.objects.filter(school_id=user.school_id)


def require_reads_people(user: User) -> None:
    require(reads_people(user))


def require_manages_people(user: User) -> None:
    require(manages_people(user))


def credential_classes(user: User) -> QuerySet[ClassGroup]:
    """Classes whose students' and parents' credentials the user issues: any class of the school for the
    administrator, their own classes for a class teacher."""
    if not in_school(user):
        return ClassGroup.objects.none()
    qs = ClassGroup.objects.filter(school_id=user.school_id)
    if manages_people(user):
        return qs
    if user.has_role(Role.TEACHER):
        return qs.filter(class_teachers=user)
    return qs.none()


def issues_credentials(user: User) -> bool:
    """The credentials pages (and their menu entry): the administrator, and class teachers of some class.
    Asked by the menu of every page: kept on the request's user object, so it costs one query at most."""
    if manages_people(user):
        return True
    if not (in_school(user) and user.has_role(Role.TEACHER)):
        return False
    if "_leads_a_class" not in user.__dict__:
        user.__dict__["_leads_a_class"] = credential_classes(user).exists()
    return bool(user.__dict__["_leads_a_class"])


def credential_people(class_group: ClassGroup, on: dt.date) -> QuerySet[User]:
    """The people whose credentials are issued on a class's page: the active students of the class who
    have not left it before `on`, and the active parents of those students."""
    students = (
        Enrolment.objects.filter(school_id=class_group.school_id, class_group=class_group)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .values("student_id")
    )
    parents = Guardianship.objects.filter(school_id=class_group.school_id, child_id__in=students).values("parent_id")
    return (
        User.objects.filter(school_id=class_group.school_id, is_active=True)
        .filter(Q(pk__in=students, role_grants__role=Role.STUDENT) | Q(pk__in=parents, role_grants__role=Role.PARENT))
        .distinct()
    )


def may_issue_link_code(actor: User, person: User) -> bool:
    """A Госуслуги link code is issued by whoever issues the person's credentials: the administrator, or the
    class teacher of the person's class (students and their parents)."""
    if not in_school(actor) or actor.school_id != person.school_id:
        return False
    if manages_people(actor):
        return True
    today = timezone.localdate()
    return any(credential_people(cg, today).filter(pk=person.pk).exists() for cg in credential_classes(actor))
