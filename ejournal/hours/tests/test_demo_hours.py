"""The hours of the demo school cross-checked against an independent computation written out plainly here:
model instances and loops over the timetable, the calendar and every lesson, instead of hours_figures's
grouped rows. The demo has a teacher ill for three days (замены), a cancelled lesson and an extra one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from ejournal.curriculum.models import Lesson, LessonOrigin, LessonStatus, TimetableSlot
from ejournal.demo.generator import generate
from ejournal.hours.figures import hours_figures
from ejournal.reports.keeping_spans import Span, month_span
from ejournal.schools.models import Holiday, Period

TODAY = dt.date(2026, 11, 20)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(17, grades=(1, 5, 10), classes_per_parallel=1, students_per_class=3, today=TODAY)
        transaction.set_rollback(True)


def plain_hours(school, start: dt.date, end: dt.date, grades: tuple[int, int]) -> dict[int, dict[str, object]]:
    """Per teacher: plan, given, substituted, replaced, cancelled, extra, given per day — by plain loops."""
    periods = list(Period.objects.filter(school=school).select_related("scheme"))
    holidays = list(Holiday.objects.filter(school=school))

    def school_day(day: dt.date, grade: int) -> bool:
        in_period = any(p.start <= day <= p.end and p.scheme.grade_from <= grade <= p.scheme.grade_to for p in periods)
        on_holiday = any(h.start <= day <= h.end and h.grade_from <= grade <= h.grade_to for h in holidays)
        return in_period and not on_holiday

    out: dict[int, dict[str, object]] = {}

    def of(teacher_id: int) -> dict[str, object]:
        return out.setdefault(
            teacher_id,
            {"plan": 0, "given": 0, "substituted": 0, "replaced": 0, "cancelled": 0, "extra": 0, "days": Counter()},
        )

    for slot in TimetableSlot.objects.filter(school=school).select_related("assignment__class_group", "year"):
        a = slot.assignment
        grade = a.class_group.grade
        if not grades[0] <= grade <= grades[1]:
            continue
        day = start
        while day <= end:
            if (
                day.isoweekday() == slot.weekday
                and slot.year.start <= day <= slot.year.end
                and a.start <= day
                and (a.end is None or day <= a.end)
                and school_day(day, grade)
            ):
                of(a.teacher_id)["plan"] += 1  # type: ignore[operator]
            day += dt.timedelta(days=1)
    for lesson in Lesson.objects.filter(school=school).select_related("class_group"):
        if not (start <= lesson.date <= end and grades[0] <= lesson.class_group.grade <= grades[1]):
            continue
        if lesson.status == LessonStatus.CANCELLED:
            of(lesson.teacher_id)["cancelled"] += 1  # type: ignore[operator]
            continue
        if lesson.date >= TODAY:
            continue
        giver = lesson.substitute_id or lesson.teacher_id
        of(giver)["given"] += 1  # type: ignore[operator]
        of(giver)["days"][lesson.date] += 1  # type: ignore[index]
        if lesson.origin == LessonOrigin.EXTRA:
            of(giver)["extra"] += 1  # type: ignore[operator]
        if lesson.substitute_id:
            of(giver)["substituted"] += 1  # type: ignore[operator]
            of(lesson.teacher_id)["replaced"] += 1  # type: ignore[operator]
    return out


def spans(school) -> list[tuple[Span, tuple[int, int]]]:
    out = []
    for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        start, end = month_span(month)
        out.append((Span(start, end, f"{month:%m.%Y}", "month"), (1, 11)))
    for period in Period.objects.filter(school=school, number=1).select_related("scheme"):
        scheme = period.scheme
        span = Span(period.start, period.end, period.name, "period", period)
        out.append((span, (scheme.grade_from, scheme.grade_to)))
    return out


def test_hours_match_the_timetable_and_replacements(demo) -> None:
    school = demo.school
    changes = demo.changes
    assert changes.substituted_lesson_ids and changes.cancelled_lesson_id and changes.extra_lesson_id
    seen_substitutions = 0
    for span, grades in spans(school):
        figures = hours_figures(school_id=school.pk, span=span, today=TODAY)
        expected = plain_hours(school, span.start, span.end, grades)
        got = {t.teacher_id: t for t in figures.teachers}
        for teacher_id, plain in expected.items():
            t = got[teacher_id]
            assert (t.plan, t.given, t.substituted, t.replaced, t.cancelled, t.extra) == (
                plain["plan"],
                plain["given"],
                plain["substituted"],
                plain["replaced"],
                plain["cancelled"],
                plain["extra"],
            ), (span.label, t.name)
            assert dict(t.by_day) == dict(plain["days"])  # type: ignore[call-overload]
        # Teachers the loops never met have nothing.
        for teacher_id, t in got.items():
            if teacher_id not in expected:
                assert t.plan == t.given == t.cancelled == 0
        if span.kind == "month":
            seen_substitutions += figures.total("substituted")
    # Every замена of the demo lies before today and is counted in exactly one month.
    assert seen_substitutions == len(changes.substituted_lesson_ids)
    cancelled = Lesson.objects.get(pk=changes.cancelled_lesson_id)
    month = Span(*month_span(cancelled.date), "", "month")
    assert hours_figures(school_id=school.pk, span=month, today=TODAY).total("cancelled") == 1


def test_plan_is_the_timetable_before_changes(demo) -> None:
    """Over September, where the demo changed nothing but replaced lessons, the plan of the school equals the
    lessons the timetable made (substituted ones included), and given = plan less what is still ahead."""
    school = demo.school
    start, end = month_span(dt.date(2026, 9, 1))
    figures = hours_figures(school_id=school.pk, span=Span(start, end, "", "month"), today=TODAY)
    made = Lesson.objects.filter(school=school, date__range=(start, end), origin=LessonOrigin.TIMETABLE).count()
    moved_away = Lesson.objects.filter(school=school, moved_from__range=(start, end)).count()
    assert figures.total("plan") == made + moved_away
