"""The journal as it stood at a past moment, read back from the history (ChangeRecord), and every change since.

How disputes about a mark are settled: the grid of a journal (marks, attendance, topics, homework, the period
mark) and the class's period marks (сводная ведомость) as they were at a chosen moment, with a list of every
later change (who, when, old → new).

The reading: take the journal as it is now (selectors.read_grid, the same access as the grid) and, for each
thing changed after the moment, put back the `old_value` of its first change after the moment. Every write of
these things keeps the whole old and new state of the thing in one history row (a cell's marks with their
kinds and comments, its attendance code, the topic, the homework, the period mark: services.py, lessons.py,
period_marks.py), so nothing else is needed, and what was never changed after the moment is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from django.db.models import Q

from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core import time as clock
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.schools.models import AcademicYear, ClassGroup, Enrolment, Period, School

from .errors import JournalCode
from .models import ChangeKind, ChangeRecord, PeriodMark, PeriodMarkKind
from .selectors import Grid, MarkRow, build_grid, read_grid

# What the grid shows of a lesson and its cells; period marks are read by their target.
LESSON_KINDS = (ChangeKind.MARK, ChangeKind.ATTENDANCE, ChangeKind.TOPIC, ChangeKind.HOMEWORK, ChangeKind.LESSON_WORK)
# One mark as the history writes it (services.marks_text): «5 (Контрольная работа) «комментарий»».
MARK_TEXT = re.compile(r"^(?P<value>\S+)(?: \((?P<kind>[^«]*)\))?(?: «(?P<comment>.*)»)?$")


@dataclass(frozen=True)
class LaterChange:
    """A change made after the moment: the note under the journal as of the date."""

    at: dt.datetime
    actor: str
    what: str  # «отметка», «тема урока»…
    where: str  # «Иванов Пётр, урок 12.10.2026»
    old: str
    new: str
    reason: str


@dataclass
class GridAsOf:
    grid: Grid
    moment: dt.datetime  # in the school's zone
    changes: list[LaterChange]  # oldest first


@dataclass(frozen=True)
class SheetLine:
    student_id: int
    name: str
    marks: dict[int, str]  # subject -> the period mark as of the moment
    values: list[str]  # the same in the order of the sheet's subjects


@dataclass
class SheetAsOf:
    """The class's period marks in every subject (сводная ведомость) as of the moment."""

    class_name: str
    period: Period
    subjects: list[tuple[int, str]]
    lines: list[SheetLine]
    moment: dt.datetime
    changes: list[LaterChange]


# --- the moment --------------------------------------------------------------------------------------------


def school_began(school_id: int) -> dt.date | None:
    """The first day the school has in the journal: the start of its first academic year."""
    return AcademicYear.objects.filter(school_id=school_id).order_by("start").values_list("start", flat=True).first()


def parse_moment(school: School, day_raw: object, time_raw: object) -> dt.datetime:
    """«Дата» (01.09.2026 or 2026-09-01) and «время» (ЧЧ:ММ, by default the end of the day) in the school's zone,
    checked: not before the school's first year, not in the future. No date: now."""
    zone = ZoneInfo(school.timezone)
    if day_raw is None or str(day_raw).strip() == "":
        return clock.now().astimezone(zone)  # no date: the journal as it is now, with nothing after
    day = inputs.dotted_date_or_none(day_raw)
    if day is None:
        raise ValidationFailed("Дата указана неверно: нужна дата вида 01.10.2026.", field="date")
    at = dt.time(23, 59, 59)
    if time_raw is not None and str(time_raw).strip():
        parsed = inputs.time_or_none(time_raw)
        if parsed is None:
            raise ValidationFailed("Время указано неверно: нужно ЧЧ:ММ, например 14:30.", field="time")
        at = parsed
    moment = dt.datetime.combine(day, at, tzinfo=zone)
    began = school_began(school.pk)
    if began is None or day < began:
        since = f" (первый учебный год начался {ru_date(began)})" if began else ""
        raise ValidationFailed(
            f"На {ru_date(day)} журнала школы ещё не было{since}.", field="date", code=JournalCode.MOMENT_OUT_OF_RANGE
        )
    now = clock.now().astimezone(zone)
    if moment > now:
        if day > now.date():
            raise ValidationFailed(
                f"{ru_date(day)} ещё не наступило: журнал показывается на прошедшую дату.",
                field="date",
                code=JournalCode.MOMENT_OUT_OF_RANGE,
            )
        moment = now  # today's end is "now"
    return moment


# --- reading the later changes -----------------------------------------------------------------------------


def _full_name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


@dataclass(frozen=True)
class _Row:
    at: dt.datetime
    actor: str
    kind: str
    lesson_id: int | None
    lesson_date: dt.date | None
    student_id: int | None
    student: str
    target: str
    old: str
    new: str
    reason: str


