"""Нагрузка: how many teachers a school needs and which classes and subjects each one teaches.

Pure Python on indices, so the plan is the same for the same classes whatever the database holds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .subjects import HOURS, PRIMARY, SUBJECT_BY_KEY, TARGET_LOAD, family_of, is_split


@dataclass(frozen=True)
class ClassSpec:
    grade: int
    letter: str

    @property
    def name(self) -> str:
        return f"{self.grade}{self.letter}"


@dataclass(frozen=True)
class Unit:
    """One line of the нагрузка: a teacher teaches a subject to a class, or to one of its two subgroups."""

    class_index: int
    subject_key: str
    subgroup: int | None  # 1 or 2 for a split class
    hours: int
    teacher: int


@dataclass
class TeacherPlan:
    family: str
    load: int = 0
    subjects: list[str] = field(default_factory=list)  # in the order first given


@dataclass
class Staffing:
    teachers: list[TeacherPlan]
    units: list[Unit]
    class_teacher: dict[int, int]  # class index → teacher index


@dataclass(frozen=True)
class _Bundle:
    """What one teacher takes at once: the family's subjects of a class, or one subgroup of a split subject."""

    class_index: int
    parts: tuple[tuple[str, int | None, int], ...]  # (subject key, subgroup, hours)
    split_key: tuple[int, str] | None  # bundles of two subgroups of one subject need two different teachers

    @property
    def hours(self) -> int:
        return sum(h for _, _, h in self.parts)


FAMILY_ORDER = ("russian", "math", "english", "history", "science", "physics", "arts", "technology", "pe")


def plan_staffing(classes: list[ClassSpec]) -> Staffing:
    """Teachers by family: one primary teacher per class of grades 1–4, subject teachers loaded up to
    TARGET_LOAD hours a week, the two subgroups of a class always with two different teachers."""
    bundles: dict[str, list[_Bundle]] = defaultdict(list)
    for ci, cls in enumerate(classes):
        by_family: dict[str, list[tuple[str, int | None, int]]] = defaultdict(list)
        for key, hours in HOURS[cls.grade].items():
            subject = SUBJECT_BY_KEY[key]
            family = family_of(subject, cls.grade)
            if is_split(subject, cls.grade):
                for sub in (1, 2):
                    bundles[family].append(_Bundle(ci, ((key, sub, hours),), (ci, key)))
            else:
                by_family[family].append((key, None, hours))
        for family, parts in by_family.items():
            bundles[family].append(_Bundle(ci, tuple(parts), None))

    teachers: list[TeacherPlan] = []
    units: list[Unit] = []

    def give(teacher: int, bundle: _Bundle) -> None:
        plan = teachers[teacher]
        for key, sub, hours in bundle.parts:
            units.append(Unit(bundle.class_index, key, sub, hours, teacher))
            plan.load += hours
            if key not in plan.subjects:
                plan.subjects.append(key)

    for bundle in bundles.get(PRIMARY, []):
        teachers.append(TeacherPlan(PRIMARY))
        give(len(teachers) - 1, bundle)

    for family in FAMILY_ORDER:
        family_bundles = bundles.get(family, [])
        if not family_bundles:
            continue
        total = sum(b.hours for b in family_bundles)
        needs_two = any(b.split_key for b in family_bundles)
        count = max(2 if needs_two else 1, math.ceil(total / TARGET_LOAD))
        first = len(teachers)
        teachers.extend(TeacherPlan(family) for _ in range(count))
        taken: dict[tuple[int, str], int] = {}
        # Largest first to the least loaded teacher: loads end up within a few hours of each other.
        order = sorted(family_bundles, key=lambda b: (-b.hours, b.class_index, b.parts))
        for bundle in order:
            sibling = taken.get(bundle.split_key) if bundle.split_key else None
            candidates = [t for t in range(first, first + count) if t != sibling]
            chosen = min(candidates, key=lambda t: (teachers[t].load, t))
            if bundle.split_key is not None:
                taken[bundle.split_key] = chosen
            give(chosen, bundle)

    return Staffing(teachers=teachers, units=units, class_teacher=_class_teachers(classes, teachers, units))


def _class_teachers(classes: list[ClassSpec], teachers: list[TeacherPlan], units: list[Unit]) -> dict[int, int]:
    """The primary teacher leads their class; an older class is led by the teacher with most hours in it."""
    hours_in: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit in units:
        hours_in[unit.class_index][unit.teacher] += unit.hours
    leading: dict[int, int] = {}
    busy: set[int] = set()
    for ci, _cls in enumerate(classes):
        ranked = sorted(hours_in[ci].items(), key=lambda item: (-item[1], item[0]))
        primary = [t for t, _ in ranked if teachers[t].family == PRIMARY]
        if primary:
            leading[ci] = primary[0]
            busy.add(primary[0])
    for ci, _cls in enumerate(classes):
        if ci in leading:
            continue
        ranked = sorted(hours_in[ci].items(), key=lambda item: (-item[1], item[0]))
        free = [t for t, _ in ranked if t not in busy]
        if not free:
            free = [t for t in range(len(teachers)) if t not in busy and teachers[t].family != PRIMARY]
        if free:
            leading[ci] = free[0]
            busy.add(free[0])
    return leading
