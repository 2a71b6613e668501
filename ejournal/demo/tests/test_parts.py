"""The pure parts of the generator: the timetable search, the staffing plan, the КТП lines, names; and the
default mark kinds of a school."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest

from ejournal.accounts import services as people
from ejournal.demo import names
from ejournal.demo.lesson_plans import plan_lines
from ejournal.demo.staffing import ClassSpec, plan_staffing
from ejournal.demo.subjects import HOURS, MAX_LESSONS_PER_DAY
from ejournal.demo.timetable import Block, TimetableError, schedule
from ejournal.journal.defaults import DEFAULT_MARK_KINDS, ensure_default_mark_kinds
from ejournal.journal.models import MarkKind


def _blocks(classes: list[ClassSpec]) -> tuple[list[Block], dict[int, int]]:
    staffing = plan_staffing(classes)
    merged: dict[tuple[int, str], Block] = {}
    for unit in staffing.units:
        key = (unit.class_index, unit.subject_key)
        old = merged.get(key)
        teachers = (*old.teachers, unit.teacher) if old else (unit.teacher,)
        merged[key] = Block(unit.class_index, unit.subject_key, teachers, unit.hours)
    return list(merged.values()), {i: MAX_LESSONS_PER_DAY[c.grade] for i, c in enumerate(classes)}


@pytest.mark.parametrize("per_parallel", [1, 2, 3])
def test_full_school_timetable_has_no_teacher_clash_and_compact_days(per_parallel):
    classes = [ClassSpec(g, "АБВ"[i]) for g in range(1, 12) for i in range(per_parallel)]
    blocks, caps = _blocks(classes)
    placed = schedule(blocks, caps, random.Random(per_parallel))
    teacher_at: Counter[tuple[int, int, int]] = Counter()
    class_day: dict[tuple[int, int], list[int]] = {}
    for block, hours in zip(blocks, placed, strict=True):
        assert len(hours) == block.hours
        for weekday, number in hours:
            assert 1 <= weekday <= 5 and 1 <= number <= caps[block.class_key]
            for teacher in block.teachers:
                teacher_at[(teacher, weekday, number)] += 1
            class_day.setdefault((block.class_key, weekday), []).append(number)
    assert max(teacher_at.values()) == 1
    for numbers in class_day.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_schedule_refuses_more_hours_than_days_hold():
    with pytest.raises(TimetableError):
        schedule([Block(0, "rus", (0,), 21)], {0: 4}, random.Random(1))


def test_subgroups_have_two_different_teachers_and_loads_stay_reasonable():
    classes = [ClassSpec(g, letter) for g in range(1, 12) for letter in "АБ"]
    staffing = plan_staffing(classes)
    pairs: dict[tuple[int, str], set[int]] = {}
    for unit in staffing.units:
        if unit.subgroup:
            pairs.setdefault((unit.class_index, unit.subject_key), set()).add(unit.teacher)
    assert pairs and all(len(teachers) == 2 for teachers in pairs.values())
    assert max(t.load for t in staffing.teachers) <= 30
    students = 25 * len(classes)
    assert 17 <= students / len(staffing.teachers) <= 25
    assert len(staffing.class_teacher) == len(classes)
    assert len(set(staffing.class_teacher.values())) == len(classes)


def test_plan_has_one_line_per_lesson_with_works_but_none_in_grade_one():
    lines = plan_lines("math", "math", 5, 170)
    assert len(lines) == 170
    assert lines[0].title == "Натуральные числа и шкалы"
    works = Counter(line.work for line in lines if line.work)
    assert works["test"] >= 8 and works["independent"] >= 8
    assert all(line.work is None for line in plan_lines("rus", "russian", 1, 165))
    dictations = [line for line in plan_lines("rus", "russian", 6, 204) if line.work == "dictation"]
    assert dictations and all(line.marks_each == 2 for line in dictations)
    assert [line.title for line in plan_lines("unknown", "math", 5, 3)] == ["Тема 1", "Тема 2", "Тема 3"]


def test_every_curriculum_hour_count_fits_the_days_of_its_grade():
    for grade, hours in HOURS.items():
        assert sum(hours.values()) <= 5 * MAX_LESSONS_PER_DAY[grade]


def test_names_agree_in_gender_and_logins_are_unique():
    assert names.feminine("Иванов") == "Иванова"
    assert names.feminine("Вишневский") == "Вишневская"
    assert names.feminine("Черных") == "Черных"
    assert names.patronymic("Илья", female=True) == "Ильинична"
    assert set(names.GRANDFATHER_MALE) <= set(names.PATRONYMICS)
    assert set(names.ADULT_MALE) <= set(names.PATRONYMICS)
    book = names.LoginBook("s2.")
    assert [book.take("ivanova.a") for _ in range(3)] == ["s2.ivanova.a", "s2.ivanova.a2", "s2.ivanova.a3"]
    assert names.login_base("Щербакова", "Юлия") == "shcherbakova.iu"


@pytest.mark.django_db
def test_default_mark_kinds_are_created_once_and_keep_the_schools_changes():
    school = people.create_school(name="МАОУ «Школа № 9»", short_name="Школа № 9")
    kinds = ensure_default_mark_kinds(school)
    assert [k.code for k in kinds] == [s.code for s in DEFAULT_MARK_KINDS]
    by_code = {k.code: k for k in kinds}
    assert by_code["test"].weight == Decimal("2") and by_code["independent"].weight == Decimal("1.5")
    assert by_code["essay"].deadline_kind == "essay" and by_code["answer"].deadline_kind == "oral"
    assert [k.code for k in kinds if k.is_default] == ["answer"]
    MarkKind.objects.filter(school=school, code="test").update(weight=Decimal("3"))
    again = ensure_default_mark_kinds(school)
    assert [k.pk for k in again] == [k.pk for k in kinds]
    assert MarkKind.objects.get(school=school, code="test").weight == Decimal("3")
    assert MarkKind.objects.filter(school=school).count() == len(DEFAULT_MARK_KINDS)
