"""The demo users worth showing for each role, read back from the database (the command may run later)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from ejournal.accounts.models import Guardianship, Role, User
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import ClassGroup, Enrolment, School


@dataclass(frozen=True)
class DemoAccount:
    key: str  # admin, director, deputy, teacher, class_teacher, student, parent
    role_label: str
    user: User
    note: str


def _first_with_role(school: School, role: str, *, exclude: tuple[str, ...] = ()) -> User | None:
    qs = User.objects.filter(school=school, role_grants__role=role)
    for other in exclude:
        qs = qs.exclude(role_grants__role=other)
    return qs.order_by("pk").first()


def _current_students(group: ClassGroup, on: dt.date) -> list[User]:
    ids = Enrolment.objects.filter(class_group=group, start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    return list(User.objects.filter(pk__in=ids.values("student_id")).order_by("last_name", "first_name", "pk"))


def demo_accounts(school: School, on: dt.date | None = None) -> list[DemoAccount]:
    """Administrator, director, deputy, a subject teacher, a class teacher with one of their students, and a
    parent (with two children in the school when there is one)."""
    accounts: list[DemoAccount] = []

    def add(key: str, label: str, user: User | None, note: str = "") -> None:
        if user is not None:
            accounts.append(DemoAccount(key, label, user, note))

    add("admin", "администратор", _first_with_role(school, Role.ADMIN), "ответственный администратор ЭЖ")
    add("director", "директор", _first_with_role(school, Role.DIRECTOR))
    add("deputy", "завуч", _first_with_role(school, Role.DEPUTY, exclude=(Role.ADMIN,)), "заместитель по УВР")

    groups = list(ClassGroup.objects.filter(school=school).order_by("-year__start", "grade", "letter"))
    # A fifth grade shows the most: subject teachers, subgroups, marks.
    group = next((g for g in groups if g.grade == 5), groups[0] if groups else None)
    leader = group.class_teachers.order_by("pk").first() if group else None
    teachers = User.objects.filter(school=school, role_grants__role=Role.TEACHER).exclude(led_classes__isnull=False)
    teacher = None
    if group is not None:
        teacher = teachers.filter(assignments__class_group=group).order_by("pk").first()
    teacher = teacher or teachers.order_by("pk").first()
    add("teacher", "учитель", teacher, _teaching(teacher) if teacher else "")
    if group is not None:
        add("class_teacher", "классный руководитель", leader, f"классный руководитель {group.name}")
        day = on or group.year.start
        students = _current_students(group, max(day, group.year.start))
        if students:
            pupil = "ученица" if _is_female(students[0]) else "ученик"
            add("student", "ученик", students[0], f"{pupil} {group.name}")

    parent = (
        User.objects.filter(school=school, role_grants__role=Role.PARENT)
        .annotate(children=Count("children_links"))
        .filter(children__gte=2)
        .order_by("pk")
        .first()
    ) or _first_with_role(school, Role.PARENT)
    if parent is not None:
        kids = Guardianship.objects.filter(parent=parent).select_related("child").order_by("child__pk")
        names = ", ".join(f"{link.child.first_name} ({_class_of(link.child_id)})" for link in kids)
        add("parent", "родитель", parent, f"дети: {names}" if names else "")
    return accounts


def _is_female(user: User) -> bool:
    # Russian patronymics tell: «…вна», «…чна» (Ильинична, Саввична).
    return user.middle_name.endswith(("вна", "чна"))


def _teaching(teacher: User) -> str:
    """«Математика, Алгебра: 5А, 5Б, 7А»: what and where the teacher teaches this year."""
    rows = (
        TeachingAssignment.objects.filter(teacher=teacher)
        .order_by("class_group__grade", "class_group__letter")
        .values_list("subject__name", "class_group__grade", "class_group__letter")
    )
    subjects = list(dict.fromkeys(name for name, _, _ in rows))
    classes = list(dict.fromkeys(f"{grade}{letter}" for _, grade, letter in rows))
    return f"{', '.join(subjects)}: {', '.join(classes)}"


def _class_of(student_id: int) -> str:
    enrolment = Enrolment.objects.filter(student_id=student_id).select_related("class_group").order_by("-start").first()
    return enrolment.class_group.name if enrolment else "—"


def demo_users(school: School) -> dict[str, User]:
    return {a.key: a.user for a in demo_accounts(school)}
