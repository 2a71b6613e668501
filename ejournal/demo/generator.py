"""The demo school generator: `generate(seed)` builds a believable school with a year of journal records.

The structure (year, periods, holidays, classes, subgroups, curriculum, нагрузка, timetable, dated lessons,
the transfer, the replacement, the cancelled and the extra lesson) goes through the services of schools,
curriculum and accounts, so it obeys the same rules as the pages. People, enrolments and the journal
records are written in bulk (see records.py): that is what makes a year of a 1,000-student school take
seconds instead of an hour. Every random choice comes from `random.Random` seeded with the seed, so the
same seed and the same --today give the same names, logins, timetable and marks.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ejournal.accounts import services as people_services
from ejournal.accounts.models import Guardianship, Role, RoleGrant, User
from ejournal.core.time import school_today
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Subject, TeachingAssignment, TimetableSlot
from ejournal.curriculum.services import BellTimes
from ejournal.journal.defaults import ensure_default_mark_kinds
from ejournal.schools import services as schools
from ejournal.schools.calendar_defaults import recommended_year
from ejournal.schools.models import AcademicYear, ClassGroup, Enrolment, School, Subgroup
from ejournal.schools.setup import create_year_from_spec

from . import events, logins
from .people import PeoplePlan, class_sizes, plan_people
from .records import KindInfo, Membership, RecordsInput, write_records
from .staffing import ClassSpec, Staffing, plan_staffing
from .subjects import HOURS, MAX_LESSONS_PER_DAY, ROOM_FLOORS, SUBJECT_BY_KEY, SUBJECTS, hours, is_split
from .timetable import Block, schedule
from .topics_writer import write_plans

DEMO_PASSWORD = "demo-2026"
DEFAULT_TIMEZONE = "Asia/Yekaterinburg"
LETTERS = "АБВГДЕЖИКЛМН"
# 8 lessons from 08:00, 40 minutes each; the long breaks (20 min) after the 2nd and 3rd lessons.
BELLS = (
    (dt.time(8, 0), dt.time(8, 40)),
    (dt.time(8, 50), dt.time(9, 30)),
    (dt.time(9, 50), dt.time(10, 30)),
    (dt.time(10, 50), dt.time(11, 30)),
    (dt.time(11, 40), dt.time(12, 20)),
    (dt.time(12, 30), dt.time(13, 10)),
    (dt.time(13, 20), dt.time(14, 0)),
    (dt.time(14, 10), dt.time(14, 50)),
)
SUBGROUP_NAMES = ("1 подгруппа", "2 подгруппа")


@dataclass
class DemoResult:
    """What a generation made: the school, its year, how many rows of each kind, and demo users by role."""

    school: School
    year: AcademicYear
    today: dt.date
    password: str
    users: dict[str, User]
    changes: events.Changes
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def default_today() -> dt.date:
    return school_today(DEFAULT_TIMEZONE)


def first_year_of(day: dt.date) -> int:
    """The school year a date belongs to: from August on, the one starting that September."""
    return day.year if day.month >= 8 else day.year - 1


class _Progress:
    def __init__(self, out: Callable[[str], None] | None) -> None:
        self.out = out

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        if self.out:
            self.out(f"{label}… готово за {time.perf_counter() - started:.1f} с")


def generate(
    seed: int,
    *,
    classes_per_parallel: int = 2,
    students_per_class: int = 25,
    today: dt.date | None = None,
    school_name: str | None = None,
    grades: Iterable[int] = range(1, 12),
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Build a new demo school (each call adds one) and fill its year up to `today`."""
    if not 1 <= classes_per_parallel <= len(LETTERS):
        raise ValueError(f"classes_per_parallel: от 1 до {len(LETTERS)}")
    if students_per_class < 2:
        raise ValueError("students_per_class: не меньше 2")
    grade_list = sorted(set(grades))
    if not grade_list or not all(1 <= g <= 11 for g in grade_list):
        raise ValueError("grades: параллели от 1 до 11")
    started = time.perf_counter()
    today = today or default_today()
    with transaction.atomic():
        result = _Generation(
            seed=seed,
            classes=[ClassSpec(g, LETTERS[i]) for g in grade_list for i in range(classes_per_parallel)],
            students_per_class=students_per_class,
            today=today,
            school_name=school_name,
            progress=_Progress(progress),
        ).run()
    result.seconds = time.perf_counter() - started
    return result


