"""Who is in the demo school: staff, teachers, families with one or two children, and their logins.

Pure Python from a random source, so the same seed gives the same people; generator.py writes them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ejournal.accounts.models import Role

from . import names
from .staffing import ClassSpec, Staffing
from .subjects import PRIMARY

# Share of women among teachers by family; the rest are men.
_FEMALE_SHARE = {PRIMARY: 0.97, "pe": 0.35, "technology": 0.4, "physics": 0.6, "math": 0.85}
_SIBLING_SHARE = 0.14  # families with a second child in another class of the school
_BOTH_PARENTS, _ONLY_MOTHER = 0.55, 0.9  # cumulative: both parents, only the mother, only the father
_PHONE_CODES = ("902", "908", "912", "919", "950", "951", "982", "992")


@dataclass
class PersonPlan:
    name: names.PersonName
    login: str
    roles: list[str]
    birth_date: dt.date | None = None
    phone: str = ""
    surname_base: str = ""  # masculine form: a teacher's child gets it


@dataclass(frozen=True)
class StudentPlan:
    person: int
    ability: float  # the student's usual level on the 1–5 scale
    sickliness: float  # 1.0 = an average child's illnesses


@dataclass
class PeoplePlan:
    persons: list[PersonPlan]
    admin: int
    director: int
    deputy: int
    teachers: list[int]  # person index of each staffing teacher
    students: dict[int, list[StudentPlan]]  # class index → students in journal (alphabetical) order
    guardianships: list[tuple[int, int, str]] = field(default_factory=list)  # parent, child, relation


def class_sizes(count: int, per_class: int, rng: random.Random) -> list[int]:
    """Sizes around `per_class` that add up to exactly count × per_class: classes differ, totals do not."""
    sizes = [per_class] * count
    if per_class >= 15:
        for i in range(0, count - 1, 2):
            d = rng.randint(0, 2)
            sizes[i] += d
            sizes[i + 1] -= d
        rng.shuffle(sizes)
    return sizes


def _phone(rng: random.Random) -> str:
    n = rng.randrange(10_000_000)
    return f"+7 {rng.choice(_PHONE_CODES)} {n // 10_000:03d}-{n // 100 % 100:02d}-{n % 100:02d}"


def _adult_birth(rng: random.Random, first_year: int, youngest: int, oldest: int) -> dt.date:
    start = dt.date(first_year - oldest, 1, 1)
    return start + dt.timedelta(days=rng.randrange(365 * (oldest - youngest)))


def _sort_key(p: PersonPlan) -> tuple[str, str, str]:
    # «ё» sorts after «я» by code point; class lists sort it as «е».
    n = p.name
    return (n.last.replace("ё", "е"), n.first.replace("ё", "е"), n.middle.replace("ё", "е"))


def plan_people(
    classes: list[ClassSpec],
    staffing: Staffing,
    sizes: list[int],
    rng: random.Random,
    *,
    first_year: int,
    login_prefix: str,
) -> PeoplePlan:
    logins = names.LoginBook(login_prefix)
    persons: list[PersonPlan] = []

    def add(
        name: names.PersonName,
        login: str,
        roles: list[str],
        birth_date: dt.date | None = None,
        phone: str = "",
        surname_base: str = "",
    ) -> int:
        persons.append(PersonPlan(name, login, roles, birth_date, phone, surname_base))
        return len(persons) - 1

    def staff(female: bool, login: str, roles: list[str]) -> int:
        base = rng.choice(names.SURNAMES)
        name = names.adult(rng, female=female, surname=base)
        birth = _adult_birth(rng, first_year, 30, 62)
        return add(
            name, logins.take(login) if login else logins.for_person(name), roles, birth_date=birth, surname_base=base
        )

    admin = staff(True, "admin", [Role.ADMIN])
    director = staff(rng.random() < 0.6, "director", [Role.DIRECTOR])
    deputy = staff(rng.random() < 0.85, "zavuch", [Role.DEPUTY])
    teachers = [staff(rng.random() < _FEMALE_SHARE.get(t.family, 0.88), "", [Role.TEACHER]) for t in staffing.teachers]

    students: dict[int, list[StudentPlan]] = {ci: [] for ci in range(len(classes))}
    free = list(sizes)
    guardianships: list[tuple[int, int, str]] = []

    def new_child(ci: int, surname: str, father: str) -> int:
        female = rng.random() < 0.5
        name = names.child(rng, female=female, surname=surname, father=father)
        grade = classes[ci].grade
        birth = dt.date(first_year - grade - 7, 3, 1) + dt.timedelta(days=rng.randrange(365))
        person = add(name, logins.for_person(name), [Role.STUDENT], birth_date=birth)
        ability = min(4.95, max(2.5, rng.gauss(3.9, 0.5)))
        students[ci].append(StudentPlan(person, ability, rng.uniform(0.3, 1.8)))
        free[ci] -= 1
        return person

    # One mother among the subject teachers has her child in the school: a person with two roles.
    teacher_parent = next(
        (
            t
            for t, plan in zip(teachers, staffing.teachers, strict=True)
            if plan.family != PRIMARY and persons[t].name.female
        ),
        None,
    )
    for ci in range(len(classes)):
        while free[ci] > 0:
            if teacher_parent is not None:
                mother: int | None = teacher_parent
                surname = persons[teacher_parent].surname_base
                teacher_parent = None
            else:
                mother, surname = None, rng.choice(names.SURNAMES)
            father_name = rng.choice(names.ADULT_MALE)
            children = [new_child(ci, surname, father_name)]
            if rng.random() < _SIBLING_SHARE:
                others = [
                    cj
                    for cj in range(len(classes))
                    if free[cj] > 0 and 1 <= abs(classes[cj].grade - classes[ci].grade) <= 6
                ]
                if others:
                    children.append(new_child(rng.choice(others), surname, father_name))
            parents: list[tuple[int, str]] = []
            roll = rng.random()
            if mother is not None:
                persons[mother].roles.append(Role.PARENT)
                parents.append((mother, "мать"))
            elif roll < _ONLY_MOTHER:
                name = names.adult(rng, female=True, surname=surname)
                birth = _adult_birth(rng, first_year, 27, 50)
                parents.append(
                    (add(name, logins.for_person(name), [Role.PARENT], birth_date=birth, phone=_phone(rng)), "мать")
                )
            if roll < _BOTH_PARENTS or roll >= _ONLY_MOTHER:
                first = names.adult(rng, female=False, surname=surname)
                name = names.PersonName(first.last, father_name, first.middle, female=False)
                birth = _adult_birth(rng, first_year, 28, 55)
                parents.append(
                    (add(name, logins.for_person(name), [Role.PARENT], birth_date=birth, phone=_phone(rng)), "отец")
                )
            guardianships.extend((p, c, relation) for p, relation in parents for c in children)

    for ci in students:
        students[ci].sort(key=lambda s: _sort_key(persons[s.person]))
    return PeoplePlan(persons, admin, director, deputy, teachers, students, guardianships)
