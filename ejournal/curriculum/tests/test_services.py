"""Rules of the curriculum's writes that the pages and the API share."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.curriculum import plans, services
from ejournal.curriculum.models import Bell, CurriculumHours, TimetableSlot
from ejournal.curriculum.services import BellTimes


def test_room_is_one_class_at_a_time(small_school):
    s = small_school
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(
        actor=s.admin, teacher=s.class_teacher, class_group=s.class_10a, subject=physics
    )
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=2, number=2, room="21")
    with pytest.raises(ValidationFailed, match=re.escape("Вт, 2-й урок: кабинет 21 уже занят (5А).")):
        services.set_slot(actor=s.admin, year=s.year, assignment=physics_10a, weekday=2, number=2, room="21")
    services.set_slot(actor=s.admin, year=s.year, assignment=physics_10a, weekday=2, number=2, room="22")
    assert TimetableSlot.objects.count() == 2


def test_saturday_only_for_a_six_day_class(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match="учится пять дней в неделю"):
        services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=6, number=1)
    s.class_5a.works_on_saturday = True
    s.class_5a.save()
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=6, number=1)
    services.generate_lessons(actor=s.admin, year=s.year)
    assert s.math_5a.lessons.filter(date=dt.date(2026, 9, 5)).exists()  # a Saturday


def test_slots_are_for_management_of_the_school(small_school, other_school):
    s = small_school
    for user in (s.teacher, s.director, other_school.admin):
        with pytest.raises(NotFound):
            services.set_slot(actor=user, year=s.year, assignment=s.math_5a, weekday=1, number=1)


def test_curriculum_grid_checks_every_cell_first(small_school):
    s = small_school
    cells = {(s.math, 5): Decimal(5), (s.russian, 5): Decimal("0.25")}
    with pytest.raises(ValidationFailed, match=re.escape("Русский язык, 5 кл.: часов в неделю должно быть от 0 до 12")):
        services.set_curriculum_grid(actor=s.admin, year=s.year, cells=cells)
    assert not CurriculumHours.objects.exists()
    assert services.set_curriculum_grid(actor=s.admin, year=s.year, cells={(s.math, 5): Decimal(5)}) == 1
    assert services.set_curriculum_grid(actor=s.admin, year=s.year, cells={(s.math, 5): Decimal(5)}) == 0
    with pytest.raises(NotFound):
        services.set_curriculum_grid(actor=s.director, year=s.year, cells={(s.math, 5): Decimal(4)})


def test_subject_names_are_checked(small_school, other_school):
    s = small_school
    with pytest.raises(ValidationFailed, match=re.escape("Укажите название предмета.")):
        services.create_subject(actor=s.admin, name="   ")
    with pytest.raises(ValidationFailed, match="длиннее 150"):
        services.create_subject(actor=s.admin, name="М" * 151)
    with pytest.raises(ValidationFailed, match=re.escape("Предмет «Русский язык» уже есть.")):
        services.update_subject(actor=s.admin, subject=s.math, name="Русский язык", short_name="", pass_fail=False)
    # The same name in another school is another subject.
    services.update_subject(
        actor=other_school.admin, subject=other_school.math, name="Алгебра", short_name="", pass_fail=False
    )
    other_school.math.refresh_from_db()
    assert other_school.math.short_name == "Алгебра"
    with pytest.raises(NotFound):
        services.update_subject(actor=other_school.admin, subject=s.math, name="X", short_name="", pass_fail=False)


def test_bells_are_checked_as_a_whole(small_school):
    s = small_school
    t = dt.time
    with pytest.raises(ValidationFailed) as refused:
        services.set_bells(
            actor=s.admin,
            bells=[
                BellTimes(1, t(8, 0), t(8, 40)),
                BellTimes(1, t(9, 0), t(8, 30)),
                BellTimes(13, t(20, 0), t(20, 40)),
            ],
        )
    message = refused.value.message
    assert "Номера уроков повторяются." in message and "Урок 1: начало 09:00 не раньше конца 08:30." in message
    assert "Урок 13: номер должен быть от 0 до 12." in message
    assert Bell.objects.filter(school=s.school).count() == 7
    bells = [BellTimes(n, t(8 + n, 0), t(8 + n, 45)) for n in range(0, 9)]
    services.set_bells(actor=s.admin, bells=bells)
    assert list(Bell.objects.filter(school=s.school).values_list("number", flat=True)) == list(range(0, 9))
    with pytest.raises(NotFound):
        services.set_bells(actor=s.teacher, bells=bells)


def test_plan_file_delimiter_comes_from_the_header(small_school):
    text = "№;Тема;Часы\r\n1;Сложение, вычитание, умножение;2\r\n2;Деление, дроби;1\r\n"
    rows = plans.read_plan_file("k.csv", text.encode("cp1251"))
    assert [(r.title, r.hours) for r in rows] == [("Сложение, вычитание, умножение", 2), ("Деление, дроби", 1)]
    tabbed = "Тема\tЧасы\nПовторение\t3\n"
    assert [(r.title, r.hours) for r in plans.read_plan_file("k.txt", tabbed.encode())] == [("Повторение", 3)]


def test_plan_file_without_hours_column_gives_one_hour_each():
    rows = plans.read_plan_file("k.csv", "Тема урока\nВведение\nИтоги\n".encode())
    assert [(r.position, r.title, r.hours) for r in rows] == [(1, "Введение", 1), (2, "Итоги", 1)]


def test_empty_or_headerless_plan_files():
    with pytest.raises(plans.PlanFileError) as refused:
        plans.read_plan_file("k.csv", b"")
    assert refused.value.errors == ["файл пуст"]
    with pytest.raises(plans.PlanFileError) as refused:
        plans.read_plan_file("k.csv", "№;Тема;Часы\r\n".encode("cp1251"))
    assert refused.value.errors == ["в файле нет ни одной темы"]
