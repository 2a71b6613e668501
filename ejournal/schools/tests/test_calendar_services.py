"""Services of the calendar: years, period schemes and holidays; each broken rule names the place and saves nothing."""

import datetime as dt

import pytest

from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.schools import services
from ejournal.schools.calendar_defaults import recommended_year
from ejournal.schools.models import AcademicYear, Holiday, HolidayKind, Period, PeriodKind, PeriodScheme
from ejournal.schools.setup import create_year_from_spec

d = dt.date


def quarters(year: AcademicYear) -> PeriodScheme:
    return year.schemes.get(grade_from=1, grade_to=9)


def spans_of(scheme: PeriodScheme) -> list[tuple[dt.date, dt.date]]:
    return [(p.start, p.end) for p in scheme.periods.order_by("number")]


# Years


def test_recommended_year_fills_schemes_and_holidays(small_school):
    year = small_school.year
    assert [(s.kind, s.grade_from, s.grade_to, s.periods.count()) for s in year.schemes.order_by("grade_from")] == [
        (PeriodKind.QUARTER, 1, 9, 4),
        (PeriodKind.HALF_YEAR, 10, 11, 2),
    ]
    assert year.holidays.filter(kind=HolidayKind.VACATION).count() == 4
    assert year.holidays.get(grade_from=1, grade_to=1).start == d(2027, 2, 15)


def test_overlapping_year_is_refused(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match=r"пересекается с годом «2026/2027»"):
        services.create_year(actor=s.admin, school=s.school, name="2027", start=d(2027, 5, 1), end=d(2028, 5, 1))
    assert AcademicYear.objects.filter(school=s.school).count() == 1


def test_year_name_is_required_and_short(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match="Укажите название учебного года"):
        services.create_year(actor=s.admin, school=s.school, name="  ", start=d(2027, 9, 1), end=d(2028, 5, 26))
    with pytest.raises(ValidationFailed, match="длиннее 20 знаков"):
        services.create_year(actor=s.admin, school=s.school, name="x" * 21, start=d(2027, 9, 1), end=d(2028, 5, 26))


def test_year_of_the_recommended_calendar_with_other_dates_refuses_what_falls_outside(small_school):
    s = small_school
    spec = recommended_year(2027)
    short = type(spec)(spec.name, spec.start, d(2028, 5, 20), spec.schemes, spec.holidays)
    with pytest.raises(ValidationFailed, match=r"1–9 кл\.: 4 четверть .* выходит за границы учебного года 2027/2028"):
        create_year_from_spec(actor=s.admin, school=s.school, spec=short)
    assert not AcademicYear.objects.filter(school=s.school, name="2027/2028").exists()


def test_update_year_moves_its_end(small_school):
    s = small_school
    services.update_year(actor=s.admin, year=s.year, name="2026/27", start=s.year.start, end=d(2027, 6, 30))
    s.year.refresh_from_db()
    assert (s.year.name, s.year.end) == ("2026/27", d(2027, 6, 30))


def test_update_year_refuses_to_leave_a_period_outside(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match=r"4 четверть 1–9 кл\. \(06\.04\.2027–26\.05\.2027\) окажется вне года"):
        services.update_year(actor=s.admin, year=s.year, name=s.year.name, start=s.year.start, end=d(2027, 5, 20))
    s.year.refresh_from_db()
    assert s.year.end == d(2027, 5, 26)


def test_update_year_refuses_to_leave_an_enrolment_outside(small_school):
    s = small_school
    services.set_period_scheme(
        actor=s.admin,
        year=s.year,
        kind=PeriodKind.QUARTER,
        grade_from=1,
        grade_to=9,
        spans=[(d(2026, 9, 2), d(2026, 10, 24)), *spans_of(quarters(s.year))[1:]],
    )
    services.set_period_scheme(
        actor=s.admin,
        year=s.year,
        kind=PeriodKind.HALF_YEAR,
        grade_from=10,
        grade_to=11,
        spans=[(d(2026, 9, 2), d(2026, 12, 30)), (d(2027, 1, 12), d(2027, 5, 26))],
    )
    with pytest.raises(ValidationFailed, match=r"зачисление .* в 5А \(с 01\.09\.2026\) окажется вне года"):
        services.update_year(actor=s.admin, year=s.year, name=s.year.name, start=d(2026, 9, 2), end=s.year.end)


