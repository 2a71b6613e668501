"""The marks of a period for many classes at once, read in a fixed number of queries whatever the school size.

`period_data` reads, one query per kind of data with values_list: the classes of the period's grade band,
their enrolments, the journals (assignments) of the period, subgroup members, the marks grouped by student,
subject and value with the sum of their weights (a thousand students' quarter is ~70,000 marks but ~25,000
groups), and the period marks. Everything after that is plain Python.

A student is counted in the class they are in at the report's day (the period's end, or today while the
period runs), with the marks of that class's lessons; the period mark set by the teacher counts, and where
it is not set yet the suggestion from the weighted average (formulas.counted_mark).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Round

from ejournal.core.time import school_today
from ejournal.curriculum.models import TeachingAssignment
from ejournal.journal import counting
from ejournal.journal.models import PeriodMark, PeriodMarkKind
from ejournal.journal.values import suggest_mark, weighted_average
from ejournal.schools.models import ClassGroup, Enrolment, Period, School, SubgroupMember

from . import formulas
from .formulas import Counts


def full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def short_name(last: str, first: str, middle: str) -> str:
    """«Иванова А. П.», as the journal prints a teacher."""
    initials = " ".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}".strip()


@dataclass(frozen=True, slots=True)
class Cell:
    """A student in a subject: the period mark set, the suggestion, the weighted average and how many marks."""

    period_mark: str = ""
    suggestion: str = ""
    average: Decimal | None = None
    marks: int = 0

    @property
    def mark(self) -> str:
        return formulas.counted_mark(self.period_mark, self.suggestion)

    @property
    def suggested(self) -> bool:
        return not self.period_mark and bool(self.suggestion)


EMPTY = Cell()


@dataclass(frozen=True)
class ClassInfo:
    id: int
    grade: int
    letter: str
    at_start: int
    at_end: int

    @property
    def name(self) -> str:
        return f"{self.grade}{self.letter}"


@dataclass(frozen=True)
class JournalInfo:
    """A journal of the period: class (or subgroup) × subject, with the teacher who keeps it."""

    assignment_id: int
    class_id: int
    subject_id: int
    subgroup_id: int | None
    subgroup_name: str
    teacher_id: int


@dataclass(frozen=True)
class Student:
    id: int
    name: str
    class_id: int


@dataclass
class PeriodData:
    school: School
    period: Period
    day: dt.date  # the day the students are counted on
    classes: dict[int, ClassInfo]
    students: dict[int, Student]  # counted, in class order then by name
    journals: list[JournalInfo]
    subjects: dict[int, tuple[str, bool]]  # name, pass/fail
    teachers: dict[int, str]  # short names
    cells: dict[tuple[int, int], Cell]
    subgroups_of: dict[int, set[int]]
    spans: dict[int, dict[int, list[tuple[dt.date, dt.date | None]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._students_by_class: dict[int, list[Student]] = defaultdict(list)
        for student in self.students.values():
            self._students_by_class[student.class_id].append(student)
        self._journals_by_class: dict[int, list[JournalInfo]] = defaultdict(list)
        for journal in self.journals:
            self._journals_by_class[journal.class_id].append(journal)
        self._marks_of: dict[int, list[tuple[str, str]]] = {}
        self._counts_of: dict[int, Counts] = {}

    # --- who is where ---------------------------------------------------------------------------------

    def students_of(self, class_id: int) -> list[Student]:
        return self._students_by_class.get(class_id, [])

    def journals_of(self, class_id: int) -> list[JournalInfo]:
        return self._journals_by_class.get(class_id, [])

    def in_journal(self, student: Student, journal: JournalInfo) -> bool:
        return student.class_id == journal.class_id and (
            journal.subgroup_id is None or journal.subgroup_id in self.subgroups_of.get(student.id, set())
        )

    def journal_students(self, journal: JournalInfo) -> list[Student]:
        return [s for s in self.students_of(journal.class_id) if self.in_journal(s, journal)]

    def own_journals(self, student: Student) -> list[JournalInfo]:
        """The journals the student is in: the class's, and of those split, their own subgroup's."""
        return [j for j in self.journals_of(student.class_id) if self.in_journal(student, j)]

    def cell(self, student_id: int, subject_id: int) -> Cell:
        return self.cells.get((student_id, subject_id), EMPTY)

    def marks_of(self, student: Student) -> list[tuple[str, str]]:
        """(subject name, counted mark) for every subject the student takes, by subject name."""
        found = self._marks_of.get(student.id)
        if found is None:
            subjects = {j.subject_id for j in self.own_journals(student)}
            found = sorted((self.subjects[pk][0], self.cell(student.id, pk).mark) for pk in subjects)
            self._marks_of[student.id] = found
        return found

    @property
    def suggested(self) -> int:
        """Counted marks that are suggestions (no period mark set yet)."""
        return sum(1 for (student_id, _), cell in self.cells.items() if student_id in self.students and cell.suggested)

    # --- figures --------------------------------------------------------------------------------------

    def group_counts(self, students: list[Student]) -> Counts:
        """Students counted by their worst mark: each student once (a class, then the school, reuse them)."""
        total = Counts()
        for student in students:
            one = self._counts_of.get(student.id)
            if one is None:
                one = self._counts_of[student.id] = formulas.group_counts([self.marks_of(student)])
            total = total + one
        return total

    def subject_counts(self, students: list[Student], subject_id: int) -> Counts:
        return formulas.subject_counts(self.cell(s.id, subject_id).mark for s in students)

    def journal_counts(self, journal: JournalInfo) -> Counts:
        return self.subject_counts(self.journal_students(journal), journal.subject_id)

    def graded(self, subject_id: int) -> bool:
        """Subjects with marks 5–1; pass/fail ones («зач»/«незач») have no quality figures of their own."""
        return not self.subjects[subject_id][1]


def reference_day(school: School, period: Period) -> dt.date:
    """The period's end; while it runs, today (of the school); before it starts, its first day."""
    today = school_today(school.timezone)
    return min(period.end, max(period.start, today))


