"""From the rows of a file to a plan: for each row what will be created, changed or left as it is, or what is
wrong with it; and the writes that carry the plan out through the services of accounts and schools.

The same person is the same full name and birth date, in the file and in the school (parents, whose birth
date schools rarely have, also by the same name with the same phone or e-mail, or already linked to the
child). Planning never writes; `apply` runs the writes in file order inside the commit's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ejournal.access import people as access_people
from ejournal.accounts import services as people
from ejournal.accounts.models import Role, User
from ejournal.core.time import ru_date
from ejournal.schools import services as schools
from ejournal.schools.models import AcademicYear, ClassGroup

from . import cells
from .kinds import Layout
from .snapshot import ClassInfo, NameKey, Person, Snapshot, name_key
from .tables import Row

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ROLE_WORDS = dict(Role.choices)
T = TypeVar("T")


@dataclass
class Context:
    """What the writes need: who imports, into which year, enrolling from which day."""

    actor: User
    year: AcademicYear
    start: dt.date
    # The administrator typed their password when queueing the import (services.request_commit): the
    # administrator's and the director's roles of the file may be granted.
    confirmed: bool = False
    users: dict[int, User] = field(default_factory=dict)
    classes: dict[int, ClassGroup] = field(default_factory=dict)

    def user(self, person: Person) -> User:
        if person.user is None:
            assert person.pk is not None  # a new person is created by an earlier row's write
            person.user = self.users[person.pk]
        return person.user


Write = Callable[[Context], object]


@dataclass
class RowPlan:
    row: int
    label: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    new: bool = False
    writes: list[Write] = field(default_factory=list)
    user_ids: set[int] = field(default_factory=set)
    class_ids: set[int] = field(default_factory=set)
    # Roles this row gives that need the granter's password (a new person's or an added one) and to whom.
    confirm: list[str] = field(default_factory=list)
    confirm_name: str = ""

    @property
    def action(self) -> str:
        if self.errors:
            return ERROR
        if self.new:
            return CREATE
        return UPDATE if self.changes else UNCHANGED

    def read(self, column: str, reader: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Read a cell; a bad value becomes an error of this row and column."""
        try:
            return reader(*args, **kwargs)
        except cells.CellError as e:
            self.errors.append((column, e.message))
            return None

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    def as_report(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "label": self.label,
            "changes": self.changes,
            "errors": [{"column": c, "message": m} for c, m in self.errors],
            "confirm": self.confirm,
        }

    def needs_confirmation(self, person: Person, roles: list[str]) -> None:
        """Note the roles of `roles` that only a granter's password hands out (access.people)."""
        wanted = [r for r in roles if access_people.grant_needs_password(r) and r not in self.confirm]
        if wanted:
            self.confirm.extend(wanted)
            initials = " ".join(f"{p[0]}." for p in (person.first_name, person.middle_name) if p)
            self.confirm_name = f"{person.last_name} {initials}".strip()


@dataclass
class Plan:
    rows: list[RowPlan]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def confirmations(self) -> list[dict[str, Any]]:
        """Rows that grant the administrator's or the director's role: the commit needs the password."""
        return [{"row": r.row, "roles": r.confirm, "name": r.confirm_name} for r in self.rows if r.confirm]

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    def apply(self, ctx: Context) -> None:
        """Load the saved objects the writes touch (two queries), then write row by row."""
        user_ids = set().union(*(r.user_ids for r in self.rows))
        class_ids = set().union(*(r.class_ids for r in self.rows))
        ctx.users = User.objects.filter(school_id=ctx.year.school_id).in_bulk(user_ids)
        ctx.classes = ClassGroup.objects.filter(school_id=ctx.year.school_id).select_related("year").in_bulk(class_ids)
        for row in self.rows:
            for write in row.writes:
                write(ctx)