class _Generation:
    def __init__(
        self,
        *,
        seed: int,
        classes: list[ClassSpec],
        students_per_class: int,
        today: dt.date,
        school_name: str | None,
        progress: _Progress,
    ) -> None:
        self.seed = seed
        self.classes = classes
        self.students_per_class = students_per_class
        self.today = today
        self.school_name = school_name
        self.progress = progress
        self.first_year = first_year_of(today)
        self.counts: dict[str, int] = {}

    def rng(self, stage: str) -> random.Random:
        """One random source per stage: a change in one stage does not reshuffle the others."""
        return random.Random(f"{self.seed}:{stage}")

    def run(self) -> DemoResult:
        step = self.progress.step
        with step("Школа, сотрудники, ученики и родители"):
            self._people()
        with step("Учебный год, звонки, классы, зачисление"):
            self._year_and_classes()
        with step("Предметы, учебный план, подгруппы, нагрузка"):
            self._curriculum()
        with step("Расписание без накладок"):
            self._timetable()
        with step("Уроки на учебный год"):
            created = curriculum.generate_lessons(actor=self.admin, year=self.year).created
            self.counts["lessons_generated"] = created
        with step("Перевод, замена, отмена и дополнительный урок"):
            self.changes = events.apply(self, self.rng("events"))
        with step("КТП и темы уроков"):
            self.plan = write_plans(self)
        with step("Посещаемость, отметки и домашние задания"):
            self._records()
        self.counts.update(
            classes=len(self.classes),
            students=sum(len(v) for v in self.people.students.values()),
            teachers=len(self.people.teachers),
            parents=sum(1 for p in self.people.persons if Role.PARENT in p.roles),
            users=len(self.people.persons),
            lessons=len(self.plan.lessons),
            lessons_until_today=sum(1 for lesson in self.plan.lessons if lesson.date <= self.today),
            planned_topics=self.plan.planned_topics,
        )
        return DemoResult(
            school=self.school,
            year=self.year,
            today=self.today,
            password=DEMO_PASSWORD,
            users=logins.demo_users(self.school),
            changes=self.changes,
            counts=self.counts,
        )

    # --- people -----------------------------------------------------------------------------------

    def _people(self) -> None:
        self.staffing: Staffing = plan_staffing(self.classes)
        number = School.objects.count() + 1
        while True:
            # Logins are global: the first school gets plain ones, later schools a prefix with their number.
            prefix = "" if number == 1 else f"s{number}."
            rng = self.rng("people")
            sizes = class_sizes(len(self.classes), self.students_per_class, rng)
            plan = plan_people(self.classes, self.staffing, sizes, rng, first_year=self.first_year, login_prefix=prefix)
            wanted = [p.login for p in plan.persons]
            if not User.objects.filter(username__in=wanted).exists():
                break
            number += 1
        self.people: PeoplePlan = plan
        name = (
            self.school_name
            or f"Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № {number}»"
        )
        short = self.school_name or f"МАОУ «СОШ № {number}»"
        self.school = people_services.create_school(
            name=name, short_name=short[:100], timezone=DEFAULT_TIMEZONE, municipality="Пермский городской округ"
        )
        self.mark_kinds = ensure_default_mark_kinds(self.school)

        tz = ZoneInfo(DEFAULT_TIMEZONE)
        joined = dt.datetime(self.first_year, 8, 25, 10, 0, tzinfo=tz)
        # One hash for everyone: Argon2 per user would take minutes for a thousand people.
        password = make_password(DEMO_PASSWORD)
        users = [
            User(
                school=self.school,
                username=p.login,
                password=password,
                last_name=p.name.last,
                first_name=p.name.first,
                middle_name=p.name.middle,
                birth_date=p.birth_date,
                phone=p.phone,
                date_joined=joined,
                # Nobody of a school is is_staff or superuser: the Django admin is the operators' (createoperator).
            )
            for i, p in enumerate(plan.persons)
        ]
        self.users = User.objects.bulk_create(users, batch_size=2000)
        RoleGrant.objects.bulk_create(
            (
                RoleGrant(school=self.school, user=self.users[i], role=role)
                for i, p in enumerate(plan.persons)
                for role in p.roles
            ),
            batch_size=2000,
        )
        # granted_at is auto_now_add: pin it so that two generations with one seed stay identical.
        RoleGrant.objects.filter(school=self.school).update(granted_at=joined)
        Guardianship.objects.bulk_create(
            (
                Guardianship(school=self.school, parent=self.users[p], child=self.users[c], relation=relation)
                for p, c, relation in plan.guardianships
            ),
            batch_size=2000,
        )
        self.admin = self.users[plan.admin]
        self.teacher_users = [self.users[i] for i in plan.teachers]

    # --- year, classes, enrolment -----------------------------------------------------------------

    def _year_and_classes(self) -> None:
        self.year = create_year_from_spec(actor=self.admin, school=self.school, spec=recommended_year(self.first_year))
        curriculum.set_bells(
            actor=self.admin, bells=[BellTimes(n, start, end) for n, (start, end) in enumerate(BELLS, 1)]
        )
        self.lesson_end = {n: end for n, (_, end) in enumerate(BELLS, 1)}
        self.groups: list[ClassGroup] = []
        for ci, spec in enumerate(self.classes):
            leader = self.staffing.class_teacher.get(ci)
            teachers = [self.teacher_users[leader]] if leader is not None else []
            self.groups.append(
                schools.create_class(
                    actor=self.admin, year=self.year, grade=spec.grade, letter=spec.letter, class_teachers=teachers
                )
            )
        Enrolment.objects.bulk_create(
            (
                Enrolment(school=self.school, student=self.users[s.person], class_group=group, start=self.year.start)
                for ci, group in enumerate(self.groups)
                for s in self.people.students[ci]
            ),
            batch_size=2000,
        )
        self.class_roster: dict[int, list[Membership]] = {
            group.pk: [Membership(self.users[s.person].pk, self.year.start, None) for s in self.people.students[ci]]
            for ci, group in enumerate(self.groups)
        }

    # --- subjects, curriculum, subgroups, assignments ---------------------------------------------

    def _curriculum(self) -> None:
        used = {key for spec in self.classes for key in HOURS[spec.grade]}
        self.subjects: dict[str, Subject] = {}
        for spec in SUBJECTS:
            if spec.key in used:
                self.subjects[spec.key] = curriculum.create_subject(
                    actor=self.admin, name=spec.name, short_name=spec.short_name
                )
        for grade in sorted({c.grade for c in self.classes}):
            for key in HOURS[grade]:
                curriculum.set_curriculum_hours(
                    actor=self.admin,
                    year=self.year,
                    grade=grade,
                    subject=self.subjects[key],
                    hours_per_week=hours(grade, key),
                )

        self.subgroups: dict[tuple[int, str, int], Subgroup] = {}
        self.subgroup_roster: dict[int, list[Membership]] = {}
        for ci, cls in enumerate(self.classes):
            students = [self.users[s.person] for s in self.people.students[ci]]
            half = (len(students) + 1) // 2
            for key in HOURS[cls.grade]:
                if not is_split(SUBJECT_BY_KEY[key], cls.grade):
                    continue
                for k, members in ((1, students[:half]), (2, students[half:])):
                    subgroup = schools.create_subgroup(
                        actor=self.admin,
                        class_group=self.groups[ci],
                        subject=self.subjects[key],
                        name=SUBGROUP_NAMES[k - 1],
                        students=members,
                    )
                    self.subgroups[(ci, key, k)] = subgroup
                    self.subgroup_roster[subgroup.pk] = [Membership(u.pk, self.year.start, None) for u in members]

        self.assignments: dict[tuple[int, str, int | None], TeachingAssignment] = {}
        for unit in self.staffing.units:
            self.assignments[(unit.class_index, unit.subject_key, unit.subgroup)] = curriculum.create_assignment(
                actor=self.admin,
                teacher=self.teacher_users[unit.teacher],
                class_group=self.groups[unit.class_index],
                subject=self.subjects[unit.subject_key],
                subgroup=self.subgroups.get((unit.class_index, unit.subject_key, unit.subgroup or 0)),
            )

    # --- the weekly grid --------------------------------------------------------------------------

    def _rooms(self) -> dict[tuple[int, str], str]:
        """(teacher, subject) → room. Each teacher keeps a room (the class's own room in primary school),
        PE teachers the gym and a classroom for ОБЗР; numbers run on per floor, so they never repeat and
        rooms never clash where teachers do not."""
        rooms: dict[tuple[int, str], str] = {}
        next_on_floor: dict[int, int] = defaultdict(int)
        named: dict[str, int] = defaultdict(int)

        def numbered(floor: int) -> str:
            next_on_floor[floor] += 1
            return str(floor * 100 + next_on_floor[floor])

        for t, plan in enumerate(self.staffing.teachers):
            own = ""
            for key in plan.subjects:
                if key == "pe" or plan.family == "technology":
                    base = "Спортзал" if key == "pe" else "Мастерская"
                    named[base] += 1
                    rooms[(t, key)] = base if named[base] == 1 else f"{base} {named[base]}"
                else:
                    own = own or numbered(ROOM_FLOORS.get(plan.family, 2))
                    rooms[(t, key)] = own
        return rooms

    def _timetable(self) -> None:
        blocks: list[Block] = []
        block_units: list[list[TeachingAssignment]] = []  # the assignments taught at once: one, or two subgroups
        index: dict[tuple[int, str], int] = {}
        for unit in self.staffing.units:
            key = (unit.class_index, unit.subject_key)
            assignment = self.assignments[(unit.class_index, unit.subject_key, unit.subgroup)]
            if key in index:
                b = blocks[index[key]]
                blocks[index[key]] = Block(b.class_key, b.subject_key, (*b.teachers, unit.teacher), b.hours)
                block_units[index[key]].append(assignment)
            else:
                index[key] = len(blocks)
                blocks.append(Block(unit.class_index, unit.subject_key, (unit.teacher,), unit.hours))
                block_units.append([assignment])
        placed = schedule(
            blocks,
            {ci: MAX_LESSONS_PER_DAY[c.grade] for ci, c in enumerate(self.classes)},
            self.rng("timetable"),
        )
        rooms = self._rooms()
        teacher_index = {u.pk: t for t, u in enumerate(self.teacher_users)}
        slots = [
            TimetableSlot(
                school=self.school,
                year=self.year,
                assignment=assignment,
                weekday=weekday,
                number=number,
                room=rooms[(teacher_index[assignment.teacher_id], block.subject_key)],
            )
            for block, assignments, hours_placed in zip(blocks, block_units, placed, strict=True)
            for weekday, number in hours_placed
            for assignment in assignments
        ]
        _check_grid(slots)
        TimetableSlot.objects.bulk_create(slots, batch_size=2000)
        self.counts["timetable_slots"] = len(slots)

    # --- journal records --------------------------------------------------------------------------

    def _records(self) -> None:
        grade_of = {g.pk: g.grade for g in self.groups}
        leader_of = {self.groups[ci].pk: self.teacher_users[t].pk for ci, t in self.staffing.class_teacher.items()}
        ability, sickliness = {}, {}
        for roster in self.people.students.values():
            for s in roster:
                pk = self.users[s.person].pk
                ability[pk] = s.ability
                sickliness[pk] = s.sickliness
        school = self.school
        data = RecordsInput(
            school_id=school.pk,
            timezone=school.timezone,
            today=min(self.today, self.year.end),
            lessons=self.plan.lessons,
            lesson_line=self.plan.lesson_line,
            class_grade=grade_of,
            class_roster=self.class_roster,
            subgroup_roster=self.subgroup_roster,
            ability=ability,
            sickliness=sickliness,
            subject_info={subject.pk: (key, SUBJECT_BY_KEY[key].category) for key, subject in self.subjects.items()},
            kinds={k.code: KindInfo(k.pk, k.deadline_kind) for k in self.mark_kinds},
            lesson_end=self.lesson_end,
            class_teacher=leader_of,
            oral_days=school.oral_deadline_days,
            written_days=school.written_deadline_days,
            essay_days=school.essay_deadline_days,
            counts=self.counts,
        )
        write_records(data, self.rng("records"))