def _active(start: dt.date, end: dt.date) -> Q:
    return Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=start))


EnrolmentRow = tuple[int, int, dt.date, dt.date | None, str, str, str]  # student, class, start, end, names
# assignment, class, subject, subgroup, subgroup name, teacher, subject name, pass/fail, teacher's names
AssignmentRow = tuple[int, int, int, int | None, str | None, int, str, bool, str, str, str]
MarkGroupRow = tuple[int, int, str, int, int]  # student, subject, value, Σ weight in hundredths, how many


@dataclass(frozen=True)
class PeriodRows:
    """What period_data reads (six queries), as the rows came: build_period_data needs nothing else."""

    school: School
    period: Period
    day: dt.date  # the day the students are counted on
    classes: Sequence[tuple[int, int, str]]  # id, grade, letter in class order
    enrolments: Sequence[EnrolmentRow]  # by student name, then start
    assignments: Sequence[AssignmentRow]  # by start, so the latest of a journal comes last
    members: Sequence[tuple[int, int]]  # student, subgroup
    marks: Sequence[MarkGroupRow]
    period_marks: Sequence[tuple[int, int, str]]  # student, subject, value


def period_data(
    *, school: School, period: Period, class_ids: list[int] | None = None, until: dt.date | None = None
) -> PeriodData:
    """Marks and period marks of the classes of the period's grade band (or of `class_ids` among them).

    `until` limits the marks to the lessons up to that day (a monthly report made later); the students are
    then counted on that day. Six queries whatever the number of classes and students.
    """
    return build_period_data(read_period(school=school, period=period, class_ids=class_ids, until=until))


def read_period(
    *, school: School, period: Period, class_ids: list[int] | None = None, until: dt.date | None = None
) -> PeriodRows:
    """The six queries of period_data, each read with values_list."""
    scheme = period.scheme
    start, end = period.start, period.end
    day = reference_day(school, period) if until is None else min(end, max(start, until))
    classes_qs = ClassGroup.objects.filter(
        school_id=school.pk, year_id=scheme.year_id, grade__gte=scheme.grade_from, grade__lte=scheme.grade_to
    )
    if class_ids is not None:
        classes_qs = classes_qs.filter(pk__in=class_ids)
    class_rows = list(classes_qs.order_by("grade", "letter").values_list("pk", "grade", "letter"))
    ids = [pk for pk, _, _ in class_rows]
    enrolments = list(
        Enrolment.objects.filter(_active(start, end), school_id=school.pk, class_group_id__in=ids)
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id", "start")
        .values_list(
            "student_id",
            "class_group_id",
            "start",
            "end",
            "student__last_name",
            "student__first_name",
            "student__middle_name",
        )
    )
    assignments = list(
        TeachingAssignment.objects.filter(_active(start, end), school_id=school.pk, class_group_id__in=ids)
        .order_by("start", "pk")
        .values_list(
            "pk",
            "class_group_id",
            "subject_id",
            "subgroup_id",
            "subgroup__name",
            "teacher_id",
            "subject__name",
            "subject__pass_fail",
            "teacher__last_name",
            "teacher__first_name",
            "teacher__middle_name",
        )
    )
    members = list(
        SubgroupMember.objects.filter(school_id=school.pk, subgroup__class_group_id__in=ids).values_list(
            "student_id", "subgroup_id"
        )
    )
    # Grouped by value, each value carrying the sum of its marks' weights: the journal's weighted average of
    # these (value, Σ weight) pairs is Σ(mark × weight) / Σ weight over the marks themselves. The marks are
    # those that count (journal.counting): a student moved between classes mid-period keeps her former
    # class's marks, counted in the class she is in on the reference day.
    enrolled = Enrolment.objects.filter(_active(start, end), school_id=school.pk, class_group_id__in=ids)
    marks = list(
        counting.marks_that_count(
            school_id=school.pk,
            start=start,
            end=day if until is not None else end,
            students=enrolled.values("student_id"),
        )
        .values_list("student_id", "lesson__subject_id", "value")
        # Weights in hundredths as integers (weights have two decimals): the same ratio for the weighted
        # average, and no float-to-Decimal conversion per row.
        .annotate(weight=Sum(Round(F("kind__weight") * 100), output_field=IntegerField()), n=Count("id"))
        .order_by()
    )
    period_marks = list(
        PeriodMark.objects.filter(
            school_id=school.pk, kind=PeriodMarkKind.PERIOD, period_id=period.pk, class_group_id__in=ids
        ).values_list("student_id", "subject_id", "value")
    )
    return PeriodRows(
        school=school,
        period=period,
        day=day,
        classes=class_rows,
        enrolments=enrolments,
        assignments=assignments,
        members=members,
        marks=marks,
        period_marks=period_marks,
    )


