"""What the class book prints, read with a fixed number of queries whatever the number of subjects.

`read_book` reads plain rows (one query per kind of data for the whole class and period); `build_book`
arranges them into sections (one per journal: subject, or subject × subgroup), spreads of at most
`COLUMNS_PER_PAGE` lessons, the сводная ведомость and the attendance summary, without queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ejournal.access import printing as access
from ejournal.access.roles import require
from ejournal.access.tenancy import in_school_of, one_school
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum.models import Lesson, LessonStatus, Subject
from ejournal.journal.models import (
    Attendance,
    AttendanceCode,
    Homework,
    Mark,
    PeriodClosure,
    PeriodMark,
    PeriodMarkKind,
)
from ejournal.journal.periods import periods_of_class
from ejournal.journal.values import cell_text
from ejournal.schools.models import ClassGroup, Enrolment, Period, SubgroupMember

# A4 portrait leaves room for about 25 lesson columns beside the names: wider periods continue on the next spread.
COLUMNS_PER_PAGE = 25
SUMMARY_KINDS = (PeriodMarkKind.PERIOD, PeriodMarkKind.YEAR)
EMPTY: list[str] = []
MISSED_CODES = (AttendanceCode.ILL, AttendanceCode.EXCUSED, AttendanceCode.UNEXCUSED, AttendanceCode.ABSENT)


def _name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def _short(last: str, first: str, middle: str) -> str:
    initials = "".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}".strip()


@dataclass(frozen=True)
class LessonRow:
    id: int
    date: dt.date
    number: int
    subject_id: int
    subject: str
    subgroup_id: int | None
    subgroup: str
    assignment_id: int
    topic: str
    teacher: str


@dataclass(frozen=True)
class BookSource:
    school: str
    class_name: str
    year: str
    period_name: str
    period_start: dt.date
    period_end: dt.date
    class_teachers: list[str]
    closed: bool
    students: list[tuple[int, str]]  # id, full name, in alphabetical order
    subgroup_members: dict[int, set[int]]
    lessons: list[LessonRow]  # by subject, subgroup, date, number
    marks: list[tuple[int, int, str]]  # lesson, student, value (by position)
    attendance: list[tuple[int, int, str]]  # lesson, student, code
    homework: dict[int, str]  # lesson -> text
    period_marks: list[tuple[int, int, str, str]]  # subject, student, kind, value
    subjects: list[tuple[int, str]]  # subjects of the book, in order
    is_period: bool = True  # False: a date range, without the сводная ведомость


@dataclass
class Page:
    """One spread: the grid (left) and the lessons' dates, topics, homework and teacher (right)."""

    dates: list[str]
    rows: list[list[str]]  # per student: name, then one cell per lesson
    lessons: list[list[str]]  # date, topic, homework, teacher


@dataclass
class Section:
    title: str
    teacher: str
    spreads: list[Page] = field(default_factory=list)


@dataclass
class Book:
    school: str
    class_name: str
    year: str
    period: str
    span: str
    class_teachers: str
    draft: bool
    sections: list[Section]
    summary_subjects: list[str]
    summary: list[list[str]]  # name, then «период / год» per subject
    attendance: list[list[str]]  # name, missed, б, у, п, н
    # "book": the whole book; "summary": the сводная ведомость alone. A date range has no summary (False).
    part: str = "book"
    has_summary: bool = True

    def as_data(self) -> dict[str, object]:
        return {
            "school": self.school,
            "class_name": self.class_name,
            "year": self.year,
            "period": self.period,
            "span": self.span,
            "class_teachers": self.class_teachers,
            "draft": self.draft,
            "sections": [
                {
                    "title": s.title,
                    "teacher": s.teacher,
                    "spreads": [{"dates": p.dates, "rows": p.rows, "lessons": p.lessons} for p in s.spreads],
                }
                for s in self.sections
            ],
            "summary_subjects": self.summary_subjects,
            "summary": self.summary,
            "attendance": self.attendance,
            "part": self.part,
            "has_summary": self.has_summary,
        }


