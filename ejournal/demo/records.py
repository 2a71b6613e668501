"""What teachers write into the journal up to «today»: attendance, marks, homework, the kind of each work.

Written in batches of plain INSERTs (fast_insert.py): a year of a school is a few hundred thousand rows,
and one service call per mark would take many minutes. The rules the journal's services enforce hold by
construction: marks only for students enrolled in the lesson's class (and subgroup) on its date and
present at it, none in grade 1, none after today, values 1–5, an absence code never with a mark.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import models

from ejournal.curriculum.models import Lesson, LessonStatus
from ejournal.journal.models import Attendance, DeadlineKind, Homework, LessonWork, Mark

from .fast_insert import insert_rows
from .lesson_plans import HOMEWORK_SHARE, PlanLine, homework_text

BATCH = 5000


@dataclass(frozen=True)
class LessonRow:
    id: int
    assignment_id: int
    class_id: int
    subgroup_id: int | None
    subject_id: int
    teacher_id: int
    substitute_id: int | None
    date: dt.date
    number: int
    cancelled: bool

    @property
    def giver_id(self) -> int:
        return self.substitute_id or self.teacher_id


@dataclass(frozen=True)
class Membership:
    """A student in a class or subgroup from `start` to `end` (inclusive; None = still there)."""

    student_id: int
    start: dt.date
    end: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class KindInfo:
    id: int
    deadline_kind: str


@dataclass
class RecordsInput:
    school_id: int
    timezone: str
    today: dt.date
    lessons: list[LessonRow]  # every lesson of the year, in (date, number, class) order
    lesson_line: dict[int, tuple[PlanLine, int]]  # lesson id → КТП line and its 0-based position
    class_grade: dict[int, int]
    class_roster: dict[int, list[Membership]]
    subgroup_roster: dict[int, list[Membership]]
    ability: dict[int, float]
    sickliness: dict[int, float]
    subject_info: dict[int, tuple[str, str]]  # subject id → (key, category)
    kinds: dict[str, KindInfo]
    lesson_end: dict[int, dt.time]  # bell number → end of the lesson
    class_teacher: dict[int, int]
    oral_days: int
    written_days: int
    essay_days: int
    counts: dict[str, int] = field(default_factory=dict)


def read_lessons(school_id: int) -> list[LessonRow]:
    """Every dated lesson of the school, in a stable order: by date, number, then creation order."""
    rows = Lesson.objects.filter(school_id=school_id).values_list(
        "id",
        "assignment_id",
        "class_group_id",
        "subgroup_id",
        "subject_id",
        "teacher_id",
        "substitute_id",
        "date",
        "number",
        "status",
    )
    lessons = [LessonRow(*row[:9], cancelled=row[9] == LessonStatus.CANCELLED) for row in rows]
    # Ids keep the order rows were made in, so two schools from one seed sort alike.
    lessons.sort(key=lambda r: (r.date, r.number, r.class_id, r.assignment_id))
    return lessons


class _Rows:
    """Collects rows of one model and writes them in batches, so memory stays flat for a whole year."""

    def __init__(self, model: type[models.Model], fields: tuple[str, ...]) -> None:
        self.model = model
        self.fields = fields
        self.pending: list[tuple[object, ...]] = []
        self.written = 0

    def add(self, *row: object) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.written += insert_rows(self.model, self.fields, self.pending)
            self.pending = []


# Illnesses: per school day a child falls ill with this chance (times their sickliness), for one of
# these many school days; together with other absences about 5 % of student-days are missed.
_ILL_START = 0.0085
_ILL_DAYS = (2, 3, 3, 4, 4, 5, 5, 5, 6, 7, 8, 10)
_FAMILY_DAY = 0.003  # «у»: a family reason, with a note from the parents
_TRUANT_DAY = 0.0006  # «п»
_LATE_DAY = 0.004  # «оп» on the first lesson of the day
_SKIP_LESSON = 0.0015  # «п» on one lesson; more often for weak students
_UNEXPLAINED = 0.07  # old absences the class teacher never explained stay «н»


def _absences(data: RecordsInput, days: list[dt.date], rng: random.Random) -> dict[tuple[int, dt.date], str]:
    """Whole days a student missed (and «оп» days), with the code the journal shows today."""
    students = [m.student_id for roster in data.class_roster.values() for m in roster]
    students = list(dict.fromkeys(students))
    recent = set(days[-2:])  # the last two school days: no reason known yet
    out: dict[tuple[int, dt.date], str] = {}
    for student in students:
        sick = data.sickliness[student]
        index = 0
        while index < len(days):
            day = days[index]
            roll = rng.random()
            if roll < _ILL_START * sick:
                length = rng.choice(_ILL_DAYS)
                run = days[index : index + length]
                # Still ill today: the certificate has not come, the journal shows «н».
                code = "н" if index + length >= len(days) else "б"
                for d in run:
                    out[(student, d)] = code
                index += length
                continue
            roll -= _ILL_START * sick
            if roll < _FAMILY_DAY + _TRUANT_DAY:
                code = "у" if roll < _FAMILY_DAY else "п"
                if day in recent or rng.random() < _UNEXPLAINED:
                    code = "н"
                out[(student, day)] = code
            elif roll < _FAMILY_DAY + _TRUANT_DAY + _LATE_DAY:
                out[(student, day)] = "оп"
            index += 1
    return out


def _mark_value(level: float, rng: random.Random) -> str:
    x = level + rng.gauss(0, 0.8)
    if x >= 4.5:
        return "5"
    if x >= 3.5:
        return "4"
    if x >= 2.5:
        return "3"
    # A «1» is rare: most teachers give a «2» instead.
    return "1" if x < 1.6 and rng.random() < 0.5 else "2"


_CHECK_DELAYS = (0, 1, 1, 2, 2, 3, 4, 5, 6)  # days a teacher takes to check written work
_WORK_SHIFT = {"test": -0.25, "dictation": -0.2, "essay": -0.1, "independent": -0.1, "homework": 0.2}


def write_records(data: RecordsInput, rng: random.Random) -> None:
    """Attendance, marks, homework and the kind of each graded work for every lesson up to today."""
    tz = ZoneInfo(data.timezone)
    past = [lesson for lesson in data.lessons if lesson.date <= data.today and not lesson.cancelled]
    days = sorted({lesson.date for lesson in past})
    absent = _absences(data, days, rng)
    next_date = _next_lesson_dates(data.lessons)

    affinity: dict[tuple[int, int], float] = {}
    subject_ids = list(data.subject_info)
    for student in data.ability:
        for subject in subject_ids:
            affinity[(student, subject)] = rng.gauss(0, 0.25)

    attendance = _Rows(Attendance, ("school", "lesson", "student", "code", "updated_by", "updated_at"))
    marks = _Rows(
        Mark,
        (
            "school",
            "lesson",
            "student",
            "position",
            "value",
            "kind",
            "created_by",
            "created_at",
            "updated_at",
            "is_late",
        ),
    )
    homework = _Rows(Homework, ("school", "lesson", "text", "due_date", "created_by", "created_at", "updated_at"))
    works = _Rows(LessonWork, ("school", "lesson", "kind"))
    marks_so_far: dict[tuple[int, int], int] = defaultdict(int)
    seen_today: set[tuple[int, dt.date]] = set()

    def moment(day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=tz)

    for lesson in past:
        grade = data.class_grade[lesson.class_id]
        roster = data.subgroup_roster[lesson.subgroup_id] if lesson.subgroup_id else data.class_roster[lesson.class_id]
        students = [m.student_id for m in roster if m.active_on(lesson.date)]
        end = data.lesson_end[lesson.number]
        lesson_time = moment(lesson.date, end)
        present: list[int] = []
        for student in students:
            code = absent.get((student, lesson.date), "")
            first_of_day = (student, lesson.date) not in seen_today
            seen_today.add((student, lesson.date))
            if code == "оп":
                code = "оп" if first_of_day else ""
            elif not code and rng.random() < _SKIP_LESSON * (2.5 if data.ability[student] < 3.3 else 1):
                code = "п"
            if code:
                updated_by, updated_at = lesson.giver_id, lesson_time
                if code in ("б", "у") and lesson.class_id in data.class_teacher:
                    # The class teacher turned «н» into a reason when the note came: a few days later.
                    updated_by = data.class_teacher[lesson.class_id]
                    later = min(data.today, lesson.date + dt.timedelta(days=rng.randint(1, 6)))
                    updated_at = moment(later, dt.time(15, rng.randrange(60)))
                attendance.add(data.school_id, lesson.id, student, code, updated_by, updated_at)
            if code in ("", "оп"):
                present.append(student)

        line, position = data.lesson_line.get(lesson.id, (PlanLine(""), 0))
        subject_key, category = data.subject_info[lesson.subject_id]
        if grade >= 2 and present:
            _lesson_marks(data, lesson, line, grade, present, affinity, marks_so_far, marks, works, rng, moment)
        if grade >= 2 and rng.random() < HOMEWORK_SHARE[category]:
            homework.add(
                data.school_id,
                lesson.id,
                homework_text(subject_key, category, grade, position, rng),
                next_date.get(lesson.id),
                lesson.giver_id,
                lesson_time,
                lesson_time,
            )
    for writer in (attendance, marks, homework, works):
        writer.flush()
    data.counts.update(
        attendance=attendance.written, marks=marks.written, homework=homework.written, lesson_works=works.written
    )


def _lesson_marks(
    data: RecordsInput,
    lesson: LessonRow,
    line: PlanLine,
    grade: int,
    present: list[int],
    affinity: dict[tuple[int, int], float],
    marks_so_far: dict[tuple[int, int], int],
    marks: _Rows,
    works: _Rows,
    rng: random.Random,
    moment: Callable[[dt.date, dt.time], dt.datetime],
) -> None:
    """Everyone for a graded work; otherwise a few oral answers, those with fewest marks first, and a
    homework check now and then."""
    given: list[tuple[int, str, int]] = []  # student, kind code, how many marks
    if line.work:
        given = [(s, line.work, line.marks_each) for s in present]
        works.add(data.school_id, lesson.id, data.kinds[line.work].id)
    else:
        share = rng.uniform(0.1, 0.3)
        count = min(len(present), max(1, round(len(present) * share)))
        order = sorted(
            present, key=lambda s: (marks_so_far[(lesson.assignment_id, s)], rng.random())
        )  # the teacher asks those with fewest marks
        given = [(s, "answer", 1) for s in order[:count]]
        if rng.random() < 0.35:
            rest = order[count:]
            given += [(s, "homework", 1) for s in rest[: rng.randint(1, 3)]]
    for student, code, how_many in given:
        kind = data.kinds[code]
        level = data.ability[student] + affinity[(student, lesson.subject_id)] + _WORK_SHIFT.get(code, 0.1)
        created, late = _entered_at(data, lesson, kind.deadline_kind, grade, rng)
        when = moment(*created)
        for position in range(how_many):
            marks.add(
                data.school_id,
                lesson.id,
                student,
                position,
                _mark_value(level, rng),
                kind.id,
                lesson.giver_id,
                when,
                when,
                late,
            )
        marks_so_far[(lesson.assignment_id, student)] += 1


def _entered_at(
    data: RecordsInput, lesson: LessonRow, deadline_kind: str, grade: int, rng: random.Random
) -> tuple[tuple[dt.date, dt.time], bool]:
    """When the teacher typed the mark: oral ones in the lesson, written ones after checking at home;
    a few after the school's deadline (never after today)."""
    r = rng.random
    if deadline_kind == DeadlineKind.ORAL:
        allowed = data.oral_days
        delay = 0
    else:
        allowed = data.essay_days if (deadline_kind == DeadlineKind.ESSAY and grade >= 10) else data.written_days
        delay = _CHECK_DELAYS[int(r() * len(_CHECK_DELAYS))]
    if r() < 0.03:
        delay = allowed + 1 + int(r() * 4)
    delay = min(delay, (data.today - lesson.date).days)
    if delay == 0 and deadline_kind == DeadlineKind.ORAL:
        end = data.lesson_end[lesson.number]
        minute = end.hour * 60 + end.minute - 10 + int(r() * 50)
        time = dt.time(minute // 60, minute % 60)
    else:
        time = dt.time(15 + int(r() * 7), int(r() * 60))
    return (lesson.date + dt.timedelta(days=delay), time), delay > allowed


def _next_lesson_dates(lessons: Iterable[LessonRow]) -> dict[int, dt.date]:
    """Lesson id → the next day the same assignment has a lesson: homework is due then."""
    by_assignment: dict[int, list[LessonRow]] = defaultdict(list)
    for lesson in lessons:
        if not lesson.cancelled:
            by_assignment[lesson.assignment_id].append(lesson)
    due: dict[int, dt.date] = {}
    for rows in by_assignment.values():
        dates = sorted(r.date for r in rows)
        for row in rows:
            after = bisect.bisect_right(dates, row.date)
            if after < len(dates):
                due[row.id] = dates[after]
    return due