class Reader:
    """Rows of one file, one kind: cells by column, people found in the school and earlier in the file."""

    def __init__(self, layout: Layout, snapshot: Snapshot, start: dt.date) -> None:
        self.layout, self.snapshot, self.start = layout, snapshot, start
        self.rows_of: dict[int, int] = {}  # id(person) → the first row of the file naming them

    def cell(self, row: Row, key: str) -> cells.Cell:
        return self.layout.get(row, key)

    def name(self, plan: RowPlan, row: Row) -> tuple[str, str, str] | None:
        if "fio" in self.layout.at:
            return plan.read("ФИО", cells.full_name, self.cell(row, "fio"))
        last = plan.read("Фамилия", cells.name_part, self.cell(row, "last_name"), what="фамилию")
        first = plan.read("Имя", cells.name_part, self.cell(row, "first_name"), what="имя")
        middle = plan.read("Отчество", cells.name_part, self.cell(row, "middle_name"), what="отчество", required=False)
        return (last, first, middle or "") if last and first else None

    def birth(self, plan: RowPlan, row: Row, key: str = "birth_date", required: bool = True) -> dt.date | None:
        title = "Дата рождения ребёнка" if key == "child_birth_date" else "Дата рождения"
        return plan.read(title, cells.birth_date, self.cell(row, key), before=self.start, required=required)

    def find(self, plan: RowPlan, key: NameKey, birth_date: dt.date) -> Person | None:
        """The one person of this name and birth date, if any; two of them is an error the school resolves."""
        found = self.snapshot.same_person(key, birth_date)
        if len(found) > 1:
            plan.error("ФИО", f"в школе несколько людей с этими ФИО и датой рождения {ru_date(birth_date)}")
        return found[0] if len(found) == 1 else None

    def add_new(self, plan: RowPlan, person: Person) -> Person:
        person.first_row = plan.row
        self.snapshot.by_name.setdefault(person.name_key, []).append(person)
        plan.new = True
        return person

    def once(self, plan: RowPlan, person: Person) -> bool:
        """A person listed twice in a students' or staff file is a mistake in the file."""
        earlier = self.rows_of.setdefault(id(person), plan.row)
        if earlier != plan.row:
            plan.error("ФИО", f"этот человек уже указан в строке {earlier}")
            return False
        return True

    def uses(self, plan: RowPlan, person: Person) -> None:
        if person.pk is not None:
            plan.user_ids.add(person.pk)


def _label(names: tuple[str, str, str], birth_date: dt.date | None) -> str:
    full = " ".join(p for p in names if p)
    return f"{full}, {ru_date(birth_date)}" if birth_date else full


def set_fields(ctx: Context, user: User, values: dict[str, str], *, history: bool = True) -> None:
    """Contact details and СНИЛС from the file, with the person's history as accounts keeps it (the СНИЛС
    itself is never copied there). accounts.services has no writer for these fields yet."""
    for name, value in values.items():
        old = getattr(user, name)
        setattr(user, name, value)
        if history and old != value:
            hidden = name == "snils"
            people.record_change(
                actor=ctx.actor, person=user, field=name, old="" if hidden else old, new="" if hidden else value
            )
    user.save(update_fields=list(values))


def create_person(person: Person) -> Write:
    """A new person with the roles planned for them; a later row may refer to them (a parent's second child)."""

    def write(ctx: Context) -> None:
        person.user = people.create_person(
            actor=ctx.actor,
            school=ctx.year.school,
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date,
            roles=sorted(person.roles),
            email=person.email,
        )
        if person.phone:
            set_fields(ctx, person.user, {"phone": person.phone}, history=False)

    return write


def _snils(reader: Reader, plan: RowPlan, row: Row, person: Person | None, seen: dict[str, int]) -> str:
    value = plan.read("СНИЛС", cells.snils, reader.cell(row, "snils")) or ""
    if not value:
        return ""
    owner = reader.snapshot.snils_owner.get(value)
    if owner is not None and (person is None or owner != person.pk):
        plan.error("СНИЛС", "этот СНИЛС уже записан у другого человека школы")
    elif seen.setdefault(value, plan.row) != plan.row:
        plan.error("СНИЛС", f"этот СНИЛС уже указан в строке {seen[value]}")
    return value