def read_book(
    *,
    user: User | None,
    class_group: ClassGroup,
    period: Period | None = None,
    subject: Subject | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> BookSource:
    """The rows of the book for a period or for the dates `start`–`end` (within the class's year).

    NotFound outside the user's scope, ValidationFailed for a class without lessons or a range outside the year.
    A range has no сводная ведомость (period marks are per period) and is a draft unless every period it
    touches is closed."""
    if (period is None) == (start is None or end is None):
        raise ValidationFailed("Укажите период или даты «с» и «по».", field="period")
    allowed = (
        access.may_print_subject(user, class_group, subject)
        if subject is not None
        else access.may_print_class(user, class_group)
    )
    require(allowed and (period is None or one_school(class_group, period)))
    if user is not None and period is not None:
        in_school_of(user, period)
    school_id = class_group.school_id
    group = (
        ClassGroup.objects.filter(school_id=school_id, pk=class_group.pk)
        .select_related("school", "year")
        .prefetch_related("class_teachers")
        .get()
    )
    if period is not None:
        scheme = period.scheme if Period._meta.get_field("scheme").is_cached(period) else None
        if scheme is None or scheme.year_id != group.year_id or not scheme.covers(group.grade):
            scheme = Period.objects.filter(school_id=school_id, pk=period.pk).select_related("scheme").get().scheme
            if scheme.year_id != group.year_id or not scheme.covers(group.grade):
                # The class and the period are both the user's to see: saying they do not match leaks nothing.
                raise ValidationFailed(
                    f"Период «{period.number} {scheme.get_kind_display()}» ({scheme.grade_from}–{scheme.grade_to} "
                    f"кл.) не из учебных периодов класса {group.name}.",
                    field="period",
                )
        span_start, span_end = period.start, period.end
        span_name = f"{period.number} {scheme.get_kind_display()}"
        touched = [period.pk]
    else:
        assert start is not None and end is not None
        span_start, span_end = start, end
        if span_start > span_end or span_start < group.year.start or span_end > group.year.end:
            raise ValidationFailed(
                f"Даты печати должны идти по порядку и лежать в {group.year.name} учебном году "
                f"({ru_date(group.year.start)}–{ru_date(group.year.end)}).",
                field="date_from",
            )
        span_name = f"с {ru_date(span_start)} по {ru_date(span_end)}"
        touched = [p.pk for p in periods_of_class(group) if p.start <= span_end and p.end >= span_start]
    closures = PeriodClosure.objects.filter(
        Q(class_group__isnull=True) | Q(class_group_id=group.pk), school_id=school_id, period_id__in=touched
    ).values_list("period_id", flat=True)
    # A range outside every period (holidays only) has nothing to close: it is as final as its periods are.
    closed = set(touched) <= set(closures)
    lessons_qs = Lesson.objects.filter(
        school_id=school_id, class_group_id=group.pk, date__range=(span_start, span_end)
    ).exclude(status=LessonStatus.CANCELLED)
    if subject is not None:
        lessons_qs = lessons_qs.filter(subject_id=subject.pk)
        subgroups = access.printed_subgroups(user, group, subject)
        if subgroups is not None:
            lessons_qs = lessons_qs.filter(subgroup_id__in=subgroups)
    lessons = [
        LessonRow(
            id=pk,
            date=date,
            number=number,
            subject_id=subject_id,
            subject=subject_name,
            subgroup_id=subgroup_id,
            subgroup=subgroup_name or "",
            assignment_id=assignment_id,
            topic=topic,
            teacher=_short(*(sub if sub[0] else own)),
        )
        for pk, date, number, subject_id, subject_name, subgroup_id, subgroup_name, assignment_id, topic, *names in (
            lessons_qs.order_by("subject__name", "subgroup__name", "date", "number").values_list(
                "pk",
                "date",
                "number",
                "subject_id",
                "subject__name",
                "subgroup_id",
                "subgroup__name",
                "assignment_id",
                "topic",
                "teacher__last_name",
                "teacher__first_name",
                "teacher__middle_name",
                "substitute__last_name",
                "substitute__first_name",
                "substitute__middle_name",
            )
        )
        for own, sub in [((names[0], names[1], names[2]), (names[3] or "", names[4] or "", names[5] or ""))]
    ]
    if not lessons:
        what = f" по предмету «{subject.name}»" if subject is not None else ""
        when = span_name
        if period is not None:
            when = f"за период «{span_name}» ({ru_date(span_start)}–{ru_date(span_end)})"
        raise ValidationFailed(f"В классе {group.name}{what} нет уроков {when}: печатать нечего.")
    enrolments = (
        Enrolment.objects.filter(school_id=school_id, class_group_id=group.pk, start__lte=span_end)
        .filter(Q(end__isnull=True) | Q(end__gte=span_start))
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id")
        .values_list("student_id", "student__last_name", "student__first_name", "student__middle_name")
    )
    students: dict[int, str] = {}
    for student_id, last, first, middle in enrolments:
        students.setdefault(student_id, _name(last, first, middle))
    members: dict[int, set[int]] = defaultdict(set)
    for subgroup_id, student_id in SubgroupMember.objects.filter(
        school_id=school_id, subgroup__class_group_id=group.pk
    ).values_list("subgroup_id", "student_id"):
        members[subgroup_id].add(student_id)
    lesson_ids = Lesson.objects.filter(pk__in=[row.id for row in lessons], school_id=school_id).values("pk")
    marks = list(
        Mark.objects.filter(school_id=school_id, lesson_id__in=lesson_ids)
        .order_by("lesson_id", "student_id", "position", "pk")
        .values_list("lesson_id", "student_id", "value")
    )
    attendance = list(
        Attendance.objects.filter(school_id=school_id, lesson_id__in=lesson_ids).values_list(
            "lesson_id", "student_id", "code"
        )
    )
    homework: dict[int, list[str]] = defaultdict(list)
    for lesson_id, text in (
        Homework.objects.filter(school_id=school_id, lesson_id__in=lesson_ids)
        .order_by("pk")
        .values_list("lesson_id", "text")
    ):
        homework[lesson_id].append(text)
    subjects = list(dict.fromkeys((row.subject_id, row.subject) for row in lessons))
    period_marks = (
        list(
            PeriodMark.objects.filter(
                school_id=school_id, class_group_id=group.pk, subject_id__in=[s for s, _ in subjects]
            )
            .filter(
                Q(kind=PeriodMarkKind.PERIOD, period_id=period.pk) | Q(kind=PeriodMarkKind.YEAR, year_id=group.year_id)
            )
            .values_list("subject_id", "student_id", "kind", "value")
        )
        if period is not None
        else []
    )
    return BookSource(
        school=group.school.name,
        class_name=group.name,
        year=group.year.name,
        period_name=span_name,
        period_start=span_start,
        period_end=span_end,
        is_period=period is not None,
        class_teachers=[_name(t.last_name, t.first_name, t.middle_name) for t in group.class_teachers.all()],
        closed=closed,
        students=list(students.items()),
        subgroup_members=dict(members),
        lessons=lessons,
        marks=marks,
        attendance=attendance,
        homework={k: "; ".join(v) for k, v in homework.items()},
        period_marks=period_marks,
        subjects=subjects,
    )


def build_book(source: BookSource, *, columns_per_page: int = COLUMNS_PER_PAGE, part: str = "book") -> Book:
    """Arrange the rows into the book's pages; no queries."""
    marks: dict[tuple[int, int], list[str]] = defaultdict(list)
    for lesson_id, student_id, value in source.marks:
        marks[(lesson_id, student_id)].append(value)
    codes = {(lesson_id, student_id): code for lesson_id, student_id, code in source.attendance}
    journals: dict[tuple[int, int | None], list[LessonRow]] = defaultdict(list)
    for lesson in source.lessons:
        journals[(lesson.subject_id, lesson.subgroup_id)].append(lesson)
    sections = []
    for (_subject_id, subgroup_id), lessons in journals.items():
        first = lessons[0]
        group_members = source.subgroup_members.get(subgroup_id, set()) if subgroup_id else None
        students = [(pk, name) for pk, name in source.students if group_members is None or pk in group_members]
        teachers = ", ".join(dict.fromkeys(lesson.teacher for lesson in lessons))
        title = f"{first.subject} ({first.subgroup})" if first.subgroup else first.subject
        section = Section(title=title, teacher=teachers)
        for start in range(0, len(lessons), columns_per_page):
            chunk = lessons[start : start + columns_per_page]
            section.spreads.append(
                Page(
                    dates=[f"{lesson.date:%d.%m}" for lesson in chunk],
                    rows=[
                        [name]
                        + [
                            cell_text(marks.get((lesson.id, pk), []), codes.get((lesson.id, pk), ""))
                            for lesson in chunk
                        ]
                        for pk, name in students
                    ],
                    lessons=[
                        [f"{lesson.date:%d.%m.%Y}", lesson.topic, source.homework.get(lesson.id, ""), lesson.teacher]
                        for lesson in chunk
                    ],
                )
            )
        sections.append(section)
    by_student: dict[tuple[int, int, str], str] = {
        (subject_id, student_id, kind): value for subject_id, student_id, kind, value in source.period_marks
    }
    summary = [
        [name]
        + [
            " / ".join(
                by_student.get((subject_id, pk, kind), "") or "—"
                for kind in (PeriodMarkKind.PERIOD, PeriodMarkKind.YEAR)
            )
            for subject_id, _subject in source.subjects
        ]
        for pk, name in source.students
    ]
    missed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (_lesson_id, student_id), code in codes.items():
        missed[student_id][code] += 1
    attendance = [
        [name, str(sum(missed[pk][c] for c in MISSED_CODES))] + [str(missed[pk][c]) for c in MISSED_CODES]
        for pk, name in source.students
    ]
    return Book(
        school=source.school,
        class_name=source.class_name,
        year=source.year,
        period=source.period_name,
        span=f"{ru_date(source.period_start)} – {ru_date(source.period_end)}" if source.is_period else "",
        class_teachers=", ".join(source.class_teachers) or "—",
        draft=not source.closed,
        sections=sections,
        summary_subjects=[name for _pk, name in source.subjects],
        summary=summary,
        attendance=attendance,
        part=part,
        has_summary=source.is_period,
    )


def school_periods(school_id: int | None) -> QuerySet[Period]:
    """The periods offered for printing: the school's, latest year first."""
    return (
        Period.objects.filter(school_id=school_id)
        .select_related("scheme__year")
        .order_by("-scheme__year__start", "scheme__grade_from", "start")
    )


PARTS = {"book": "журнал", "summary": "только сводную ведомость"}


def class_book_data(
    *,
    user: User | None,
    class_group: ClassGroup,
    period: Period | None = None,
    subject: Subject | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    part: str = "book",
) -> Book:
    """`part` "summary": the сводная ведомость of the period alone (no spreads; a date range has none)."""
    if part not in PARTS:
        raise ValidationFailed(
            "Неизвестная часть журнала: «book» (журнал) или «summary» (сводная ведомость).", field="part"
        )
    if part == "summary" and period is None:
        raise ValidationFailed("Сводная ведомость печатается за период, не за даты.", field="period")
    source = read_book(user=user, class_group=class_group, period=period, subject=subject, start=start, end=end)
    return build_book(source, part=part)
