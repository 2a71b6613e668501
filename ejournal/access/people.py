"""Who may see and change people, and who issues their credentials.

- The responsible administrator manages the school's people: creates, edits, deactivates, gives and takes
  roles, links parents and children, makes class teachers, issues credentials for any class.
- The director reads the people pages (no forms).
- Birth dates and СНИЛС are shown to the administrator and the director only; a teacher never sees them on
  these pages (152-ФЗ: minimum data).
- A class teacher issues and resets the credentials of the students of their own class and of those
  students' parents; any other class is "not found" (404) to them.
- Credentials and Госуслуги link codes hand over an account, so a class teacher issues them only for people
  who are nothing but students or parents: a parent who also teaches, directs or administers (or holds
  Django's staff flags) is the administrator's, else a class teacher could take over a colleague's account
  by resetting "a parent's" password (issue 13). Nobody issues their own through these shortcuts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from ejournal.accounts.models import MANAGEMENT_ROLES, Guardianship, Role, RoleGrant, User
from ejournal.core.time import school_today
from ejournal.schools.models import ClassGroup, Enrolment

from .roles import in_school, manages_people, require
from .tenancy import same_school

# Roles that read the whole school (the administrator and the director also birth dates and СНИЛС): a student
# never holds one, else a pupil given «администратор» by a slip of the mouse reads every classmate's data.
NOT_FOR_STUDENTS = MANAGEMENT_ROLES
# Roles whose grant the granter confirms with their own password: they hand over the school's people.
CONFIRMED_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})


def roles_compatible(roles: Iterable[str]) -> bool:
    """A set of roles one person may hold together."""
    held = set(roles)
    return not (Role.STUDENT in held and held & NOT_FOR_STUDENTS)


def grant_needs_password(role: str) -> bool:
    return role in CONFIRMED_ROLES


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


FAMILY_ROLES = frozenset({Role.STUDENT, Role.PARENT})


def family_only(person: User) -> bool:
    """Nothing but a student or a parent: no staff role and no Django staff flags."""
    return not (person.is_staff or person.is_superuser) and person.roles <= FAMILY_ROLES


def prime_roles(people: list[User]) -> None:
    """Read the roles of many people in one query (each `user.roles` would cost one)."""
    held: dict[int, set[str]] = {p.pk: set() for p in people}
    # A role counts in the person's own school (User.roles), and the school names the shard: one query per
    # school of the list (a list of people is of one school).
    by_school: dict[int, list[int]] = {}
    for person in people:
        if person.school_id is not None:
            by_school.setdefault(person.school_id, []).append(person.pk)
    for school_id, ids in by_school.items():
        grants = RoleGrant.objects.filter(school_id=school_id, user_id__in=ids).values_list("user_id", "role")
        for user_id, role in grants:
            held[user_id].add(role)
    for person in people:
        person.__dict__["roles"] = frozenset(held[person.pk]) if person.school_id is not None else frozenset()


def may_issue_credentials(actor: User, person: User, *, listed_in: ClassGroup | None = None) -> bool:
    """Whether `actor` may give `person` a one-time password or a Госуслуги link code.

    The administrator: anyone of the school but themselves (their own password is changed on the password
    page). A class teacher: a student of their class (not left) or a parent of one, if that person holds no
    other role than student or parent. `listed_in` is a class of the actor's whose list (credential_people)
    the caller already found the person on; it saves the query per person on a class's page."""
    if not same_school(actor, person) or actor.pk == person.pk:
        return False
    if manages_people(actor):
        return True
    if not (actor.has_role(Role.TEACHER) and family_only(person)):
        return False
    if listed_in is not None:
        return True
    today = school_today(actor.school)
    return any(credential_people(cg, today).filter(pk=person.pk).exists() for cg in credential_classes(actor))


def may_issue_link_code(actor: User, person: User) -> bool:
    """A Госуслуги link code signs the person in as surely as a password: the same rule."""
    return may_issue_credentials(actor, person)
