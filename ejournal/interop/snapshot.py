"""What an import compares a file against: the school's people, classes, enrolments and parents' links, read
in six queries whatever the size of the school, then looked up in memory row by row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ejournal.accounts.models import Guardianship, RoleGrant, User
from ejournal.schools.models import AcademicYear, ClassGroup, Enrolment

from .cells import normal

NameKey = tuple[str, str, str]
PersonKey = tuple[str, str, str, dt.date | None]


def name_key(last: str, first: str, middle: str) -> NameKey:
    """Two spellings of one name compare equal: case and «ё» do not matter («Фёдоров» = «ФЕДОРОВ»)."""
    return normal(last), normal(first), normal(middle)


@dataclass(eq=False)
class Person:
    """A person of the school as the import sees them. Planning updates these fields as rows plan changes,
    so that a second row about the same person does not announce the same change again."""

    pk: int | None
    last_name: str
    first_name: str
    middle_name: str
    birth_date: dt.date | None
    email: str = ""
    phone: str = ""
    snils: str = ""
    roles: set[str] = field(default_factory=set)
    first_row: int = 0  # the file row that creates a new person (pk is None)
    user: User | None = None  # the saved person, once the commit has loaded or created it

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def name_key(self) -> NameKey:
        return name_key(self.last_name, self.first_name, self.middle_name)


@dataclass(frozen=True)
class ClassInfo:
    pk: int
    grade: int
    letter: str
    teacher_ids: frozenset[int]

    @property
    def name(self) -> str:
        return f"{self.grade}{self.letter}"


@dataclass(frozen=True)
class EnrolmentInfo:
    class_id: int
    class_name: str
    year_name: str
    start: dt.date
    end: dt.date | None


@dataclass
class Snapshot:
    by_name: dict[NameKey, list[Person]]
    classes: dict[tuple[int, str], ClassInfo]
    enrolments: dict[int, list[EnrolmentInfo]]
    links: dict[tuple[int, int], str]  # (parent, child) → relation
    snils_owner: dict[str, int]

    def same_person(self, key: NameKey, birth_date: dt.date) -> list[Person]:
        return [p for p in self.by_name.get(key, []) if p.birth_date == birth_date]


def load_snapshot(*, school_id: int, year: AcademicYear, start: dt.date) -> Snapshot:
    """The school as it is now; enrolments are those still open on `start` or later (in any year)."""
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleGrant.objects.filter(school_id=school_id).values_list("user_id", "role"):
        roles[user_id].add(role)
    by_name: dict[NameKey, list[Person]] = defaultdict(list)
    snils_owner: dict[str, int] = {}
    people = User.objects.filter(school_id=school_id).values_list(
        "pk", "last_name", "first_name", "middle_name", "birth_date", "email", "phone", "snils"
    )
    for pk, last, first, middle, birth, email, phone, snils in people:
        person = Person(pk, last, first, middle, birth, email, phone, snils, roles[pk])
        by_name[person.name_key].append(person)
        if snils:
            snils_owner[snils] = pk
    teachers: dict[int, set[int]] = defaultdict(set)
    through = ClassGroup.class_teachers.through.objects.filter(classgroup__year=year, classgroup__school_id=school_id)
    for class_id, user_id in through.values_list("classgroup_id", "user_id"):
        teachers[class_id].add(user_id)
    classes = {
        (grade, letter): ClassInfo(pk, grade, letter, frozenset(teachers[pk]))
        for pk, grade, letter in ClassGroup.objects.filter(school_id=school_id, year=year).values_list(
            "pk", "grade", "letter"
        )
    }
    enrolments: dict[int, list[EnrolmentInfo]] = defaultdict(list)
    open_rows = Enrolment.objects.filter(Q(end__isnull=True) | Q(end__gte=start), school_id=school_id).values_list(
        "student_id",
        "class_group_id",
        "class_group__grade",
        "class_group__letter",
        "class_group__year__name",
        "start",
        "end",
    )
    for student_id, class_id, grade, letter, year_name, e_start, e_end in open_rows:
        enrolments[student_id].append(EnrolmentInfo(class_id, f"{grade}{letter}", year_name, e_start, e_end))
    links = {
        (parent_id, child_id): relation
        for parent_id, child_id, relation in Guardianship.objects.filter(school_id=school_id).values_list(
            "parent_id", "child_id", "relation"
        )
    }
    return Snapshot(dict(by_name), classes, dict(enrolments), links, snils_owner)
