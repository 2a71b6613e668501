"""Whose diary a user may open: their own as a student, their children's as a parent.

Teachers and management read marks through the journal, not through the diary, so for them the
diary pages do not exist (404), even for students they teach.

Within a diary everything is the student's own: the lessons of the class they were in on each day (a
subgroup's lessons only for its members), the homework of those lessons, the periods of their classes.
Any other id (another child, another class's homework, a period of another grade band) is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.core.errors import NotFound
from ejournal.curriculum.models import Lesson
from ejournal.journal.models import Homework
from ejournal.schools.models import Enrolment, Period, SubgroupMember

from .roles import in_school


def _diary_student_ids(user: User) -> QuerySet[Any]:
    cond = Q(pk__in=[])
    if user.has_role(Role.STUDENT):
        cond |= Q(pk=user.pk)
    if user.has_role(Role.PARENT):
        cond |= Q(parent_links__parent=user)
    return User.objects.filter(cond, school_id=user.school_id, role_grants__role=Role.STUDENT).values("pk")


def diary_students(user: User) -> QuerySet[User]:
    """The student themself and/or the parent's children, by name. The school comes along: the diary
    pages need its time zone."""
    if not in_school(user):
        return User.objects.none()
    ids = _diary_student_ids(user)
    return User.objects.filter(pk__in=ids).select_related("school").order_by("last_name", "first_name", "pk")


def diary_student(user: User, student_id: int) -> User:
    student = diary_students(user).filter(pk=student_id).first()
    if student is None:
        raise NotFound()
    return student


def lessons_in_diaries(*, school_id: int | None, students: Iterable[int] | QuerySet[Any]) -> QuerySet[Lesson]:
    """THE rule of what a diary shows, for one student or several (a parent's children): the lessons of the
    class a student was enrolled in on the lesson's date, a subgroup's lessons only for its members.

    The diary week, the diary's marks page, homework files and every lesson list a student or parent
    reaches (access.visible_lessons, visible_attachments) use this one function, so a file or a lesson
    is reachable exactly when the diary shows it: not the other subgroup's, not the former class's after
    a transfer, still the former class's before it. Subgroup membership carries no dates: the student's
    subgroups now are those of every date. One query (two correlated EXISTS), whatever the students."""
    enrolled = Enrolment.objects.filter(
        school_id=school_id,
        student_id__in=students,
        class_group_id=OuterRef("class_group_id"),
        start__lte=OuterRef("date"),
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("date")))
    # The member must be the enrolled student himself: a parent's other child in the subgroup (or one who
    # has left the class) does not open it.
    member = SubgroupMember.objects.filter(
        school_id=school_id, subgroup_id=OuterRef(OuterRef("subgroup_id")), student_id=OuterRef("student_id")
    )
    return Lesson.objects.filter(school_id=school_id).filter(
        (Q(subgroup__isnull=True) & Exists(enrolled)) | Exists(enrolled.filter(Exists(member)))
    )


def student_lessons(student: User) -> QuerySet[Lesson]:
    """Lessons of the student's diary (lessons_in_diaries). Cancelled lessons are included (the diary
    shows them struck out)."""
    return lessons_in_diaries(school_id=student.school_id, students=[student.pk])


def diary_lessons(user: User) -> QuerySet[Lesson]:
    """Lessons of the diaries the user opens (their own, their children's): what a student or a parent
    may see of lessons anywhere, the API and homework files included."""
    if not in_school(user) or not user.has_role(Role.STUDENT, Role.PARENT):
        return Lesson.objects.none()
    return lessons_in_diaries(school_id=user.school_id, students=_diary_student_ids(user))


def student_homework(student: User) -> QuerySet[Homework]:
    """Homework given in the lessons of the student's diary."""
    return Homework.objects.filter(school_id=student.school_id, lesson__in=student_lessons(student).values("pk"))


def student_periods(student: User) -> QuerySet[Period]:
    """Periods (четверти, полугодия) of every class the student has been in, of any year: the periods of
    the scheme that covers the class's grade in the class's year."""
    classes = Enrolment.objects.filter(
        school_id=student.school_id,
        student_id=student.pk,
        class_group__year_id=OuterRef("scheme__year_id"),
        class_group__grade__gte=OuterRef("scheme__grade_from"),
        class_group__grade__lte=OuterRef("scheme__grade_to"),
    )
    return (
        Period.objects.filter(school_id=student.school_id)
        .filter(Exists(classes))
        .select_related("scheme__year")
        .order_by("start")
    )
