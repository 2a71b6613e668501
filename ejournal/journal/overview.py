"""«Сводка класса»: every subject of one class for a period on one page, for the class teacher.

Rows are the students in the class at some day of the period; columns are the class's journals (subject,
or subject × subgroup) taught in the period. Each cell holds what the journal grid shows at the end of
the row — weighted average, marks against the накопляемость norm, the period mark — computed the same
way, so the two pages never disagree. Beside the subjects: lessons and days missed (absences.py).

Eleven queries whatever the size of the class: one per kind of data, read with values_list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from ejournal.access import journal as access
from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.core.time import school_today
from ejournal.curriculum.models import CurriculumHours, Lesson, LessonStatus, TeachingAssignment
from ejournal.schools.models import ClassGroup, Enrolment, Period

from . import counting, scope
from . import periods as journal_periods
from .absences import Missed, Spans, missed_in_class, subgroups_of
from .models import PeriodMark, PeriodMarkKind
from .selectors import _full_name
from .values import weighted_average

# The absence columns in the order of the class teacher's report: illness, excused, unexcused, then
# the absences whose reason is not yet known.
MISSED_CODES = (
    ("б", "по болезни"),
    ("у", "по уважительной причине"),
    ("п", "без уважительной причины"),
    ("н", "причина ещё не указана"),
)


@dataclass(frozen=True)
class OverviewColumn:
    """One journal of the class: a subject, or a subject taught to a subgroup."""

    assignment_id: int
    subject_id: int
    subgroup_id: int | None
    subject_name: str
    subgroup_name: str
    teacher_name: str
    norm: int

    @property
    def title(self) -> str:
        return f"{self.subject_name} ({self.subgroup_name})" if self.subgroup_name else self.subject_name


@dataclass(frozen=True, slots=True)
class OverviewCell:
    average: Decimal | None
    marks_count: int
    norm: int
    period_mark: str

    @property
    def below_norm(self) -> bool:
        return self.marks_count < self.norm


@dataclass
class OverviewRow:
    student_id: int
    name: str
    # Set when the student joined or left during the period.
    enrolled_from: dt.date | None
    enrolled_to: dt.date | None
    # In column order; None where the student is not in the column's subgroup.
    cells: list[OverviewCell | None]
    missed: Missed

    @property
    def lessons_missed(self) -> tuple[int, ...]:
        """All lessons missed, then of them by reason in MISSED_CODES order."""
        return (self.missed.lessons, *(self.missed.lessons_by_code.get(code, 0) for code, _ in MISSED_CODES))

    @property
    def days_missed(self) -> tuple[int, ...]:
        """All days missed, then of them by reason in MISSED_CODES order."""
        return (self.missed.days, *(self.missed.days_by_code.get(code, 0) for code, _ in MISSED_CODES))


@dataclass
class ClassOverview:
    class_id: int
    class_name: str
    period: Period
    periods: list[Period]
    columns: list[OverviewColumn]
    rows: list[OverviewRow]

    @property
    def title(self) -> str:
        return f"Сводка класса {self.class_name} · {self.period.name}"


def _columns(group: ClassGroup, period: Period) -> list[TeachingAssignment]:
    """The class's journals taught in the period; when the teacher changed during it, the latest
    assignment stands for the journal (a journal outlives a change of teacher, scope.py)."""
    assignments = (
        TeachingAssignment.objects.filter(school_id=group.school_id, class_group=group, start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .select_related("subject", "subgroup", "teacher")
        .order_by("start", "pk")
    )
    latest: dict[tuple[int, int | None], TeachingAssignment] = {}
    for assignment in assignments:
        latest[(assignment.subject_id, assignment.subgroup_id)] = assignment
    return sorted(latest.values(), key=lambda a: (a.subject.name, a.subgroup.name if a.subgroup else "", a.subject_id))


@dataclass(frozen=True)
class OverviewSource:
    """What class_overview reads (eleven queries), as plain rows: build_overview needs nothing else."""

    class_id: int
    class_name: str
    period: Period
    periods: list[Period]
    columns: list[OverviewColumn]  # with their norms
    names: dict[int, str]  # student -> full name, in the order of the rows
    spans: Spans  # student -> enrolment spans in the class
    subgroups: dict[int, set[int]]  # student -> the subgroups they are in
    marks: list[tuple[int, int, str, Decimal]]  # the marks that count: student, subject, value, weight
    period_marks: dict[tuple[int, int], str]  # (student, subject) -> the period mark
    missed: dict[int, Missed]


def class_overview(*, user: User, class_group: ClassGroup | int, period: Period | int | None = None) -> ClassOverview:
    """Every subject of a class for a period: per student and journal the weighted average, the number of
    marks against the norm and the period mark; per student the lessons and days missed.

    `period` (or its id) None takes the period of today (of the school). NotFound outside the user's
    scope (access.overview_classes) or for a period that is not the class's.
    """
    return build_overview(read_overview(user=user, class_group=class_group, period=period))


def read_overview(*, user: User, class_group: ClassGroup | int, period: Period | int | None = None) -> OverviewSource:
    """The queries of class_overview (eleven, whatever the class size), the access check and the norms."""
    class_id = class_group if isinstance(class_group, int) else class_group.pk
    group = access.overview_classes(user).filter(pk=class_id).select_related("year", "school").first()
    if group is None:
        raise NotFound()
    school = group.school
    class_periods = journal_periods.periods_of_class(group)
    if period is None:
        period = journal_periods.current_period(class_periods, school_today(school.timezone))
    # A period given by id is looked up among the class's own: another grade band's or school's is 404.
    period_id = period.pk if isinstance(period, Period) else period
    period = next((p for p in class_periods if p.pk == period_id), None)
    if period is None:
        raise NotFound()
    start, end = period.start, period.end

    assignments = _columns(group, period)

    names: dict[int, str] = {}
    spans: Spans = defaultdict(list)
    for student_id, last, first, middle, since, until in (
        Enrolment.objects.filter(school_id=group.school_id, class_group=group, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id", "start")
        .values_list("student_id", "student__last_name", "student__first_name", "student__middle_name", "start", "end")
    ):
        names.setdefault(student_id, _full_name(last, first, middle))
        spans[student_id].append((since, until))
    student_ids = list(names)
    subgroups = subgroups_of(group, student_ids)

    # The norm needs the subject's hours a week; without a curriculum line, the number of lessons.
    hours = dict(
        CurriculumHours.objects.filter(school_id=group.school_id, year_id=group.year_id, grade=group.grade).values_list(
            "subject_id", "hours_per_week"
        )
    )
    lesson_counts: dict[tuple[int, int | None], int] = {
        (row["subject_id"], row["subgroup_id"]): row["n"]
        for row in Lesson.objects.filter(
            school_id=group.school_id, class_group=group, date__range=(start, end), status=LessonStatus.PLANNED
        )
        .values("subject_id", "subgroup_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    columns = [
        OverviewColumn(
            assignment_id=a.pk,
            subject_id=a.subject_id,
            subgroup_id=a.subgroup_id,
            subject_name=a.subject.name,
            subgroup_name=a.subgroup.name if a.subgroup else "",
            teacher_name=a.teacher.short_name,
            norm=scope.marks_norm(
                school,
                hours.get(a.subject_id),
                lessons=lesson_counts.get((a.subject_id, a.subgroup_id), 0),
                start=start,
                end=end,
            ),
        )
        for a in assignments
    ]
    # The marks that count, as the grids count them (counting.marks_that_count): every mark of the period
    # in the subject, the former class's after a transfer too.
    marks = list(
        counting.marks_that_count(school_id=group.school_id, start=start, end=end, students=student_ids).values_list(
            "student_id", "lesson__subject_id", "value", "kind__weight"
        )
    )
    period_marks = {
        (student_id, subject_id): value
        for student_id, subject_id, value in PeriodMark.objects.filter(
            school_id=group.school_id, kind=PeriodMarkKind.PERIOD, period_id=period.pk, student_id__in=student_ids
        ).values_list("student_id", "subject_id", "value")
    }
    return OverviewSource(
        class_id=group.pk,
        class_name=group.name,
        period=period,
        periods=class_periods,
        columns=columns,
        names=names,
        spans=spans,
        subgroups=subgroups,
        marks=marks,
        period_marks=period_marks,
        missed=missed_in_class(group, start, end, spans=spans, subgroups=subgroups),
    )


def build_overview(source: OverviewSource) -> ClassOverview:
    """The ClassOverview from what read_overview read. No queries (unit-tested on hand-made rows)."""
    columns, subgroups = source.columns, source.subgroups
    start, end = source.period.start, source.period.end
    by_subject: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(columns):
        by_subject[c.subject_id].append(i)

    # Each mark goes to the student's own column of its subject (their subgroup's, or the whole class's).
    marks: dict[tuple[int, int], list[tuple[str, Decimal]]] = defaultdict(list)
    for student_id, subject_id, value, weight in source.marks:
        own_groups = subgroups.get(student_id, set())
        at = next(
            (i for i in by_subject.get(subject_id, ()) if columns[i].subgroup_id in (None, *own_groups)),
            None,
        )
        if at is not None:
            marks[(student_id, at)].append((value, weight))

    rows = []
    for student_id, name in source.names.items():
        own_groups = subgroups.get(student_id, set())
        cells: list[OverviewCell | None] = []
        for i, column in enumerate(columns):
            if column.subgroup_id is not None and column.subgroup_id not in own_groups:
                cells.append(None)
                continue
            weighted = marks.get((student_id, i), [])
            cells.append(
                OverviewCell(
                    average=weighted_average(weighted),
                    marks_count=len(weighted),
                    norm=column.norm,
                    period_mark=source.period_marks.get((student_id, column.subject_id), ""),
                )
            )
        student_spans = source.spans[student_id]
        first_start = min(since for since, _ in student_spans)
        last_end = None if any(u is None for _, u in student_spans) else max(u for _, u in student_spans if u)
        rows.append(
            OverviewRow(
                student_id=student_id,
                name=name,
                enrolled_from=first_start if first_start > start else None,
                enrolled_to=last_end if last_end is not None and last_end < end else None,
                cells=cells,
                missed=source.missed.get(student_id, Missed()),
            )
        )
    return ClassOverview(
        class_id=source.class_id,
        class_name=source.class_name,
        period=source.period,
        periods=source.periods,
        columns=columns,
        rows=rows,
    )
