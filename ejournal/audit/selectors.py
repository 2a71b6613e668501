"""Usage monitoring and the security log, each read in a fixed number of queries whatever the school's size."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, QuerySet, Sum

from ejournal.accounts.auth.lockout import client_tag
from ejournal.accounts.models import Guardianship, Role, RoleGrant, User
from ejournal.journal.models import ChangeRecord
from ejournal.schools.models import Enrolment, School

from .models import EventKind, SecurityEvent, UsageDay

ROLE_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER, Role.STUDENT, Role.PARENT)
ROLE_TITLES = dict(Role.choices)


@dataclass(frozen=True)
class RoleUsage:
    role: str
    title: str
    people: int
    active: int
    logins: int
    requests: int

    @property
    def share(self) -> float | None:
        return 100 * self.active / self.people if self.people else None


@dataclass(frozen=True)
class ClassUsage:
    class_id: int
    class_name: str
    students: int
    students_active: int
    parents: int
    parents_opened_diary: int

    @property
    def students_share(self) -> float | None:
        return 100 * self.students_active / self.students if self.students else None

    @property
    def parents_share(self) -> float | None:
        return 100 * self.parents_opened_diary / self.parents if self.parents else None


@dataclass(frozen=True)
class PersonUsage:
    user_id: int
    name: str
    roles: tuple[str, ...]
    class_names: tuple[str, ...]
    last_login: dt.datetime | None
    logins: int
    active_days: int
    requests: int
    diary_days: int
    journal_changes: int


@dataclass
class UsageOverview:
    start: dt.date
    end: dt.date
    idle_days: int
    by_role: list[RoleUsage] = field(default_factory=list)
    by_class: list[ClassUsage] = field(default_factory=list)
    people: list[PersonUsage] = field(default_factory=list)
    # Teachers with no login in the last `idle_days` days before `end` (or never).
    idle_teachers: list[PersonUsage] = field(default_factory=list)

    @property
    def parents(self) -> tuple[int, int]:
        """Parents of the school's students and those of them who opened the diary in the range."""
        return sum(c.parents for c in self.by_class), sum(c.parents_opened_diary for c in self.by_class)


def usage_overview(*, school: School, start: dt.date, end: dt.date, idle_days: int = 14) -> UsageOverview:
    """Who used the product from `start` to `end`: by role, by class (students; parents opening the diary),
    per person, and teachers idle for `idle_days`. Eight queries."""
    people = {
        u["id"]: u
        for u in User.objects.filter(school=school, is_active=True).values(
            "id", "last_name", "first_name", "middle_name", "last_login"
        )
    }
    roles_of: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleGrant.objects.filter(school=school, user__is_active=True).values_list("user_id", "role"):
        roles_of[user_id].add(role)
    days: Counter[int] = Counter()
    requests: Counter[int] = Counter()
    diary_days: Counter[int] = Counter()
    in_range = UsageDay.objects.filter(school=school, date__range=(start, end))
    for used in in_range.values("user_id", "section").annotate(days=Count("date"), requests=Sum("requests")):
        requests[used["user_id"]] += used["requests"]
        if used["section"] == "diary":
            diary_days[used["user_id"]] = used["days"]
    days.update(
        dict(in_range.values_list("user_id").annotate(n=Count("date", distinct=True)).values_list("user_id", "n"))
    )
    zone = ZoneInfo(school.timezone)
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    logins = Counter(
        dict(
            SecurityEvent.objects.filter(school=school, kind=EventKind.LOGIN, at__range=(start_at, end_at))
            .values_list("actor_id")
            .annotate(n=Count("id"))
            .values_list("actor_id", "n")
        )
    )
    changes = Counter(
        dict(
            ChangeRecord.objects.filter(school=school, at__range=(start_at, end_at))
            .values_list("actor_id")
            .annotate(n=Count("id"))
            .values_list("actor_id", "n")
        )
    )
    class_of: dict[int, tuple[int, str]] = {}
    for student_id, class_id, grade, letter in Enrolment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=end), school=school, start__lte=end
    ).values_list("student_id", "class_group_id", "class_group__grade", "class_group__letter"):
        class_of[student_id] = (class_id, f"{grade}{letter}")
    children_of: dict[int, list[int]] = defaultdict(list)
    for parent_id, child_id in Guardianship.objects.filter(school=school).values_list("parent_id", "child_id"):
        children_of[parent_id].append(child_id)

    overview = UsageOverview(start=start, end=end, idle_days=idle_days)
    for role in ROLE_ORDER:
        holders = [uid for uid, held in roles_of.items() if role in held and uid in people]
        overview.by_role.append(
            RoleUsage(
                role=role,
                title=ROLE_TITLES[role],
                people=len(holders),
                active=sum(1 for uid in holders if days[uid]),
                logins=sum(logins[uid] for uid in holders),
                requests=sum(requests[uid] for uid in holders),
            )
        )
    overview.by_class = _by_class(class_of, children_of, set(people), days, diary_days)
    idle_since = dt.datetime.combine(end - dt.timedelta(days=idle_days), dt.time.min, tzinfo=zone)
    for uid, person in sorted(people.items(), key=lambda p: (p[1]["last_name"], p[1]["first_name"], p[0])):
        held = roles_of.get(uid, set())
        classes = sorted(
            {class_of[c][1] for c in children_of.get(uid, []) if c in class_of}
            | ({class_of[uid][1]} if uid in class_of else set())
        )
        row = PersonUsage(
            user_id=uid,
            name=" ".join(p for p in (person["last_name"], person["first_name"], person["middle_name"]) if p),
            roles=tuple(ROLE_TITLES[r] for r in ROLE_ORDER if r in held),
            class_names=tuple(classes),
            last_login=person["last_login"],
            logins=logins[uid],
            active_days=days[uid],
            requests=requests[uid],
            diary_days=diary_days[uid],
            journal_changes=changes[uid],
        )
        overview.people.append(row)
        if Role.TEACHER in held and (person["last_login"] is None or person["last_login"] < idle_since):
            overview.idle_teachers.append(row)
    return overview


