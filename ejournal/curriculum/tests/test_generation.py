import datetime as dt

import pytest

from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.curriculum import services
from ejournal.curriculum.models import Lesson, LessonOrigin, LessonStatus, TimetableSlot
from ejournal.curriculum.services import Calendar
from ejournal.schools import services as schools
from ejournal.schools.models import Holiday, Period, PeriodKind


def test_weekly_slot_becomes_dated_lessons_skipping_holidays(small_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=2)
    result = services.generate_lessons(actor=s.admin, year=s.year)
    dates = list(Lesson.objects.filter(assignment=s.math_5a).values_list("date", flat=True))
    assert result.created == len(dates) > 25
    assert all(d.isoweekday() == 1 for d in dates)
    assert dt.date(2026, 10, 26) not in dates  # autumn holidays
    assert dt.date(2026, 9, 7) in dates
    again = services.generate_lessons(actor=s.admin, year=s.year)
    assert again.created == 0 and again.removed == 0


# --- grade bands, holidays, periods; changes that survive regeneration --------------------------------------


def _dates(assignment):
    return set(Lesson.objects.filter(assignment=assignment).values_list("date", flat=True))


def _math_10a(s):
    return services.create_assignment(actor=s.admin, teacher=s.teacher2, class_group=s.class_10a, subject=s.math)


def test_both_bands_get_lessons_only_inside_their_periods_and_never_on_holidays(small_school):
    s = small_school
    math_10a = _math_10a(s)
    for a in (s.math_5a, math_10a):
        for weekday in range(1, 6):
            services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=weekday, number=3)
    services.generate_lessons(actor=s.admin, year=s.year)
    holidays = list(Holiday.objects.filter(year=s.year))
    for a, grade in ((s.math_5a, 5), (math_10a, 10)):
        periods = [
            p for p in Period.objects.filter(scheme__year=s.year).select_related("scheme") if p.scheme.covers(grade)
        ]
        dates = _dates(a)
        assert len(dates) > 150
        for day in dates:
            assert any(p.start <= day <= p.end for p in periods), day
            assert not any(h.covers(day, grade) for h in holidays), day
        assert min(dates) == dt.date(2026, 9, 1) and max(dates) == dt.date(2027, 5, 26)
        for day in (
            dt.date(2026, 11, 2),
            dt.date(2026, 11, 4),
            dt.date(2027, 1, 11),
            dt.date(2027, 2, 23),
            dt.date(2027, 3, 8),
            dt.date(2027, 4, 1),
        ):
            assert day not in dates
    # The default calendar: quarters and half-years meet at the holidays, so both bands study the same days.
    assert _dates(s.math_5a) == _dates(math_10a)


def test_a_period_boundary_of_one_band_does_not_stop_the_other(small_school):
    s = small_school
    math_10a = _math_10a(s)
    # Grades 10–11 end their first half-year on Friday 25 December; quarters 1–9 run to 30 December.
    schools.set_period_scheme(
        actor=s.admin,
        year=s.year,
        kind=PeriodKind.HALF_YEAR,
        grade_from=10,
        grade_to=11,
        spans=[(dt.date(2026, 9, 1), dt.date(2026, 12, 25)), (dt.date(2027, 1, 12), dt.date(2027, 5, 26))],
    )
    for a in (s.math_5a, math_10a):
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=1, number=4)
    services.generate_lessons(actor=s.admin, year=s.year)
    monday = dt.date(2026, 12, 28)
    assert monday in _dates(s.math_5a)
    assert monday not in _dates(math_10a)
    assert dt.date(2026, 12, 21) in _dates(math_10a)
    calendar = Calendar.of(s.year)
    assert calendar.is_school_day(monday, 5) and not calendar.is_school_day(monday, 10)
    # Moving a 10А lesson there is refused for the same reason.
    lesson = Lesson.objects.get(assignment=math_10a, date=dt.date(2026, 12, 21))
    with pytest.raises(ValidationFailed, match=r"28\.12\.2026 не входит ни в один учебный период 10А"):
        services.move_lesson(actor=s.admin, lesson=lesson, day=monday, number=4)


def test_a_holiday_of_one_band_only(small_school):
    s = small_school
    math_10a = _math_10a(s)
    schools.add_holiday(
        actor=s.admin,
        year=s.year,
        name="Учебные сборы",
        start=dt.date(2027, 5, 17),
        end=dt.date(2027, 5, 23),
        grade_from=10,
        grade_to=11,
    )
    for a in (s.math_5a, math_10a):
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=1, number=4)
    services.generate_lessons(actor=s.admin, year=s.year)
    assert dt.date(2027, 5, 17) in _dates(s.math_5a)
    assert dt.date(2027, 5, 17) not in _dates(math_10a)


def test_grade_one_has_its_february_week(small_school):
    s = small_school
    first = schools.create_class(actor=s.admin, year=s.year, grade=1, letter="А")
    math_1a = services.create_assignment(actor=s.admin, teacher=s.class_teacher, class_group=first, subject=s.math)
    for a in (s.math_5a, math_1a):
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=1, number=1)
    services.generate_lessons(actor=s.admin, year=s.year)
    february = {dt.date(2027, 2, 15) + dt.timedelta(days=i) for i in range(7)}
    assert not february & _dates(math_1a)
    assert dt.date(2027, 2, 15) in _dates(s.math_5a)
    assert len(_dates(math_1a)) == len(_dates(s.math_5a)) - 1
    with pytest.raises(ValidationFailed, match="Дополнительные каникулы 1 класса для 1А"):
        services.add_extra_lesson(actor=s.admin, assignment=math_1a, day=dt.date(2027, 2, 16), number=2)


