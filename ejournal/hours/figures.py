"""Hours given (учёт проведённых часов): per teacher over a month or a period, from the dated lessons, against
the load the timetable plans (docs/domain.md «Проведённые часы»).

- A lesson counts for whoever gave it: the substitute of a замена, else the assigned teacher.
- Given: not cancelled and dated before today (today's lessons are still being given; as in «Анализ работы
  с классным журналом ЭЖ»). A given lesson without a topic is given all the same (the pay does not depend on
  the journal being kept) and is counted once more as «без темы».
- Replacements given: lessons given as the substitute; received: the teacher's own lessons a substitute gave.
- Cancelled: cancelled lessons of the assigned teacher. Extra and moved: given lessons of that origin.
- Plan (по нагрузке): each weekly timetable slot of the teacher's assignments, once for every day of the span
  on its weekday that is a school day of the class's grade (inside a period of its band, not a holiday) while
  the assignment runs: the lessons the grid gives, before any замена, cancellation, move or extra lesson.
- A period covers only the classes of its band of grades (quarters 1–9, half-years 10–11); a month, all.

A fixed number of queries whatever the number of teachers and lessons.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from ejournal.accounts.models import Role, User
from ejournal.core.errors import NotFound
from ejournal.core.time import daterange, ru_date
from ejournal.curriculum.lessons import Calendar as SchoolDays
from ejournal.curriculum.models import Lesson, LessonOrigin, LessonStatus, TimetableSlot
from ejournal.reports.keeping_spans import Span
from ejournal.schools.models import AcademicYear

from .models import MonthConfirmation

# The figures of a teacher, in the order of the tables and files, with their Russian titles.
FIGURES: list[tuple[str, str]] = [
    ("plan", "По нагрузке"),
    ("given", "Проведено"),
    ("difference", "Отклонение"),
    ("substituted", "Замены: провёл"),
    ("replaced", "Замены: заменён"),
    ("cancelled", "Отменено"),
    ("extra", "Дополнительные"),
    ("moved", "Перенесённые"),
    ("without_topic", "Без темы"),
    ("upcoming", "Ещё впереди"),
]
FIGURE_TITLES = dict(FIGURES)


@dataclass(frozen=True)
class LessonLine:
    """A lesson of the drill-down, as it stands for the teacher whose hours are read."""

    id: int
    date: dt.date
    number: int
    class_name: str
    subject: str
    kind: str  # Russian: «по расписанию», «замена за Иванову И. И.», «отменён»…
    topic: str
    counted: bool  # given by this teacher, so in their hours


@dataclass
class SubjectLine:
    subject: str
    class_name: str
    given: int = 0
    substituted: int = 0


@dataclass
class TeacherHours:
    teacher_id: int
    name: str
    plan: int = 0
    given: int = 0
    substituted: int = 0
    replaced: int = 0
    cancelled: int = 0
    extra: int = 0
    moved: int = 0
    without_topic: int = 0
    upcoming: int = 0
    by_day: Counter[dt.date] = field(default_factory=Counter)
    substituted_by_day: Counter[dt.date] = field(default_factory=Counter)
    given_ids: list[int] = field(default_factory=list)
    lines: dict[tuple[str, str], SubjectLine] = field(default_factory=dict)

    @property
    def difference(self) -> int:
        return self.given - self.plan

    def figure(self, key: str) -> int:
        value: int = getattr(self, key)
        return value

    def subject_lines(self) -> list[SubjectLine]:
        return sorted(self.lines.values(), key=lambda line: (line.subject, _class_order(line.class_name)))

    def snapshot(self) -> dict[str, Any]:
        """The figures as a confirmation keeps them (JSON): totals, hours per day, the lessons counted."""
        return {
            **{key: self.figure(key) for key, _ in FIGURES if key not in ("difference", "upcoming")},
            "days": {day.isoformat(): count for day, count in sorted(self.by_day.items())},
            "lessons": sorted(self.given_ids),
        }


@dataclass
class Confirmation:
    confirmed_at: dt.datetime
    confirmed_by: str
    figures: dict[str, Any]
    discrepancies: list[str]


@dataclass
class HoursFigures:
    span: Span
    today: dt.date
    counted_to: dt.date | None  # the last day counted (yesterday), None when the span has not begun
    teachers: list[TeacherHours]
    lessons: list[LessonLine] = field(default_factory=list)  # only when one teacher is read
    confirmations: dict[int, Confirmation] = field(default_factory=dict)  # months only

    @property
    def is_month(self) -> bool:
        return self.span.kind == "month"

    def total(self, key: str) -> int:
        return sum(t.figure(key) for t in self.teachers)

    def days(self) -> list[dt.date]:
        return list(daterange(self.span.start, self.span.end))


def _class_order(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


def _name(last: str, first: str, middle: str) -> str:
    initials = " ".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}".strip()


def hours_figures(
    *, school_id: int, span: Span, today: dt.date, teacher_id: int | None = None, with_lessons: bool = False
) -> HoursFigures:
    """Every teacher of the school (teacher_id None) or one teacher, over the span; the caller has checked
    access (access.hours.hours_teacher). A teacher id that is nobody's of this school is a 404."""
    grades = (span.period.scheme.grade_from, span.period.scheme.grade_to) if span.period else (1, 11)
    people = User.objects.filter(school_id=school_id)
    if teacher_id is not None:
        people = people.filter(pk=teacher_id).filter(
            Q(role_grants__role=Role.TEACHER) | Q(assignments__isnull=False) | Q(substitutions__isnull=False)
        )
    else:
        people = people.filter(role_grants__role=Role.TEACHER, is_active=True)
    names = {
        pk: _name(last, first, middle)
        for pk, last, first, middle in people.distinct().values_list("pk", "last_name", "first_name", "middle_name")
    }
    if teacher_id is not None and teacher_id not in names:
        raise NotFound()

    lessons = Lesson.objects.filter(
        school_id=school_id,
        date__range=(span.start, span.end),
        class_group__grade__gte=grades[0],
        class_group__grade__lte=grades[1],
    )
    if teacher_id is not None:
        lessons = lessons.filter(Q(teacher_id=teacher_id) | Q(substitute_id=teacher_id))
    rows = list(
        lessons.order_by("date", "number", "class_group__grade", "class_group__letter").values_list(
            "pk",
            "date",
            "number",
            "teacher_id",
            "substitute_id",
            "status",
            "origin",
            "moved_from",
            "topic",
            "subject__name",
            "class_group__grade",
            "class_group__letter",
            "subgroup__name",
        )
    )
    plan = _plan(school_id=school_id, span=span, grades=grades, teacher_id=teacher_id)
    # A former teacher (no role now) who gave or was planned lessons in the span still gets their row.
    missing = {t for row in rows for t in (row[3], row[4]) if t is not None} | set(plan)
    missing -= set(names)
    if teacher_id is None and missing:
        names.update(
            (pk, _name(last, first, middle))
            for pk, last, first, middle in User.objects.filter(school_id=school_id, pk__in=missing).values_list(
                "pk", "last_name", "first_name", "middle_name"
            )
        )
    hours = {pk: TeacherHours(teacher_id=pk, name=name, plan=plan.get(pk, 0)) for pk, name in names.items()}
    detail: list[LessonLine] = []
    for pk, day, number, teacher, substitute, status, origin, moved_from, topic, subject, grade, letter, sub in rows:
        class_name = f"{grade}{letter}" + (f" ({sub})" if sub else "")
        giver = substitute or teacher
        cancelled = status == LessonStatus.CANCELLED
        past = day < today
        if cancelled:
            if teacher in hours:
                hours[teacher].cancelled += 1
        elif past:
            g = hours.get(giver)
            if g is not None:
                g.given += 1
                g.by_day[day] += 1
                g.given_ids.append(pk)
                line = g.lines.setdefault((subject, class_name), SubjectLine(subject, class_name))
                line.given += 1
                if substitute:
                    g.substituted += 1
                    g.substituted_by_day[day] += 1
                    line.substituted += 1
                g.extra += origin == LessonOrigin.EXTRA
                g.moved += origin == LessonOrigin.MOVED
                g.without_topic += not topic
            if substitute and teacher in hours:
                hours[teacher].replaced += 1
        elif giver in hours:
            hours[giver].upcoming += 1
        if with_lessons and teacher_id is not None:
            detail.append(
                LessonLine(
                    id=pk,
                    date=day,
                    number=number,
                    class_name=class_name,
                    subject=subject,
                    kind=_kind(teacher_id, teacher, substitute, cancelled, past, origin, moved_from),
                    topic=topic,
                    counted=not cancelled and past and giver == teacher_id,
                )
            )
    if with_lessons and teacher_id is not None and detail:
        # The names of the other side of a замена, for the drill-down only (one query).
        others = {t for row in rows for t in (row[3], row[4]) if t is not None and t != teacher_id}
        other_names = {
            pk: _name(last, first, middle)
            for pk, last, first, middle in User.objects.filter(school_id=school_id, pk__in=others).values_list(
                "pk", "last_name", "first_name", "middle_name"
            )
        }
        detail = [_with_names(line, other_names) for line in detail]
    teachers = sorted(hours.values(), key=lambda t: t.name)
    last = today - dt.timedelta(days=1)
    counted_to = min(span.end, last) if last >= span.start else None
    figures = HoursFigures(span=span, today=today, counted_to=counted_to, teachers=teachers, lessons=detail)
    if span.kind == "month":
        figures.confirmations = _confirmations(school_id, span.start, hours, teacher_id)
    return figures