def _by_class(
    class_of: dict[int, tuple[int, str]],
    children_of: dict[int, list[int]],
    people: set[int],
    days: Counter[int],
    diary_days: Counter[int],
) -> list[ClassUsage]:
    students: dict[tuple[int, str], set[int]] = defaultdict(set)
    for student_id, key in class_of.items():
        if student_id in people:
            students[key].add(student_id)
    parents: dict[tuple[int, str], set[int]] = defaultdict(set)
    for parent_id, children in children_of.items():
        if parent_id not in people:
            continue
        for child in children:
            if child in class_of:
                parents[class_of[child]].add(parent_id)
    rows = []
    for key in sorted(students, key=lambda k: (int("".join(ch for ch in k[1] if ch.isdigit()) or 0), k[1])):
        rows.append(
            ClassUsage(
                class_id=key[0],
                class_name=key[1],
                students=len(students[key]),
                students_active=sum(1 for s in students[key] if days[s]),
                parents=len(parents[key]),
                parents_opened_diary=sum(1 for p in parents[key] if diary_days[p]),
            )
        )
    return rows


def events_page(events: QuerySet[SecurityEvent], *, kind: str = "", start: dt.date | None = None) -> QuerySet:
    """The security log with the names of actor and subject in the same query."""
    if kind:
        events = events.filter(kind=kind)
    if start:
        events = events.filter(at__date__gte=start)
    return events.select_related("actor", "subject").order_by("-at", "-id")


@dataclass(frozen=True)
class AccountUnderAttack:
    """An account of the school with many recent failed sign-ins, and the clients they came from (short
    salted hashes of the addresses, the same address always the same tag)."""

    user_id: int
    name: str
    failures: int
    last_at: dt.datetime
    clients: tuple[tuple[str, int], ...]


def accounts_under_attack(
    events: QuerySet[SecurityEvent], *, since: dt.datetime, threshold: int, limit: int = 50
) -> list[AccountUnderAttack]:
    """Accounts with at least `threshold` failed sign-ins (or wrong current passwords) since `since`, most
    attacked first; one query. `events` is the reader's visible security log (access.audit)."""
    rows = (
        events.filter(kind=EventKind.LOGIN_FAILED, at__gte=since, subject__isnull=False)
        .values("subject_id", "subject__last_name", "subject__first_name", "subject__middle_name", "ip")
        .annotate(n=Count("id"), last=Max("at"))
        .order_by()
    )
    by_user: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_user.setdefault(
            row["subject_id"],
            {
                "name": " ".join(
                    p for p in (row["subject__last_name"], row["subject__first_name"], row["subject__middle_name"]) if p
                ),
                "failures": 0,
                "last": row["last"],
                "clients": Counter(),
            },
        )
        entry["failures"] += row["n"]
        entry["last"] = max(entry["last"], row["last"])
        entry["clients"][client_tag(row["ip"])] += row["n"]
    found = [
        AccountUnderAttack(
            user_id=uid,
            name=e["name"],
            failures=e["failures"],
            last_at=e["last"],
            clients=tuple(e["clients"].most_common(5)),
        )
        for uid, e in by_user.items()
        if e["failures"] >= threshold
    ]
    found.sort(key=lambda a: (-a.failures, a.name))
    return found[:limit]