def plan_students(reader: Reader, rows: list[Row], year: AcademicYear) -> list[RowPlan]:
    plans: list[RowPlan] = []
    snils_seen: dict[str, int] = {}
    start = reader.start
    for row in rows:
        plan = RowPlan(row.number)
        plans.append(plan)
        names = reader.name(plan, row)
        birth = reader.birth(plan, row)
        plan.read("Пол", cells.text, reader.cell(row, "sex"))  # not kept (minimum of personal data), but checked
        grade_letter = plan.read("Класс", cells.class_name, reader.cell(row, "class"))
        group: ClassInfo | None = None
        if grade_letter:
            group = reader.snapshot.classes.get(grade_letter)
            if group is None:
                name = f"{grade_letter[0]}{grade_letter[1]}"
                plan.error("Класс", f"класса {name} в {year.name} нет: сначала импортируйте классы или создайте его")
        if names is None or birth is None:
            plan.read("СНИЛС", cells.snils, reader.cell(row, "snils"))
            continue
        plan.label = _label(names, birth)
        person = reader.find(plan, name_key(*names), birth)
        snils = _snils(reader, plan, row, person, snils_seen)
        if person is not None and not reader.once(plan, person):
            continue
        if group is None or plan.errors:
            continue
        if person is None:
            person = reader.add_new(plan, Person(None, *names, birth, snils=snils, roles={Role.STUDENT}))
            reader.once(plan, person)
            plan.changes.append(f"новый ученик, зачисление в {group.name} с {ru_date(start)}")
            plan.writes.append(_create_student(person, group))
            plan.class_ids.add(group.pk)
            continue
        _plan_enrolment(reader, plan, person, group)
        if snils and snils != person.snils:
            plan.changes.append("СНИЛС")
            person.snils = snils
            plan.writes.append(lambda ctx, p=person, v=snils: set_fields(ctx, ctx.user(p), {"snils": v}))
        reader.uses(plan, person)
    return plans


def _create_student(person: Person, group: ClassInfo) -> Write:
    def write(ctx: Context) -> None:
        enrolment = schools.create_student(
            actor=ctx.actor,
            class_group=ctx.classes[group.pk],
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date,
            start=ctx.start,
        )
        person.user = enrolment.student
        if person.snils:
            set_fields(ctx, person.user, {"snils": person.snils}, history=False)

    return write


def _plan_enrolment(reader: Reader, plan: RowPlan, person: Person, group: ClassInfo) -> None:
    """An existing person: the student role and the enrolment, unless already in that class."""
    assert person.pk is not None
    current = reader.snapshot.enrolments.get(person.pk, [])
    other = next((e for e in current if e.class_id != group.pk), None)
    if other is not None:
        plan.error(
            "Класс",
            f"ученик уже зачислен в {other.class_name} ({other.year_name}) с {ru_date(other.start)}: "
            f"перевод в другой класс делается на странице класса",
        )
        return
    if Role.STUDENT not in person.roles:
        person.roles.add(Role.STUDENT)
        plan.changes.append("роль «ученик»")
        plan.writes.append(lambda ctx: people.grant_role(actor=ctx.actor, user=ctx.user(person), role=Role.STUDENT))
    if not current:
        plan.changes.append(f"зачисление в {group.name} с {ru_date(reader.start)}")
        plan.class_ids.add(group.pk)
        plan.writes.append(
            lambda ctx: schools.enrol(
                actor=ctx.actor, student=ctx.user(person), class_group=ctx.classes[group.pk], start=ctx.start
            )
        )


