"""Credentials: one-time passwords and the printed slips — for a class's students and parents on the class's
page, and for one person (staff included) from their card.

A one-time password exists in clear only in the response that issues it (the result page, its PDF and the
API answer); the database keeps the hash. `must_change_password` makes the first sign-in set a new one.
The PDF is built in memory and streamed; it is never written to disk.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import typst
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from ejournal.access import people as access_people
from ejournal.access import roles as access_roles
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.core.time import ru_date, school_today
from ejournal.schools.models import ClassGroup, Enrolment

from .auth import sessions
from .models import Guardianship, PersonChange, Role, User
from .services import new_password, record_change, record_changes, unique_username

SLIPS_TEMPLATE = Path(__file__).parent / "templates" / "people" / "slips.typ"
INSTRUCTION = (
    "Откройте сайт, введите логин и пароль. Пароль одноразовый: при первом входе журнал попросит придумать "
    "свой пароль (не короче 8 знаков). Никому не сообщайте пароль. Потеряли — обратитесь к классному "
    "руководителю."
)
# A slip from the person's card: staff (and anyone else) ask the administrator, who issued it.
CARD_INSTRUCTION = INSTRUCTION.replace("классному руководителю", "администратору ЭЖ школы")


@dataclass(frozen=True)
class RosterRow:
    person: User
    is_student: bool
    role: str  # «ученик 5А», «родитель: Иванов Пётр»
    status: str
    # False for a class teacher looking at a parent who also works at the school (or anyone else who is
    # more than a student or a parent): the administrator issues theirs (access.people.may_issue_credentials).
    issuable: bool = True

    @property
    def indent(self) -> bool:
        return not self.is_student


def _status(person: User) -> str:
    if not person.has_usable_password():
        return "не выдан"
    if person.must_change_password:
        return "выдан, ещё не входил(а)"
    if person.last_login:
        return f"действует, вход {ru_date(person.last_login.date())}"
    return "действует"


def _today(class_group: ClassGroup) -> dt.date:
    return school_today(class_group.school.timezone)


def require_class(user: User, class_id: int) -> ClassGroup:
    """The class whose credentials the user issues, or NotFound: a class teacher's other classes included."""
    group = access_people.credential_classes(user).select_related("school", "year").filter(pk=class_id).first()
    if group is None:
        raise NotFound()
    return group


