"""The three reports on a generated demo school, cross-checked against independent computations: the class
teacher's absence count (journal/absences.py), plain ORM counts of lessons, topics, homework and records,
the deadline flag the generator stored with each mark (Mark.is_late), and the КТП hours and lessons given."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from ejournal.curriculum.models import Lesson, LessonStatus, TeachingAssignment
from ejournal.demo.generator import generate
from ejournal.journal.absences import missed_in_class
from ejournal.journal.models import Attendance, Homework, Mark
from ejournal.journal.tests.conftest import set_clock
from ejournal.reports.attendance import attendance_figures
from ejournal.reports.execution import program_execution
from ejournal.reports.keeping import keeping_analysis
from ejournal.reports.keeping_spans import parse_span, school_calendar
from ejournal.schools.models import ClassGroup

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def demo(monkeypatch):
    set_clock(monkeypatch, TODAY)
    return generate(7, grades=(1, 5, 10), classes_per_parallel=2, students_per_class=6, today=TODAY)


def run(selector, user, params, default="month", **kwargs):
    calendar = school_calendar(user)
    return selector(user=user, calendar=calendar, span=parse_span(calendar, params, default=default), **kwargs)


def test_attendance_agrees_with_the_class_teachers_count(demo):
    deputy = demo.users["deputy"]
    start, end = dt.date(2026, 9, 1), TODAY
    figures = run(attendance_figures, deputy, {"start": start.isoformat(), "end": end.isoformat()})
    assert figures.total.missed.lessons > 0
    for line in figures.lines:
        expected = missed_in_class(ClassGroup.objects.get(pk=line.id), start, end)
        assert line.missed.lessons == sum(m.lessons for m in expected.values()), line.name
        assert line.missed.days == sum(m.days for m in expected.values()), line.name
        by_code: Counter[str] = Counter()
        for m in expected.values():
            by_code.update(m.days_by_code)
        assert dict(line.missed.days_by_code) == dict(by_code), line.name


def test_journal_keeping_agrees_with_plain_counts(demo):
    deputy = demo.users["deputy"]
    analysis = run(keeping_analysis, deputy, {"month": "2026-10"})
    lessons = Lesson.objects.filter(
        school=demo.school, date__range=(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), status=LessonStatus.PLANNED
    ).annotate(giver=Coalesce("substitute_id", "teacher_id"))
    expected = {
        "lessons": Counter(lessons.values_list("giver", flat=True)),
        "with_topic": Counter(lessons.exclude(topic="").values_list("giver", flat=True)),
        "with_homework": Counter(
            lessons.filter(Exists(Homework.objects.filter(lesson=OuterRef("pk")))).values_list("giver", flat=True)
        ),
        "no_record": Counter(
            lessons.filter(topic="")
            .exclude(Exists(Attendance.objects.filter(lesson=OuterRef("pk"))))
            .exclude(Exists(Mark.objects.filter(lesson=OuterRef("pk"))))
            .values_list("giver", flat=True)
        ),
        "marks": Counter(
            Mark.objects.filter(lesson__in=lessons.values("pk"))
            .annotate(giver=Coalesce(F("lesson__substitute_id"), F("lesson__teacher_id")))
            .values_list("giver", flat=True)
        ),
        # The generator decides by itself which marks it enters after the deadline.
        "late_marks": Counter(
            Mark.objects.filter(lesson__in=lessons.values("pk"), is_late=True)
            .annotate(giver=Coalesce(F("lesson__substitute_id"), F("lesson__teacher_id")))
            .values_list("giver", flat=True)
        ),
    }
    assert sum(expected["late_marks"].values()) > 0
    for field, counts in expected.items():
        assert {line.id: getattr(line.figures, field) for line in analysis.lines if getattr(line.figures, field)} == (
            dict(counts)
        ), field


def test_program_execution_agrees_with_plain_counts(demo):
    deputy = demo.users["deputy"]
    analysis = run(program_execution, deputy, {}, default="year")  # the year up to today
    assignments = TeachingAssignment.objects.filter(school=demo.school, start__lte=TODAY).filter(
        Q(end__isnull=True) | Q(end__gte=demo.year.start)
    )
    given = {
        a.pk: a.given
        for a in assignments.annotate(
            given=Count("lessons", filter=Q(lessons__status=LessonStatus.PLANNED, lessons__date__lte=TODAY))
        )
    }
    ktp = {a.pk: a.hours or 0 for a in assignments.annotate(hours=Sum("planned_topics__hours"))}
    lines = {line.id: line for line in analysis.lines}
    assert set(lines) == set(given)
    for pk, line in lines.items():
        assert line.figures.given == given[pk]
        assert line.figures.ktp_hours == ktp[pk]
        assert line.figures.plan <= line.figures.ktp_hours or not line.has_ktp
