"""What each person sees first after signing in: one short page per role, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from ejournal.access import curriculum as access_curriculum
from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import Role, User
from ejournal.curriculum.models import Lesson, LessonStatus, TeachingAssignment
from ejournal.schools.models import AcademicYear, ClassGroup, Enrolment, Period


@dataclass
class LessonLine:
    number: int
    subject: str
    class_name: str
    teacher: str
    room: str
    topic: str
    cancelled: bool
    substituted: bool
    note: str


@dataclass
class ChildDay:
    child: User
    class_name: str
    lessons: list[LessonLine]


@dataclass
class SchoolFigures:
    year: AcademicYear | None
    periods: list[Period]
    classes: int
    students: int
    teachers: int
    lessons_today: int
    changes_today: int


@dataclass
class HomePage:
    today: dt.date
    figures: SchoolFigures | None = None
    my_lessons: list[LessonLine] = field(default_factory=list)
    my_assignments: list[TeachingAssignment] = field(default_factory=list)
    led_classes: list[ClassGroup] = field(default_factory=list)
    own_day: ChildDay | None = None
    children: list[ChildDay] = field(default_factory=list)


def _lines(lessons: list[Lesson]) -> list[LessonLine]:
    return [
        LessonLine(
            number=lesson.number,
            subject=lesson.subject.name,
            class_name=lesson.class_group.name + (f" ({lesson.subgroup.name})" if lesson.subgroup else ""),
            teacher=(lesson.substitute or lesson.teacher).short_name,
            room=lesson.room,
            topic=lesson.topic,
            cancelled=lesson.status == LessonStatus.CANCELLED,
            substituted=lesson.substitute_id is not None,
            note=lesson.change_note,
        )
        for lesson in lessons
    ]


def _day_lessons(qs: object) -> list[Lesson]:
    return list(
        qs.select_related("subject", "class_group", "subgroup", "teacher", "substitute").order_by(  # type: ignore[attr-defined]
            "number", "class_group__grade"
        )
    )


def _student_day(student: User, day: dt.date) -> ChildDay | None:
    enrolment = (
        Enrolment.objects.filter(school_id=student.school_id, student=student, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("class_group")
        .first()
    )
    if enrolment is None:
        return None
    lessons = Lesson.objects.filter(school_id=student.school_id, class_group_id=enrolment.class_group_id, date=day)
    # A subgroup lesson belongs to the student's day only when they are in that subgroup.
    lessons = lessons.filter(Q(subgroup__isnull=True) | Q(subgroup__members__student=student))
    return ChildDay(child=student, class_name=enrolment.class_group.name, lessons=_lines(_day_lessons(lessons)))


def _school_figures(user: User, day: dt.date) -> SchoolFigures:
    school_id = user.school_id
    year = AcademicYear.objects.filter(school_id=school_id, start__lte=day, end__gte=day).first()
    periods = (
        list(Period.objects.filter(school_id=school_id, start__lte=day, end__gte=day).select_related("scheme"))
        if year
        else []
    )
    lessons_today = Lesson.objects.filter(school_id=school_id, date=day)
    return SchoolFigures(
        year=year,
        periods=periods,
        classes=ClassGroup.objects.filter(school_id=school_id, year=year).count() if year else 0,
        students=Enrolment.objects.filter(school_id=school_id, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .count(),
        teachers=User.objects.filter(school_id=school_id, is_active=True, role_grants__role=Role.TEACHER).count(),
        lessons_today=lessons_today.exclude(status=LessonStatus.CANCELLED).count(),
        changes_today=lessons_today.filter(
            Q(substitute__isnull=False) | Q(status=LessonStatus.CANCELLED) | ~Q(origin="timetable")
        ).count(),
    )


def home_page(user: User, day: dt.date) -> HomePage:
    """The start page of `user` on `day`: figures for management, the day's lessons for teachers,
    the day for a student and for each child of a parent."""
    page = HomePage(today=day)
    if roles.reads_whole_school(user):
        page.figures = _school_figures(user, day)
    if user.has_role(Role.TEACHER):
        mine = Lesson.objects.filter(school_id=user.school_id, date=day).filter(
            Q(teacher=user, substitute__isnull=True) | Q(substitute=user)
        )
        page.my_lessons = _lines(_day_lessons(mine))
        page.my_assignments = list(
            access_curriculum.own_assignments(user)
            .filter(start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .select_related("class_group", "subject", "subgroup")
        )
        page.led_classes = list(access_schools.led_classes(user).filter(year__start__lte=day, year__end__gte=day))
    if user.has_role(Role.STUDENT):
        page.own_day = _student_day(user, day)
    if user.has_role(Role.PARENT):
        for child in access_schools.children_of(user).order_by("last_name", "first_name"):
            child_day = _student_day(child, day)
            if child_day is not None:
                page.children.append(child_day)
    return page