def test_teacher_and_foreign_admin_cannot_touch_the_year(small_school, other_school):
    s = small_school
    for actor in (s.teacher, s.director, other_school.admin):
        with pytest.raises(NotFound):
            services.update_year(actor=actor, year=s.year, name="x", start=s.year.start, end=s.year.end)


# Period schemes


def test_overlapping_periods_are_refused_with_the_place_named(small_school):
    s = small_school
    spans = spans_of(quarters(s.year))
    spans[1] = (d(2026, 10, 20), spans[1][1])
    with pytest.raises(ValidationFailed) as e:
        services.set_period_scheme(
            actor=s.admin, year=s.year, kind=PeriodKind.QUARTER, grade_from=1, grade_to=9, spans=spans
        )
    assert e.value.message == (
        "1–9 кл.: 2 четверть (20.10.2026–30.12.2026) пересекается с периодом 1 четверть (01.09.2026–24.10.2026)."
    )
    assert spans_of(quarters(s.year))[1] == (d(2026, 11, 3), d(2026, 12, 30))


def test_period_outside_its_year_is_refused(small_school):
    s = small_school
    spans = spans_of(quarters(s.year))
    spans[3] = (spans[3][0], d(2027, 6, 5))
    with pytest.raises(ValidationFailed, match=r"4 четверть \(06\.04\.2027–05\.06\.2027\) выходит за границы"):
        services.set_period_scheme(
            actor=s.admin, year=s.year, kind=PeriodKind.QUARTER, grade_from=1, grade_to=9, spans=spans
        )
    assert Period.objects.filter(scheme__year=s.year, end__gt=s.year.end).count() == 0


def test_period_count_follows_the_kind(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match=r"четверти — это 4 периода, указано 2"):
        services.set_period_scheme(
            actor=s.admin,
            year=s.year,
            kind=PeriodKind.QUARTER,
            grade_from=10,
            grade_to=11,
            spans=spans_of(s.year.schemes.get(grade_from=10)),
        )


def test_scheme_switches_to_trimesters(small_school):
    s = small_school
    spans = [(d(2026, 9, 1), d(2026, 11, 27)), (d(2026, 11, 30), d(2027, 2, 26)), (d(2027, 3, 1), d(2027, 5, 26))]
    services.set_period_scheme(
        actor=s.admin, year=s.year, kind=PeriodKind.TRIMESTER, grade_from=1, grade_to=9, spans=spans
    )
    scheme = quarters(s.year)
    assert scheme.kind == PeriodKind.TRIMESTER
    assert spans_of(scheme) == spans


def test_bands_of_grades_do_not_overlap(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match=r"Параллели 9–11 уже входят в схему"):
        services.set_period_scheme(
            actor=s.admin,
            year=s.year,
            kind=PeriodKind.HALF_YEAR,
            grade_from=9,
            grade_to=11,
            spans=[(d(2026, 9, 1), d(2026, 12, 30)), (d(2027, 1, 12), d(2027, 5, 26))],
        )


def test_delete_period_scheme(small_school):
    s = small_school
    scheme = s.year.schemes.get(grade_from=10)
    services.delete_period_scheme(actor=s.admin, scheme=scheme)
    assert not PeriodScheme.objects.filter(pk=scheme.pk).exists()
    assert Period.objects.filter(scheme_id=scheme.pk).count() == 0


def test_closed_period_keeps_its_dates_and_its_scheme(small_school):
    from ejournal.journal.models import PeriodClosure

    s = small_school
    scheme = quarters(s.year)
    first = scheme.periods.get(number=1)
    PeriodClosure.objects.create(
        school=s.school, period=first, closed_by=s.deputy, closed_at=dt.datetime(2026, 10, 30, tzinfo=dt.UTC)
    )
    spans = spans_of(scheme)
    spans[0] = (spans[0][0], d(2026, 10, 23))
    with pytest.raises(ValidationFailed, match=r"1 четверть \(01\.09\.2026–24\.10\.2026\) закрыт"):
        services.set_period_scheme(
            actor=s.admin, year=s.year, kind=PeriodKind.QUARTER, grade_from=1, grade_to=9, spans=spans
        )
    with pytest.raises(ValidationFailed, match=r"удалить его нельзя"):
        services.delete_period_scheme(actor=s.admin, scheme=scheme)
    assert scheme.periods.count() == 4