def _later_rows(school_id: int, moment: dt.datetime, where: Q) -> list[_Row]:
    """History rows after the moment, oldest first (one query)."""
    rows = (
        ChangeRecord.objects.filter(where, school_id=school_id, at__gt=moment)
        .order_by("at", "id")
        .values_list(
            "at",
            "actor__last_name",
            "actor__first_name",
            "actor__middle_name",
            "kind",
            "lesson_id",
            "lesson__date",
            "student_id",
            "student__last_name",
            "student__first_name",
            "target",
            "old_value",
            "new_value",
            "reason",
        )
    )
    return [
        _Row(at, _full_name(al, af, am), kind, lid, ldate, sid, _full_name(sl or "", sf or "", ""), target, o, n, r)
        for at, al, af, am, kind, lid, ldate, sid, sl, sf, target, o, n, r in rows
    ]


def _note(row: _Row, zone: ZoneInfo, where: str) -> LaterChange:
    return LaterChange(
        row.at.astimezone(zone), row.actor, ChangeKind(row.kind).label, where, row.old, row.new, row.reason
    )


def _first_old(rows: list[_Row], key: tuple[str, ...]) -> dict[tuple[object, ...], str]:
    """The old value of the first later change of each thing: what it held at the moment."""
    first: dict[tuple[object, ...], str] = {}
    for row in rows:
        thing = tuple(getattr(row, k) for k in key)
        first.setdefault((row.kind, *thing), row.old)
    return first


def parse_marks(text: str, kind_ids: dict[str, int], fallback: int) -> list[tuple[str, int, str]]:
    """A cell's marks from the history's text back into (value, kind id, comment)."""
    marks = []
    for part in text.split(" / ") if text else []:
        found = MARK_TEXT.match(part.strip())
        if found is None:
            continue
        kind = kind_ids.get(found["kind"] or "", fallback)
        marks.append((found["value"], kind, found["comment"] or ""))
    return marks


def _period_value(text: str) -> str:
    """«4 (предложено 5 по среднему 4.60)» → «4»: the period mark as its history row writes it."""
    return text.split(" ", 1)[0] if text else ""


# --- the grid ----------------------------------------------------------------------------------------------


def journal_as_of(
    *, user: User, assignment: TeachingAssignment | int, period: Period | None, moment: dt.datetime
) -> GridAsOf:
    """The grid of the journal for the period as it stood at `moment`, read-only, with the later changes.
    The access of the grid itself (NotFound outside the user's scope)."""
    source = read_grid(user=user, assignment=assignment, period=period)
    zone = moment.tzinfo if isinstance(moment.tzinfo, ZoneInfo) else ZoneInfo("UTC")
    lesson_ids = [lesson.id for lesson in source.lessons]
    subject_target = f"{PeriodMarkKind.PERIOD}:{source.period.pk}:"
    subject_id = (
        TeachingAssignment.objects.filter(school_id=user.school_id, pk=source.assignment_id)
        .order_by()
        .values_list("subject_id", flat=True)
        .first()
    )
    target = subject_target + str(subject_id)
    rows = _later_rows(
        user.school_id or 0,
        moment,
        Q(lesson_id__in=lesson_ids, kind__in=LESSON_KINDS) | Q(target=target, student_id__in=list(source.students)),
    )
    cells = _first_old([r for r in rows if r.student_id is not None and r.lesson_id], ("lesson_id", "student_id"))
    lesson_things = _first_old([r for r in rows if r.student_id is None], ("lesson_id",))
    period_marks = _first_old([r for r in rows if r.target == target], ("student_id",))

    kind_ids = {k.name: k.id for k in source.kinds}
    fallback = next((k.id for k in source.kinds if k.is_default), source.kinds[0].id if source.kinds else 0)
    lesson_date = {lesson.id: lesson.date for lesson in source.lessons}

    marks: list[MarkRow] = [
        m for m in source.marks if (ChangeKind.MARK, m[0], m[1]) not in cells or m[0] not in lesson_date
    ]
    for (kind, lesson_id, student_id), old in cells.items():
        if kind == ChangeKind.MARK and lesson_id in lesson_date:
            assert isinstance(lesson_id, int) and isinstance(student_id, int)
            for value, kind_id, comment in parse_marks(old, kind_ids, fallback):
                marks.append(
                    (lesson_id, student_id, value, kind_id, comment, False, lesson_date[lesson_id], 0, "", None)
                )
    attendance = [a for a in source.attendance if (ChangeKind.ATTENDANCE, a[0], a[1]) not in cells]
    for (kind, lesson_id, student_id), old in cells.items():
        if kind == ChangeKind.ATTENDANCE and old:
            assert isinstance(lesson_id, int) and isinstance(student_id, int)
            attendance.append((lesson_id, student_id, old))
    lessons = []
    for lesson in source.lessons:
        topic = lesson_things.get((ChangeKind.TOPIC, lesson.id), lesson.topic)
        homework, due = lesson.homework, lesson.homework_due
        if (ChangeKind.HOMEWORK, lesson.id) in lesson_things:
            # The history keeps the homework with its date in words («… (к 14.10.2026)»).
            homework, due = lesson_things[(ChangeKind.HOMEWORK, lesson.id)], None
        work_kind = lesson.kind_id
        if (ChangeKind.LESSON_WORK, lesson.id) in lesson_things:
            work_kind = kind_ids.get(lesson_things[(ChangeKind.LESSON_WORK, lesson.id)])
        lessons.append(
            replace(lesson, editable=False, topic=topic, homework=homework, homework_due=due, kind_id=work_kind)
        )
    marks_of_period = dict(source.period_marks)
    for (_kind, student_id), old in period_marks.items():
        assert isinstance(student_id, int)
        value = _period_value(old)
        if value:
            marks_of_period[student_id] = value
        else:
            marks_of_period.pop(student_id, None)

    rewound = replace(
        source,
        mode="read",
        lessons=lessons,
        marks=sorted(marks, key=lambda m: (m[6], m[0], m[1])),
        attendance=attendance,
        period_marks=marks_of_period,
    )
    grid = build_grid(rewound)
    grid.period_marks_editable = False
    names = {sid: name for sid, (name, _spans) in source.students.items()}
    changes = []
    for row in rows:
        if row.target == target:
            where = f"{names.get(row.student_id or 0, row.student)}, за период «{source.period.name}»"
        elif row.student_id is not None:
            where = (
                f"{names.get(row.student_id, row.student)}, урок {ru_date(row.lesson_date)}" if row.lesson_date else ""
            )
        else:
            where = f"урок {ru_date(row.lesson_date)}" if row.lesson_date else ""
        changes.append(_note(row, zone, where))
    return GridAsOf(grid=grid, moment=moment, changes=changes)


