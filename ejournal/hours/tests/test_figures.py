"""The figures of November in the hand-changed school (conftest): plan, given, замены, cancelled, extra."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.core.errors import NotFound
from ejournal.hours.figures import hours_figures
from ejournal.reports.keeping_spans import Span, month_span
from ejournal.schools.models import Period

from .conftest import NOVEMBER, TODAY, Changed

pytestmark = pytest.mark.django_db


def november() -> Span:
    start, end = month_span(NOVEMBER)
    return Span(start, end, "ноябрь 2026", "month")


def by_teacher(changed: Changed, **kwargs: object):
    figures = hours_figures(school_id=changed.s.school.pk, span=november(), today=TODAY, **kwargs)  # type: ignore[arg-type]
    return figures, {t.teacher_id: t for t in figures.teachers}


def test_month_figures_per_teacher(changed: Changed) -> None:
    s = changed.s
    figures, hours = by_teacher(changed)
    math, russian = hours[s.teacher.pk], hours[s.teacher2.pk]
    assert (math.plan, math.given, math.replaced, math.cancelled, math.extra, math.substituted) == (7, 6, 1, 1, 1, 0)
    assert math.without_topic == 5
    assert math.difference == -1
    assert (russian.plan, russian.given, russian.substituted, russian.replaced, russian.cancelled) == (4, 5, 1, 0, 0)
    # Everyone with the teacher role has a line, with nothing given too.
    assert hours[s.class_teacher.pk].given == 0
    assert figures.total("given") == 11
    assert figures.total("plan") == 11
    # Hours per day: the замена counts on teacher2's day, the extra lesson on teacher's Friday.
    assert math.by_day[dt.date(2026, 11, 16)] == 0
    assert russian.by_day[dt.date(2026, 11, 16)] == 1
    assert russian.substituted_by_day == {dt.date(2026, 11, 16): 1}
    assert math.by_day[dt.date(2026, 11, 20)] == 1
    assert sum(math.by_day.values()) == math.given
    assert figures.counted_to == dt.date(2026, 11, 30)


def test_lines_by_subject_and_class(changed: Changed) -> None:
    s = changed.s
    _, hours = by_teacher(changed)
    lines = {(x.subject, x.class_name): (x.given, x.substituted) for x in hours[s.teacher2.pk].subject_lines()}
    assert lines == {(s.math.name, "5А"): (1, 1), (s.russian.name, "5А"): (4, 0)}


def test_a_lesson_not_yet_given_is_not_counted(changed: Changed) -> None:
    s = changed.s
    # On 24.11 (Tuesday) the day's lessons are still ahead: only what lies before that day counts.
    figures = hours_figures(
        school_id=s.school.pk, span=november(), today=dt.date(2026, 11, 24), teacher_id=s.teacher2.pk
    )
    russian = figures.teachers[0]
    assert (russian.given, russian.upcoming) == (4, 1)  # 3 Tuesdays + the замена; 24.11 ahead
    assert figures.counted_to == dt.date(2026, 11, 23)


def test_drill_down_lists_every_lesson_with_its_kind(changed: Changed) -> None:
    s = changed.s
    figures, _ = by_teacher(changed, teacher_id=s.teacher.pk, with_lessons=True)
    kinds = {x.date: (x.kind, x.counted) for x in figures.lessons}
    assert kinds[dt.date(2026, 11, 16)] == (f"заменён: провёл(а) {s.teacher2.short_name}", False)
    assert kinds[dt.date(2026, 11, 18)] == ("отменён", False)
    assert kinds[dt.date(2026, 11, 20)] == ("дополнительный", True)
    assert kinds[dt.date(2026, 11, 23)] == ("по расписанию", True)
    topics = {x.date: x.topic for x in figures.lessons}
    assert topics[dt.date(2026, 11, 23)] == "Дроби"
    assert sum(x.counted for x in figures.lessons) == figures.teachers[0].given
    other, _ = by_teacher(changed, teacher_id=s.teacher2.pk, with_lessons=True)
    assert {x.kind for x in other.lessons if x.date == dt.date(2026, 11, 16)} == {f"замена за {s.teacher.short_name}"}


def test_period_covers_its_grades_only(changed: Changed) -> None:
    s = changed.s
    q2 = Period.objects.get(scheme__year=s.year, scheme__grade_from=1, number=2)
    h1 = Period.objects.get(scheme__year=s.year, scheme__grade_from=10, number=1)
    span = Span(q2.start, q2.end, "2 четверть", "period", q2)
    figures = hours_figures(school_id=s.school.pk, span=span, today=TODAY, teacher_id=s.teacher.pk)
    # 03.11–09.12 (today is 10.12): math Mondays 9, 16, 23, 30.11, 7.12 and Wednesdays 11, 18, 25.11, 2, 9.12
    assert figures.teachers[0].given == 5 + 5 - 1 - 1 + 1  # − replaced, − cancelled, + extra
    # The plan is the whole quarter's: Mondays 9.11–28.12 (8) and Wednesdays 11.11–30.12 (8).
    assert figures.teachers[0].plan == 16
    # 5А is no class of the half-year band: nothing there.
    halves = hours_figures(school_id=s.school.pk, span=Span(h1.start, h1.end, "1 полугодие", "period", h1), today=TODAY)
    assert halves.total("given") == 0 and halves.total("plan") == 0
    assert not halves.confirmations


def test_a_teacher_of_another_school_is_not_found(changed: Changed, other_school) -> None:
    with pytest.raises(NotFound):
        hours_figures(school_id=changed.s.school.pk, span=november(), today=TODAY, teacher_id=other_school.teacher.pk)


def test_figures_read_in_a_fixed_number_of_queries(changed_school_of, django_assert_max_num_queries) -> None:
    small = changed_school_of("Школа малая")
    with django_assert_max_num_queries(8):
        hours_figures(school_id=small.s.school.pk, span=november(), today=TODAY)
    big = changed_school_of("Школа большая")
    for n in range(6):
        big.s.person(f"Учителев{n}", "Иван", "teacher")
    with django_assert_max_num_queries(8):
        hours_figures(school_id=big.s.school.pk, span=november(), today=TODAY)