def _kind(
    reader: int,
    teacher: int,
    substitute: int | None,
    cancelled: bool,
    past: bool,
    origin: str,
    moved_from: dt.date | None,
) -> str:
    """The lesson as the reader's hours see it; «{teacher}»/«{substitute}» are filled in by _with_names."""
    if cancelled:
        parts = ["отменён"]
    elif substitute == reader:
        parts = ["замена за {teacher}"]
    elif substitute:
        parts = ["заменён: провёл(а) {substitute}"]
    elif origin == LessonOrigin.EXTRA:
        parts = ["дополнительный"]
    else:
        parts = ["по расписанию"]
    if origin == LessonOrigin.MOVED and moved_from:
        parts.append(f"перенесён с {ru_date(moved_from)}")
    if not cancelled and not past:
        parts.append("ещё впереди")
    return "; ".join(parts).replace("{teacher}", f"{{t{teacher}}}").replace("{substitute}", f"{{t{substitute}}}")


def _with_names(line: LessonLine, names: dict[int, str]) -> LessonLine:
    kind = line.kind
    for pk, name in names.items():
        kind = kind.replace(f"{{t{pk}}}", name)
    return LessonLine(**{**line.__dict__, "kind": kind})


def _plan(*, school_id: int, span: Span, grades: tuple[int, int], teacher_id: int | None) -> dict[int, int]:
    """Lessons the weekly grid plans per assigned teacher over the span (module docstring)."""
    years = list(AcademicYear.objects.filter(school_id=school_id, start__lte=span.end, end__gte=span.start))
    if not years:
        return {}
    slots = TimetableSlot.objects.filter(
        school_id=school_id,
        year__in=years,
        assignment__class_group__grade__gte=grades[0],
        assignment__class_group__grade__lte=grades[1],
    )
    if teacher_id is not None:
        slots = slots.filter(assignment__teacher_id=teacher_id)
    by_year: dict[int, list[tuple[int, int, dt.date, dt.date | None, int]]] = defaultdict(list)
    for year_id, weekday, teacher, start, end, grade in slots.values_list(
        "year_id",
        "weekday",
        "assignment__teacher_id",
        "assignment__start",
        "assignment__end",
        "assignment__class_group__grade",
    ):
        by_year[year_id].append((weekday, teacher, start, end, grade))
    plan: Counter[int] = Counter()
    for year in years:
        if not by_year.get(year.pk):
            continue
        calendar = SchoolDays.of(year)
        school_day: dict[tuple[dt.date, int], bool] = {}
        for day in daterange(max(span.start, year.start), min(span.end, year.end)):
            weekday = day.isoweekday()
            for slot_weekday, teacher, start, end, grade in by_year[year.pk]:
                if slot_weekday != weekday or day < start or (end is not None and day > end):
                    continue
                key = (day, grade)
                if key not in school_day:
                    school_day[key] = calendar.is_school_day(day, grade)
                if school_day[key]:
                    plan[teacher] += 1
    return dict(plan)