def test_assignment_dates_bound_the_lessons(small_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    services.end_assignment(actor=s.admin, assignment=s.math_5a, last_day=dt.date(2026, 12, 30))
    successor = services.create_assignment(
        actor=s.admin, teacher=s.class_teacher, class_group=s.class_5a, subject=s.math, start=dt.date(2027, 1, 12)
    )
    # The ended assignment's slot does not block the successor's in the same cell.
    services.set_slot(actor=s.admin, year=s.year, assignment=successor, weekday=1, number=1)
    services.generate_lessons(actor=s.admin, year=s.year)
    assert max(_dates(s.math_5a)) <= dt.date(2026, 12, 30)
    assert min(_dates(successor)) == dt.date(2027, 1, 18)
    # While both run, the cell is still taken.
    overlapping = services.create_assignment(
        actor=s.admin,
        teacher=s.teacher2,
        class_group=s.class_5a,
        subject=s.math,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 25),
    )
    with pytest.raises(ValidationFailed, match="у 5А уже стоит «Математика»"):
        services.set_slot(actor=s.admin, year=s.year, assignment=overlapping, weekday=1, number=1)


def test_moved_cancelled_and_written_lessons_survive_regeneration(small_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    services.generate_lessons(actor=s.admin, year=s.year)
    moved = Lesson.objects.get(assignment=s.math_5a, date=dt.date(2026, 9, 14))
    services.move_lesson(actor=s.admin, lesson=moved, day=dt.date(2026, 9, 16), number=6)
    cancelled = Lesson.objects.get(assignment=s.math_5a, date=dt.date(2026, 9, 21))
    services.cancel_lesson(actor=s.admin, lesson=cancelled, note="карантин")
    Lesson.objects.filter(assignment=s.math_5a, date=dt.date(2026, 9, 28)).update(topic="Дроби")
    again = services.generate_lessons(actor=s.admin, year=s.year)
    assert again.created == 0 and again.removed == 0
    assert not Lesson.objects.filter(assignment=s.math_5a, date=dt.date(2026, 9, 14)).exists()
    assert Lesson.objects.get(pk=cancelled.pk).status == LessonStatus.CANCELLED
    # The grid moves math to Tuesday: empty Monday lessons go, the written one and the moved one stay.
    TimetableSlot.objects.filter(assignment=s.math_5a).delete()
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=2, number=1)
    result = services.generate_lessons(actor=s.admin, year=s.year)
    assert result.removed > 25 and result.created > 25
    assert Lesson.objects.filter(assignment=s.math_5a, date=dt.date(2026, 9, 28), topic="Дроби").exists()
    assert Lesson.objects.get(pk=moved.pk).origin == LessonOrigin.MOVED


def test_an_extra_lesson_where_the_grid_later_puts_the_same_assignment(small_school):
    s = small_school
    extra = services.add_extra_lesson(actor=s.admin, assignment=s.math_5a, day=dt.date(2026, 9, 15), number=2)
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=2, number=2)
    services.generate_lessons(actor=s.admin, year=s.year)  # must not make a second lesson at that place
    assert Lesson.objects.filter(assignment=s.math_5a, date=dt.date(2026, 9, 15), number=2).get() == extra


def test_a_room_changed_in_the_grid_reaches_existing_lessons(small_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1, room="12")
    services.generate_lessons(actor=s.admin, year=s.year)
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1, room="7")
    result = services.generate_lessons(actor=s.admin, year=s.year, since=dt.date(2027, 1, 1))
    assert result.created == 0
    rooms = dict(Lesson.objects.filter(assignment=s.math_5a).values_list("date", "room"))
    assert rooms[dt.date(2026, 12, 28)] == "12" and rooms[dt.date(2027, 1, 18)] == "7"


def test_generation_is_for_management_of_the_school_only(small_school, other_school):
    s = small_school
    for user in (s.teacher, s.director, other_school.admin):
        with pytest.raises(NotFound):
            services.generate_lessons(actor=user, year=s.year)
    with pytest.raises(ValidationFailed, match="другому учебному году"):
        other_year = schools.create_year(
            actor=s.admin, school=s.school, name="2027/2028", start=dt.date(2027, 9, 1), end=dt.date(2028, 5, 26)
        )
        services.generate_lessons(actor=s.admin, year=other_year, class_group=s.class_5a)


def test_the_grid_does_not_double_book_a_teacher_held_by_an_extra_lesson(small_school):
    """An extra lesson of another assignment holds its teacher: a later grid change does not put a lesson there."""
    s = small_school
    monday = dt.date(2026, 12, 7)
    extra = services.add_extra_lesson(actor=s.admin, assignment=s.math_5a, day=monday, number=5)
    math_10a = services.create_assignment(actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=s.math)
    services.set_slot(actor=s.admin, year=s.year, assignment=math_10a, weekday=1, number=5)
    result = services.generate_lessons(actor=s.admin, year=s.year)
    assert result.skipped == 1
    at_that_time = Lesson.objects.filter(date=monday, number=5, status=LessonStatus.PLANNED)
    assert list(at_that_time) == [extra]
    assert Lesson.objects.filter(assignment=math_10a, date=dt.date(2026, 12, 14), number=5).exists()