def build_period_data(rows: PeriodRows) -> PeriodData:
    """PeriodData from what read_period read: who is counted in which class, the journals, the cells. No
    queries (unit-tested on hand-made rows)."""
    start, day = rows.period.start, rows.day
    spans: dict[int, dict[int, list[tuple[dt.date, dt.date | None]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    placed: dict[int, int] = {}
    at_start: dict[int, int] = defaultdict(int)
    at_end: dict[int, int] = defaultdict(int)
    for student_id, class_id, since, until_day, last, first, middle in rows.enrolments:
        spans[class_id][student_id].append((since, until_day))
        names[student_id] = full_name(last, first, middle)
        if since <= start and (until_day is None or until_day >= start):
            at_start[class_id] += 1
        if since <= day and (until_day is None or until_day >= day):
            at_end[class_id] += 1
            placed[student_id] = class_id

    classes = {pk: ClassInfo(pk, grade, letter, at_start[pk], at_end[pk]) for pk, grade, letter in rows.classes}
    order = {pk: i for i, (pk, _, _) in enumerate(rows.classes)}
    students = {
        s.id: s
        for s in sorted(
            (Student(pk, names[pk], class_id) for pk, class_id in placed.items()),
            key=lambda s: (order[s.class_id], s.name, s.id),
        )
    }

    # A journal outlives a change of teacher: the latest assignment of the period stands for it.
    latest: dict[tuple[int, int, int | None], JournalInfo] = {}
    subjects: dict[int, tuple[str, bool]] = {}
    teachers: dict[int, str] = {}
    for (
        pk,
        class_id,
        subject_id,
        subgroup_id,
        subgroup_name,
        teacher_id,
        sname,
        pass_fail,
        last,
        first,
        middle,
    ) in rows.assignments:
        latest[(class_id, subject_id, subgroup_id)] = JournalInfo(
            pk, class_id, subject_id, subgroup_id, subgroup_name or "", teacher_id
        )
        subjects[subject_id] = (sname, pass_fail)
        teachers[teacher_id] = short_name(last, first, middle)
    journals = sorted(
        latest.values(),
        key=lambda j: (order[j.class_id], subjects[j.subject_id][0], j.subgroup_name, j.subject_id),
    )

    subgroups_of: dict[int, set[int]] = defaultdict(set)
    for student_id, subgroup_id in rows.members:
        subgroups_of[student_id].add(subgroup_id)

    weighted: dict[tuple[int, int], list[tuple[str, Decimal]]] = defaultdict(list)
    numbers: dict[tuple[int, int], int] = defaultdict(int)
    for student_id, subject_id, value, weight, n in rows.marks:
        if student_id in placed:
            weighted[(student_id, subject_id)].append((value, Decimal(weight)))
            numbers[(student_id, subject_id)] += n
    set_marks = {(student_id, subject_id): value for student_id, subject_id, value in rows.period_marks}
    school = rows.school
    thresholds = (school.threshold_5, school.threshold_4, school.threshold_3)
    cells: dict[tuple[int, int], Cell] = {}
    for key in weighted.keys() | set_marks.keys():
        marks = weighted.get(key, [])
        average = weighted_average(marks)
        cells[key] = Cell(
            period_mark=set_marks.get(key, ""),
            suggestion=suggest_mark(average, thresholds),
            average=average,
            marks=numbers.get(key, 0),
        )
    return PeriodData(
        school=school,
        period=rows.period,
        day=day,
        classes=classes,
        students=students,
        journals=journals,
        subjects=subjects,
        teachers=teachers,
        cells=cells,
        subgroups_of=subgroups_of,
        spans=spans,
    )


def previous_period(period: Period) -> Period | None:
    """The period before this one in the same scheme (the 1st has none)."""
    return (
        Period.objects.filter(school_id=period.school_id, scheme_id=period.scheme_id, number__lt=period.number)
        .select_related("scheme__year")
        .order_by("-number")
        .first()
    )


def year_periods(school: School, year_id: int) -> list[Period]:
    """Every period of the school's year, by grade band then date: the choices of a school report."""
    return list(
        Period.objects.filter(school_id=school.pk, scheme__year_id=year_id)
        .select_related("scheme__year")
        .order_by("scheme__grade_from", "start")
    )


def period_label(period: Period) -> str:
    scheme = period.scheme
    return f"{period.name} ({scheme.grade_from}–{scheme.grade_to} кл.)"