def credential_roster(*, user: User, class_group: ClassGroup) -> list[RosterRow]:
    """The class's students, each followed by their parents (a parent of two children once): three queries
    whatever the class size. Rows the user may not issue stay listed, marked «выдаёт администратор»."""
    access_roles.require(access_people.credential_classes(user).filter(pk=class_group.pk).exists())
    today = _today(class_group)
    open_enrolments = Enrolment.objects.filter(school_id=class_group.school_id, class_group=class_group).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    students = list(
        User.objects.filter(
            school_id=class_group.school_id,
            is_active=True,
            role_grants__role=Role.STUDENT,
            pk__in=open_enrolments.values("student_id"),
        )
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
    links = list(
        Guardianship.objects.filter(
            school_id=class_group.school_id,
            child_id__in=[s.pk for s in students],
            parent__is_active=True,
            parent__role_grants__role=Role.PARENT,
        )
        .select_related("parent")
        .order_by("parent__last_name", "parent__first_name", "pk")
    )
    access_people.prime_roles([*students, *(link.parent for link in links)])

    def row(person: User, is_student: bool, role: str) -> RosterRow:
        if access_people.may_issue_credentials(user, person, listed_in=class_group):
            return RosterRow(person, is_student, role, _status(person))
        return RosterRow(person, is_student, role, "выдаёт администратор", issuable=False)

    by_child: dict[int, list[Guardianship]] = {}
    for link in links:
        by_child.setdefault(link.child_id, []).append(link)
    rows: list[RosterRow] = []
    seen: set[int] = set()
    for student in students:
        rows.append(row(student, True, f"ученик {class_group.name}"))
        for link in by_child.get(student.pk, []):
            if link.parent_id in seen:
                continue
            seen.add(link.parent_id)
            rows.append(row(link.parent, False, f"родитель: {student.full_name}"))
    return rows


@dataclass(frozen=True)
class IssuedCredential:
    person_id: int
    name: str
    role: str
    login: str
    password: str


ISSUED = "выдан одноразовый пароль"


@transaction.atomic
def issue_credentials(
    *,
    actor: User,
    class_group: ClassGroup,
    person_ids: Iterable[int] | None = None,
    request: HttpRequest | None = None,
) -> list[IssuedCredential]:
    """Give new one-time passwords to the chosen students and parents of the class (`None`: all of them).

    Someone not on the class's list, or whose credentials the administrator issues, is "not found"
    (`None` skips the latter); a login is made for whoever has none. Returns the passwords in clear, once:
    only their hashes are saved.
    """
    rows = {row.person.pk: row for row in credential_roster(user=actor, class_group=class_group) if row.issuable}
    if person_ids is None:
        chosen = list(rows)
    else:
        chosen = list(dict.fromkeys(person_ids))
        if any(pk not in rows for pk in chosen):
            raise NotFound()
    if not chosen:
        raise ValidationFailed("Выберите, кому выдать пароли.", field="people")
    issued = []
    for pk in chosen:
        row = rows[pk]
        password = _set_one_time_password(row.person)
        issued.append(IssuedCredential(pk, row.person.full_name, row.role, row.person.username, password))
    record_changes(actor=actor, people=[rows[pk].person for pk in chosen], field=PersonChange.PASSWORD, new=ISSUED)
    # Whoever is signed in may be so with the old password: the new one starts from a clean slate.
    ended = sessions.end_all_of(user_ids=chosen)
    record(
        kind=EventKind.CREDENTIALS_ISSUED,
        summary=f"Выданы одноразовые пароли: {len(chosen)} чел., класс №{class_group.pk}; завершено сеансов: {ended}.",
        actor=actor,
        request=request,
        details={"class_id": class_group.pk, "count": len(chosen), "user_ids": chosen, "sessions_ended": ended},
    )
    return issued


def _set_one_time_password(person: User) -> str:
    """A new one-time password (and a login for whoever has none); returns it in clear, saves only the hash."""
    fields = ["password", "must_change_password"]
    if not person.username:
        person.username = unique_username(person.last_name, person.first_name, person.middle_name)
        fields.append("username")
    password = new_password()
    person.set_password(password)
    person.must_change_password = True
    person.save(update_fields=fields)
    return password


def may_issue_from_card(actor: User, person: User) -> bool:
    """Whom a one-time password is given from their card: by the people pages' manager, to whom
    access.people.may_issue_credentials allows (anyone of the school but themselves). A class teacher issues
    on the class's page only."""
    return access_roles.manages_people(actor) and access_people.may_issue_credentials(actor, person)


def require_person(actor: User, person: User) -> None:
    """The card's action does not exist (404) for anyone may_issue_from_card refuses."""
    if not may_issue_from_card(actor, person):
        raise NotFound()


def role_text(person: User) -> str:
    """«учитель, заместитель директора по УВР» on the slip."""
    return ", ".join(Role(r).label for r in sorted(person.roles)) or "без роли"


def issue_person_credentials(*, actor: User, person: User, request: HttpRequest | None = None) -> IssuedCredential:
    """A new one-time password for one person: a teacher or a deputy who forgot theirs is on no class's page.

    The person's current password stops working and every session of theirs ends (whoever holds one may
    hold it with the old password); kept in the person's history and the security log. Returns the password
    in clear, once."""
    require_person(actor, person)
    if not person.is_active:
        raise ValidationFailed("Доступ человека отключён: сначала включите его, потом выдайте пароль.")
    with transaction.atomic():
        password = _set_one_time_password(person)
        record_change(actor=actor, person=person, field=PersonChange.PASSWORD, new=ISSUED)
        ended = sessions.end_all(user=person)
        record(
            kind=EventKind.CREDENTIALS_ISSUED,
            summary=f"Выдан одноразовый пароль пользователю №{person.pk}; завершено сеансов: {ended}.",
            actor=actor,
            subject=person,
            request=request,
            details={"count": 1, "user_ids": [person.pk], "sessions_ended": ended},
        )
    return IssuedCredential(person.pk, person.full_name, role_text(person), person.username, password)


def slips_pdf(
    *,
    school_name: str,
    site: str,
    issued: Sequence[IssuedCredential],
    on: dt.date,
    instruction: str = INSTRUCTION,
) -> bytes:
    """One slip per person, eight to an A4 page, with dashed cut lines; built in memory."""
    data = {
        "school": school_name,
        "site": site,
        "instruction": instruction,
        "issued": ru_date(on),
        "people": [{"name": c.name, "role": c.role, "login": c.login, "password": c.password} for c in issued],
    }
    return typst.compile(
        SLIPS_TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        pdf_tags=False,
    )
