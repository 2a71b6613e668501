"""Reads of the curriculum pages, each written for its page: a fixed number of queries whatever the size of
the school. Scopes come from `access`; the caller has already checked that the user may open the page."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from ejournal.access import curriculum as access
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.time import WEEKDAYS_RU, WEEKDAYS_SHORT_RU, daterange
from ejournal.schools.models import AcademicYear, ClassGroup

from .lessons import Calendar
from .models import (
    Bell,
    CurriculumHours,
    Lesson,
    LessonOrigin,
    LessonStatus,
    PlannedTopic,
    Subject,
    TeachingAssignment,
    TimetableSlot,
)

GRADES = list(range(1, 12))


def pick_year(user: User, year_id: str | None, today: dt.date) -> AcademicYear | None:
    """The year a page shows: the one asked for, else the one that contains today, else the latest."""
    years = access_schools.visible_years(user)
    if year_id:
        year_pk = inputs.id_or_none(year_id)
        if year_pk is None:
            raise Http404
        found = years.filter(pk=year_pk).first()
        if found is None:
            raise Http404
        return found
    return years.filter(start__lte=today, end__gte=today).first() or years.order_by("-start").first()


def parse_id(raw: str | None) -> int | None:
    """An id from a filter in the query string; anything else means "no filter"."""
    return inputs.id_or_none(raw)


def format_hours(value: Decimal | None) -> str:
    """Hours as Russians write them: «5», «0,5»."""
    if value is None or value == 0:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


# --- учебный план ----------------------------------------------------------------------------------------


@dataclass
class GridCell:
    grade: int
    name: str
    value: str
    error: bool = False


@dataclass
class GridRow:
    subject: Subject
    cells: list[GridCell]


@dataclass
class CurriculumGrid:
    grades: list[int]
    rows: list[GridRow]
    totals: list[str]
    classes_per_grade: list[int]


def cell_name(subject_id: int, grade: int) -> str:
    return f"h-{subject_id}-{grade}"


def curriculum_grid(
    *, user: User, year: AcademicYear, submitted: dict[str, str] | None = None, bad: set[str] | None = None
) -> CurriculumGrid:
    """Subjects × parallels 1–11 with hours per week and totals per parallel. `submitted` shows a refused
    form's values back to the user instead of the saved ones. Three queries."""
    subjects = list(access.visible_subjects(user).order_by("name"))
    hours = {
        (line.subject_id, line.grade): line.hours_per_week
        for line in CurriculumHours.objects.filter(school_id=year.school_id, year=year)
    }
    per_grade = dict(
        ClassGroup.objects.filter(school_id=year.school_id, year=year)
        .values_list("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    totals = dict.fromkeys(GRADES, Decimal(0))
    rows = []
    for subject in subjects:
        cells = []
        for grade in GRADES:
            name = cell_name(subject.pk, grade)
            saved = hours.get((subject.pk, grade))
            totals[grade] += saved or 0
            value = submitted[name] if submitted is not None and name in submitted else format_hours(saved)
            cells.append(GridCell(grade=grade, name=name, value=value, error=bool(bad and name in bad)))
        rows.append(GridRow(subject=subject, cells=cells))
    return CurriculumGrid(
        grades=GRADES,
        rows=rows,
        totals=[format_hours(totals[g]) or "0" for g in GRADES],
        classes_per_grade=[per_grade.get(g, 0) for g in GRADES],
    )


# --- нагрузка --------------------------------------------------------------------------------------------


@dataclass
class AssignmentLine:
    assignment: TeachingAssignment
    slots: int
    plan_hours: str
    ended: bool


@dataclass
class TeacherLoad:
    teacher: User
    lines: list[AssignmentLine] = field(default_factory=list)
    hours: int = 0


def _plan_hours(year: AcademicYear) -> dict[tuple[int, int], Decimal]:
    return _plan_hours_of(year.school_id, year.pk)


def _plan_hours_of(school_id: int, year_id: int) -> dict[tuple[int, int], Decimal]:
    """Hours per week by (subject, grade) of a year's учебный план."""
    return {
        (subject_id, grade): hours
        for subject_id, grade, hours in CurriculumHours.objects.filter(
            school_id=school_id, year_id=year_id
        ).values_list("subject_id", "grade", "hours_per_week")
    }


def teacher_loads(
    *, user: User, year: AcademicYear, today: dt.date, teacher_id: int | None = None, class_id: int | None = None
) -> list[TeacherLoad]:
    """Assignments of the year grouped by teacher, with hours per week from the weekly grid (ended assignments
    shown but not counted) against the curriculum. Three queries."""
    assignments = (
        access.visible_assignments(user)
        .filter(class_group__year=year)
        .select_related("teacher", "class_group", "subgroup", "subject")
        .annotate(slot_count=Count("slots"))
        .order_by(
            "teacher__last_name", "teacher__first_name", "teacher_id", "class_group__grade", "class_group__letter"
        )
    )
    if teacher_id:
        assignments = assignments.filter(teacher_id=teacher_id)
    if class_id:
        assignments = assignments.filter(class_group_id=class_id)
    plan = _plan_hours(year)
    loads: dict[int, TeacherLoad] = {}
    for a in assignments:
        load = loads.setdefault(a.teacher_id, TeacherLoad(teacher=a.teacher))
        ended = a.end is not None and a.end < today
        load.lines.append(
            AssignmentLine(
                assignment=a,
                slots=a.slot_count,
                plan_hours=format_hours(plan.get((a.subject_id, a.class_group.grade))),
                ended=ended,
            )
        )
        if not ended:
            load.hours += a.slot_count
    if not teacher_id and not class_id:
        # Teachers without any load yet: the deputy distributes the hours among them.
        for teacher in access.assignable_teachers(user).exclude(pk__in=list(loads)).order_by("last_name"):
            loads[teacher.pk] = TeacherLoad(teacher=teacher)
    return list(loads.values())


# --- the weekly grid of a class --------------------------------------------------------------------------


@dataclass
class Cell:
    weekday: int
    number: int
    slots: list[TimetableSlot]
    error: str = ""

    @property
    def dom_id(self) -> str:
        return f"cell-{self.weekday}-{self.number}"

    @property
    def shared(self) -> bool:
        """Only subgroup lessons leave room for another lesson in the same cell."""
        return all(slot.assignment.subgroup_id for slot in self.slots)


@dataclass
class TimetableRow:
    bell: Bell
    cells: list[Cell]


@dataclass
class AssignmentHours:
    assignment: TeachingAssignment
    slots: int
    plan_hours: str


@dataclass
class ClassTimetable:
    class_group: ClassGroup
    weekdays: list[tuple[int, str]]
    rows: list[TimetableRow]
    assignments: list[AssignmentHours]

    @property
    def assignment_list(self) -> list[TeachingAssignment]:
        """What each cell's select offers."""
        return [line.assignment for line in self.assignments]


def weekdays_of(class_group: ClassGroup, *, with_saturday: bool = False) -> list[tuple[int, str]]:
    days = 6 if class_group.works_on_saturday or with_saturday else 5
    return [(d, WEEKDAYS_RU[d - 1]) for d in range(1, days + 1)]


def _class_slots(class_group: ClassGroup) -> QuerySet[TimetableSlot]:
    return TimetableSlot.objects.filter(
        school_id=class_group.school_id, year_id=class_group.year_id, assignment__class_group=class_group
    ).select_related("assignment__teacher", "assignment__subject", "assignment__subgroup", "assignment__class_group")


def class_assignments(class_group: ClassGroup) -> list[TeachingAssignment]:
    return list(
        TeachingAssignment.objects.filter(school_id=class_group.school_id, class_group=class_group)
        .select_related("teacher", "subject", "subgroup", "class_group")
        .order_by("subject__name", "subgroup__name", "start")
    )


def class_timetable(*, class_group: ClassGroup, bells: list[Bell] | None = None) -> ClassTimetable:
    """The weekly grid of one class: bells × weekdays, with the slots in each cell and the class's assignments
    with their hours in the grid against the curriculum. Four queries (three when the page has the bells)."""
    if bells is None:
        bells = list(Bell.objects.filter(school_id=class_group.school_id).order_by("number"))
    slots = list(_class_slots(class_group))
    by_cell: dict[tuple[int, int], list[TimetableSlot]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for slot in slots:
        by_cell[(slot.weekday, slot.number)].append(slot)
        counts[slot.assignment_id] += 1
    weekdays = weekdays_of(class_group, with_saturday=any(slot.weekday == 6 for slot in slots))
    rows = [
        TimetableRow(
            bell=bell,
            cells=[Cell(weekday=d, number=bell.number, slots=by_cell.get((d, bell.number), [])) for d, _ in weekdays],
        )
        for bell in bells
    ]
    plan = _plan_hours_of(class_group.school_id, class_group.year_id)
    assignments = [
        AssignmentHours(
            assignment=a,
            slots=counts.get(a.pk, 0),
            plan_hours=format_hours(plan.get((a.subject_id, class_group.grade))),
        )
        for a in class_assignments(class_group)
    ]
    return ClassTimetable(class_group=class_group, weekdays=weekdays, rows=rows, assignments=assignments)


def timetable_cell(*, class_group: ClassGroup, weekday: int, number: int, error: str = "") -> Cell:
    return Cell(
        weekday=weekday,
        number=number,
        slots=list(_class_slots(class_group).filter(weekday=weekday, number=number)),
        error=error,
    )


# --- a teacher's week --------------------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class WeekRow:
    number: int
    bell: Bell | None
    cells: list[list[Lesson]]


@dataclass
class TeacherWeek:
    teacher: User
    monday: dt.date
    days: list[tuple[dt.date, str]]
    rows: list[WeekRow]
    total: int


def teacher_week(*, teacher: User, monday: dt.date) -> TeacherWeek:
    """The dated lessons of a teacher's week, with замены both ways (given for another teacher, and own lessons
    given by a substitute), cancellations and moves. Two queries."""
    sunday = monday + dt.timedelta(days=6)
    lessons = list(
        Lesson.objects.filter(school_id=teacher.school_id, date__range=(monday, sunday))
        .filter(Q(teacher=teacher) | Q(substitute=teacher))
        .select_related("class_group", "subgroup", "subject", "teacher", "substitute")
        .order_by("date", "number", "class_group__grade", "class_group__letter")
    )
    bells = {bell.number: bell for bell in Bell.objects.filter(school_id=teacher.school_id)}
    last_day = 6 if any(lesson.date.isoweekday() == 6 for lesson in lessons) else 5
    days = [(monday + dt.timedelta(days=i), WEEKDAYS_SHORT_RU[i]) for i in range(last_day)]
    numbers = sorted(set(bells) | {lesson.number for lesson in lessons})
    grid: dict[tuple[dt.date, int], list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        grid[(lesson.date, lesson.number)].append(lesson)
    rows = [WeekRow(number=n, bell=bells.get(n), cells=[grid.get((day, n), []) for day, _ in days]) for n in numbers]
    given = sum(1 for lesson in lessons if lesson.status == LessonStatus.PLANNED and lesson.given_by_id == teacher.pk)
    return TeacherWeek(teacher=teacher, monday=monday, days=days, rows=rows, total=given)


# --- changes of a day ----------------------------------------------------------------------------------------


@dataclass
class ClassDay:
    class_group: ClassGroup
    lessons: list[Lesson]


def _lessons_with_people(qs: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return qs.select_related("class_group", "subgroup", "subject", "teacher", "substitute")


def day_lessons(*, user: User, day: dt.date) -> list[ClassDay]:
    """Every lesson of the day the user may see, by class. One query."""
    lessons = _lessons_with_people(access.visible_lessons(user).filter(date=day)).order_by(
        "class_group__grade", "class_group__letter", "number", "subgroup__name"
    )
    classes: dict[int, ClassDay] = {}
    for lesson in lessons:
        classes.setdefault(lesson.class_group_id, ClassDay(class_group=lesson.class_group, lessons=[])).lessons.append(
            lesson
        )
    return list(classes.values())


def changed_lessons(*, user: User, start: dt.date, end: dt.date) -> list[Lesson]:
    """Замены, cancellations, moves and extra lessons between two dates. One query."""
    changed = Q(substitute__isnull=False) | Q(status=LessonStatus.CANCELLED) | ~Q(origin=LessonOrigin.TIMETABLE)
    return list(
        _lessons_with_people(access.visible_lessons(user).filter(changed, date__range=(start, end))).order_by(
            "date", "number", "class_group__grade", "class_group__letter"
        )
    )


@dataclass
class Candidate:
    teacher: User
    busy_with: str


def substitute_candidates(*, user: User, lesson: Lesson) -> list[Candidate]:
    """The school's teachers for a замена, each with what they already give at that time. Two queries."""
    busy: dict[int, str] = {}
    at_that_time = (
        Lesson.objects.filter(school_id=lesson.school_id, date=lesson.date, number=lesson.number)
        .filter(status=LessonStatus.PLANNED)
        .exclude(pk=lesson.pk)
        .select_related("class_group", "subject")
    )
    for other in at_that_time:
        busy[other.given_by_id] = f"{other.class_group.name}, {other.subject.short_name}"
    return [
        Candidate(teacher=t, busy_with=busy.get(t.pk, ""))
        for t in access.assignable_teachers(user).exclude(pk=lesson.teacher_id).order_by("last_name", "first_name")
    ]


# --- КТП -----------------------------------------------------------------------------------------------------


def study_weeks(calendar: Calendar, grade: int, six_days: bool) -> int:
    """School weeks of a parallel in the year: its teaching days (periods less holidays) over the days of its
    week. The curriculum's hours per week times this is what a КТП should cover."""
    if not calendar.periods:
        return 0
    start = min(p.start for p in calendar.periods)
    end = max(p.end for p in calendar.periods)
    last_weekday = 6 if six_days else 5
    days = sum(
        1 for day in daterange(start, end) if day.isoweekday() <= last_weekday and calendar.is_school_day(day, grade)
    )
    return math.ceil(days / last_weekday) if days else 0


@dataclass
class PlanLine:
    assignment: TeachingAssignment
    topics: int
    planned_hours: int
    per_week: str
    weeks: int
    required_hours: int | None
    lessons: int

    @property
    def short(self) -> bool:
        return self.required_hours is not None and self.planned_hours < self.required_hours


def plan_lines(
    *, user: User, year: AcademicYear, teacher_id: int | None = None, class_id: int | None = None
) -> list[PlanLine]:
    """The КТП of each assignment the user may open: topics and their hours against the curriculum hours
    times the school weeks of the class's parallel, and the lessons in the timetable. Six queries."""
    assignments = list(
        access.visible_plans(user)
        .filter(class_group__year=year)
        .filter(Q(teacher_id=teacher_id) if teacher_id else Q())
        .filter(Q(class_group_id=class_id) if class_id else Q())
        .select_related("teacher", "class_group", "subgroup", "subject")
        .order_by("class_group__grade", "class_group__letter", "subject__name", "teacher__last_name")
    )
    ids = [a.pk for a in assignments]
    topics: dict[int, dict[str, int]] = {
        row["assignment_id"]: row
        for row in PlannedTopic.objects.filter(school_id=year.school_id, assignment_id__in=ids)
        .values("assignment_id")
        .annotate(n=Count("pk"), hours=Sum("hours"))
    }
    lessons = dict(
        Lesson.objects.filter(school_id=year.school_id, assignment_id__in=ids, status=LessonStatus.PLANNED)
        .values_list("assignment_id")
        .annotate(n=Count("pk"))
        .values_list("assignment_id", "n")
    )
    plan = _plan_hours(year)
    calendar = Calendar.of(year)
    weeks_cache: dict[tuple[int, bool], int] = {}
    lines = []
    for a in assignments:
        grade = a.class_group.grade
        key = (grade, a.class_group.works_on_saturday)
        if key not in weeks_cache:
            weeks_cache[key] = study_weeks(calendar, grade, a.class_group.works_on_saturday)
        per_week = plan.get((a.subject_id, grade))
        row: dict[str, int] = topics.get(a.pk, {})
        lines.append(
            PlanLine(
                assignment=a,
                topics=row.get("n", 0),
                planned_hours=row.get("hours") or 0,
                per_week=format_hours(per_week),
                weeks=weeks_cache[key],
                required_hours=round(per_week * weeks_cache[key]) if per_week else None,
                lessons=lessons.get(a.pk, 0),
            )
        )
    return lines


def plan_topics(assignment: TeachingAssignment) -> QuerySet[PlannedTopic]:
    """The КТП's topics with how many lessons were given on each. One query."""
    return (
        assignment.planned_topics.filter(school_id=assignment.school_id)
        .annotate(given=Count("lessons", filter=Q(lessons__status=LessonStatus.PLANNED)))
        .order_by("position")
    )