# Holidays


def test_add_update_and_delete_a_holiday(small_school):
    s = small_school
    h = services.add_holiday(
        actor=s.admin, year=s.year, name="День учителя", start=d(2026, 10, 5), end=d(2026, 10, 5), kind="public"
    )
    services.update_holiday(
        actor=s.admin,
        holiday=h,
        name="День самоуправления",
        start=d(2026, 10, 6),
        end=d(2026, 10, 6),
        kind="public",
        grade_from=5,
        grade_to=11,
    )
    h.refresh_from_db()
    assert (h.name, h.start, h.grade_from) == ("День самоуправления", d(2026, 10, 6), 5)
    services.delete_holiday(actor=s.deputy, holiday=h)
    assert not Holiday.objects.filter(pk=h.pk).exists()


def test_short_vacation_is_refused(small_school):
    s = small_school
    before = Holiday.objects.count()
    with pytest.raises(ValidationFailed, match=r"Каникулы «Мини» \(01\.02\.2027–03\.02\.2027\) короче 7 дней"):
        services.add_holiday(actor=s.admin, year=s.year, name="Мини", start=d(2027, 2, 1), end=d(2027, 2, 3))
    assert Holiday.objects.count() == before


def test_holiday_outside_the_year_is_refused(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match=r"выходит за границы учебного года 2026/2027"):
        services.add_holiday(actor=s.admin, year=s.year, name="Лето", start=d(2027, 5, 27), end=d(2027, 6, 30))


def test_overlapping_vacations_are_refused_but_a_public_holiday_inside_a_vacation_is_fine(small_school):
    s = small_school
    with pytest.raises(
        ValidationFailed, match=r"пересекается с «Зимние каникулы» \(31\.12\.2026–11\.01\.2027, 1–11 кл\.\)"
    ):
        services.add_holiday(actor=s.admin, year=s.year, name="Ещё", start=d(2027, 1, 5), end=d(2027, 1, 15))
    services.add_holiday(
        actor=s.admin, year=s.year, name="Новый год", start=d(2027, 1, 1), end=d(2027, 1, 1), kind="public"
    )


def test_update_holiday_into_another_is_refused_and_nothing_changes(small_school):
    s = small_school
    autumn = s.year.holidays.get(name="Осенние каникулы")
    with pytest.raises(ValidationFailed, match="пересекается с «Зимние каникулы»"):
        services.update_holiday(
            actor=s.admin,
            holiday=autumn,
            name=autumn.name,
            start=d(2026, 12, 25),
            end=d(2027, 1, 2),
            kind=autumn.kind,
            grade_from=1,
            grade_to=11,
        )
    autumn.refresh_from_db()
    assert autumn.start == d(2026, 10, 25)


def test_holiday_removes_empty_lessons_but_not_written_ones(small_school):
    from ejournal.curriculum import services as curriculum
    from ejournal.curriculum.models import Lesson

    s = small_school
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    monday = d(2026, 12, 7)
    assert Lesson.objects.filter(class_group=s.class_5a, date=monday).count() == 1
    services.add_holiday(
        actor=s.admin, year=s.year, name="Карантин", start=monday, end=d(2026, 12, 13), grade_from=5, grade_to=5
    )
    assert Lesson.objects.filter(class_group=s.class_5a, date=monday).count() == 0

    written = Lesson.objects.filter(class_group=s.class_5a, date=d(2026, 12, 14)).get()
    written.topic = "Дроби"
    written.save()
    with pytest.raises(ValidationFailed, match=r"на 14\.12\.2026 в 5А уже записан урок «Математика»"):
        services.add_holiday(
            actor=s.admin, year=s.year, name="Ещё карантин", start=d(2026, 12, 14), end=d(2026, 12, 20)
        )