def _check_grid(slots: list[TimetableSlot]) -> None:
    """The rules curriculum.services.set_slot checks one slot at a time, for the whole grid at once (one
    set_slot call per slot costs ~14 ms: seconds for a school): a teacher, a room and a class (unless two
    different subgroups of it) are in one place at a time, on weekdays and lessons the bells have."""
    seen_teacher: set[tuple[int, int, int]] = set()
    seen_room: set[tuple[int, int, str]] = set()
    seen_class: dict[tuple[int, int, int], list[int | None]] = defaultdict(list)
    for slot in slots:
        a = slot.assignment
        when = (slot.weekday, slot.number)
        if not (1 <= slot.weekday <= 5 and 1 <= slot.number <= len(BELLS)):
            raise RuntimeError(f"Урок расписания вне недели или звонков: {when}")
        if (*when, a.teacher_id) in seen_teacher:
            raise RuntimeError(f"Накладка учителя {a.teacher_id}: {when}")
        if slot.room and (*when, slot.room) in seen_room:
            raise RuntimeError(f"Накладка кабинета {slot.room}: {when}")
        others = seen_class[(*when, a.class_group_id)]
        if others and (a.subgroup_id is None or None in others or a.subgroup_id in others):
            raise RuntimeError(f"Накладка класса {a.class_group_id}: {when}")
        seen_teacher.add((*when, a.teacher_id))
        seen_room.add((*when, slot.room))
        others.append(a.subgroup_id)