def _confirmations(
    school_id: int, month: dt.date, hours: dict[int, TeacherHours], teacher_id: int | None
) -> dict[int, Confirmation]:
    """The latest confirmation of each teacher for the month, with what changed since."""
    rows = MonthConfirmation.objects.filter(school_id=school_id, month=month)
    if teacher_id is not None:
        rows = rows.filter(teacher_id=teacher_id)
    latest: dict[int, Confirmation] = {}
    for teacher, at, last, first, middle, confirmed in rows.order_by("confirmed_at", "pk").values_list(
        "teacher_id",
        "confirmed_at",
        "confirmed_by__last_name",
        "confirmed_by__first_name",
        "confirmed_by__middle_name",
        "figures",
    ):
        current = hours.get(teacher)
        latest[teacher] = Confirmation(
            confirmed_at=at,
            confirmed_by=_name(last, first, middle),
            figures=confirmed,
            discrepancies=discrepancies(confirmed, current.snapshot()) if current else [],
        )
    return latest


def discrepancies(confirmed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between the figures a teacher confirmed and the figures now, in Russian; [] when none."""
    notes = [
        f"{title}: подтверждено {confirmed.get(key, 0)}, сейчас {current[key]}"
        for key, title in FIGURES
        if key in current and confirmed.get(key, 0) != current[key]
    ]
    was, now = set(confirmed.get("lessons", [])), set(current["lessons"])
    if was - now:
        notes.append(f"уроков из подтверждённых больше не засчитано: {len(was - now)}")
    if now - was:
        notes.append(f"засчитано уроков, которых не было при подтверждении: {len(now - was)}")
    days_was, days_now = confirmed.get("days", {}), current["days"]
    changed = sorted(d for d in set(days_was) | set(days_now) if days_was.get(d, 0) != days_now.get(d, 0))
    if changed:
        notes.append("изменились часы за " + ", ".join(ru_date(dt.date.fromisoformat(d)) for d in changed))
    return notes