def plan_staff(reader: Reader, rows: list[Row]) -> list[RowPlan]:
    plans: list[RowPlan] = []
    for row in rows:
        plan = RowPlan(row.number)
        plans.append(plan)
        names = reader.name(plan, row)
        birth = reader.birth(plan, row)
        roles = plan.read("Роли", cells.staff_roles, reader.cell(row, "roles"))
        email = plan.read("E-mail", cells.email, reader.cell(row, "email")) or ""
        if names is None or birth is None:
            continue
        plan.label = _label(names, birth)
        person = reader.find(plan, name_key(*names), birth)
        if person is not None and not reader.once(plan, person):
            continue
        if roles is None or plan.errors:
            continue
        if person is None:
            person = reader.add_new(plan, Person(None, *names, birth, email=email, roles=set(roles)))
            reader.once(plan, person)
            plan.changes.append("новый сотрудник: " + ", ".join(ROLE_WORDS[r] for r in roles))
            plan.needs_confirmation(person, roles)
            plan.writes.append(create_person(person))
            continue
        for role in roles:
            if role not in person.roles:
                person.roles.add(role)
                plan.changes.append(f"роль «{ROLE_WORDS[role]}»")
                plan.needs_confirmation(person, [role])
                plan.writes.append(
                    lambda ctx, p=person, r=role: people.grant_role(
                        actor=ctx.actor, user=ctx.user(p), role=r, confirmed=ctx.confirmed
                    )
                )
        if email and email != person.email:
            person.email = email
            plan.changes.append("e-mail")
            plan.writes.append(lambda ctx, p=person, v=email: set_fields(ctx, ctx.user(p), {"email": v}))
        reader.uses(plan, person)
    return plans


def plan_classes(reader: Reader, rows: list[Row], year: AcademicYear) -> list[RowPlan]:
    plans: list[RowPlan] = []
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        plan = RowPlan(row.number)
        plans.append(plan)
        if {"grade", "letter"} <= reader.layout.at.keys():
            grade = plan.read("Параллель", cells.grade, reader.cell(row, "grade"))
            letter = plan.read("Литера", cells.letter, reader.cell(row, "letter"))
            key = (grade, letter) if grade and letter else None
        else:
            key = plan.read("Класс", cells.class_name, reader.cell(row, "class"))
        teacher = _class_teacher(reader, plan, row)
        if key is None:
            continue
        plan.label = f"{key[0]}{key[1]}"
        if seen.setdefault(key, plan.row) != plan.row:
            plan.error("Класс", f"класс {plan.label} уже указан в строке {seen[key]}")
        if plan.errors:
            continue
        existing = reader.snapshot.classes.get(key)
        if teacher is not None:
            reader.uses(plan, teacher)
        if existing is None:
            plan.new = True
            plan.changes.append(f"новый класс {plan.label} в {year.name}")
            if teacher is not None:
                plan.changes.append(f"классный руководитель {teacher.full_name}")
            plan.writes.append(
                lambda ctx, k=key, t=teacher: schools.create_class(
                    actor=ctx.actor,
                    year=ctx.year,
                    grade=k[0],
                    letter=k[1],
                    class_teachers=[ctx.user(t)] if t is not None else [],
                )
            )
        elif teacher is not None and teacher.pk not in existing.teacher_ids:
            plan.changes.append(f"классный руководитель {teacher.full_name}")
            plan.class_ids.add(existing.pk)
            plan.writes.append(
                lambda ctx, c=existing, t=teacher: schools.set_class_teachers(
                    actor=ctx.actor, class_group=ctx.classes[c.pk], teachers=[ctx.user(t)]
                )
            )
    return plans


def _class_teacher(reader: Reader, plan: RowPlan, row: Row) -> Person | None:
    """A teacher of the school by full name; the class list names no birth dates."""
    column = "Классный руководитель"
    raw = reader.cell(row, "teacher")
    if not plan.read(column, cells.text, raw):
        return None
    names = plan.read(column, cells.full_name, raw)
    if names is None:
        return None
    full = " ".join(p for p in names if p)
    found = [p for p in reader.snapshot.by_name.get(name_key(*names), []) if p.pk is not None]
    teachers = [p for p in found if Role.TEACHER in p.roles]
    if len(teachers) == 1:
        return teachers[0]
    if len(teachers) > 1:
        plan.error(column, f"в школе несколько учителей «{full}»: назначьте классного руководителя на странице класса")
    elif found:
        plan.error(column, f"{full} — не учитель: классным руководителем быть не может")
    else:
        plan.error(column, f"учителя «{full}» в школе нет: сначала импортируйте сотрудников")
    return None