# --- the сводная ведомость ---------------------------------------------------------------------------------


def _class_students(class_group: ClassGroup, period: Period) -> dict[int, str]:
    """Students in the class at some day of the period, by name."""
    rows = (
        Enrolment.objects.filter(school_id=class_group.school_id, class_group_id=class_group.pk, start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id")
        .values_list("student_id", "student__last_name", "student__first_name", "student__middle_name")
    )
    return {sid: _full_name(last, first, middle) for sid, last, first, middle in rows}


def sheet_as_of(*, user: User, class_group: ClassGroup, period: Period, moment: dt.datetime) -> SheetAsOf:
    """The period marks of the class in every subject as of `moment`. The caller checked the class is the
    user's to read (access.schools.visible_classes) and the period the class's."""
    zone = moment.tzinfo if isinstance(moment.tzinfo, ZoneInfo) else ZoneInfo("UTC")
    school_id = class_group.school_id
    current = list(
        PeriodMark.objects.filter(
            school_id=school_id, kind=PeriodMarkKind.PERIOD, period_id=period.pk, class_group_id=class_group.pk
        ).values_list("student_id", "subject_id", "value")
    )
    students = _class_students(class_group, period)
    prefix = f"{PeriodMarkKind.PERIOD}:{period.pk}:"
    rows = _later_rows(
        school_id, moment, Q(kind=ChangeKind.PERIOD_MARK, target__startswith=prefix, student_id__in=list(students))
    )
    state: dict[tuple[int, int], str] = {(sid, subj): value for sid, subj, value in current}
    seen: set[tuple[int, int]] = set()
    for row in rows:
        subject_id = int(row.target.rsplit(":", 1)[1])
        key = (row.student_id or 0, subject_id)
        if key in seen:
            continue
        seen.add(key)
        value = _period_value(row.old)
        if value:
            state[key] = value
        else:
            state.pop(key, None)
    subject_ids = {subj for _sid, subj in state} | {subj for _sid, subj in seen}
    subjects = list(
        Subject.objects.filter(school_id=school_id, pk__in=subject_ids).order_by("name").values_list("pk", "name")
    )
    subject_names = dict(subjects)
    lines = []
    for sid, name in students.items():
        marks = {subj: value for (s, subj), value in state.items() if s == sid}
        lines.append(SheetLine(sid, name, marks, [marks.get(subj, "") for subj, _name in subjects]))
    changes = [
        _note(
            row,
            zone,
            f"{students.get(row.student_id or 0, row.student)}, "
            f"{subject_names.get(int(row.target.rsplit(':', 1)[1]), '')}",
        )
        for row in rows
    ]
    return SheetAsOf(class_group.name, period, subjects, lines, moment, changes)
