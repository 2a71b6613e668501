"""Curriculum's checks on calendar changes, reached through the schools services' hooks (schools.signals)."""

import datetime as dt

import pytest

from ejournal.core.errors import ValidationFailed
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.schools import services as schools

d = dt.date


@pytest.fixture
def mondays(small_school):
    s = small_school
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    return s


def test_a_year_cannot_shrink_past_a_lesson(mondays):
    s = mondays
    end = s.year.end
    schools.update_year(actor=s.admin, year=s.year, name=s.year.name, start=s.year.start, end=d(2027, 5, 31))
    # A lesson after the last period (moved there by hand): only the lesson keeps the year from shrinking back.
    last = Lesson.objects.filter(class_group=s.class_5a).latest("date")
    Lesson.objects.filter(pk=last.pk).update(date=d(2027, 5, 28))
    with pytest.raises(ValidationFailed, match=r"урок 28\.05\.2027 в 5А окажется вне года"):
        schools.update_year(actor=s.admin, year=s.year, name=s.year.name, start=s.year.start, end=end)
    s.year.refresh_from_db()
    assert s.year.end == d(2027, 5, 31)


def test_a_holiday_removes_empty_lessons_and_keeps_the_holiday_off_written_ones(mondays):
    s = mondays
    schools.add_holiday(actor=s.admin, year=s.year, name="Карантин", start=d(2026, 12, 7), end=d(2026, 12, 13))
    assert not Lesson.objects.filter(class_group=s.class_5a, date=d(2026, 12, 7)).exists()
    Lesson.objects.filter(class_group=s.class_5a, date=d(2026, 12, 14)).update(topic="Дроби")
    with pytest.raises(ValidationFailed, match=r"на 14\.12\.2026 в 5А уже записан урок «Математика»"):
        schools.add_holiday(actor=s.admin, year=s.year, name="Ещё", start=d(2026, 12, 14), end=d(2026, 12, 20))
    assert not s.year.holidays.filter(name="Ещё").exists()


def test_the_hooks_are_connected_once():
    from ejournal.schools import signals

    # ready() may run more than once in a process (tests, management commands): dispatch_uid keeps one receiver.
    assert len(signals.year_dates_changing.receivers) == 1
    assert len(signals.days_closing.receivers) == 1
