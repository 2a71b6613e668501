"""Editing the school's people (the administrator's pages and API) and reading them for those pages.

Every change is kept in the person's history (`PersonChange`: who, when, old and new value; for the СНИЛС
only that it changed) and the security-relevant ones also in the audit log (ids only, no personal data).
Nobody is ever deleted: a person who leaves is deactivated, keeping every record they are part of.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest

from ejournal.access import people as access_people
from ejournal.access import roles as access_roles
from ejournal.access import tenancy
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date, school_today
from ejournal.schools import services as schools
from ejournal.schools.models import ClassGroup, Enrolment, School

from . import services
from .errors import AccountsCode
from .models import Guardianship, PersonChange, Role, RoleGrant, User

PAGE_SIZE = 50

# What the history calls each field; the СНИЛС row never carries values.
FIELD_LABELS = {
    "last_name": "фамилия",
    "first_name": "имя",
    "middle_name": "отчество",
    "birth_date": "дата рождения",
    "snils": "СНИЛС",
    "phone": "телефон",
    "email": "e-mail",
    "username": "логин",
    PersonChange.ROLES: "роли",
    PersonChange.ACTIVE: "доступ",
    PersonChange.PASSWORD: "пароль",
    PersonChange.GUARDIANSHIP: "родители и дети",
    PersonChange.CLASS_TEACHER: "классное руководство",
}
PERSONAL_FIELDS = frozenset({"birth_date", "snils"})
EDITABLE_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "snils", "phone", "email")


# --- checking input ---------------------------------------------------------------------------------------


def normalize_snils(value: str) -> str:
    """«123-456-789 64» from any spacing; the control number is checked as the Pension Fund computes it."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 11:
        raise ValidationFailed("СНИЛС — 11 цифр, например 123-456-789 64.", code=AccountsCode.BAD_SNILS, field="snils")
    number, control = digits[:9], int(digits[9:])
    # Numbers up to 001-001-998 were issued before the control number existed.
    if int(number) > 1001998:
        total = sum(int(d) * (9 - i) for i, d in enumerate(number))
        expected = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
        if control != expected:
            raise ValidationFailed(
                "СНИЛС введён с ошибкой: не сходится контрольное число.", code=AccountsCode.BAD_SNILS, field="snils"
            )
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def normalize_phone(value: str) -> str:
    """A Russian number as «+79123456789»; «8 (912) 345-67-89» and «+7 912 345 67 89» are accepted."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 10:
        digits = "7" + digits
    if len(digits) != 11 or digits[0] not in "78" or re.search(r"[^\d\s()+-]", value):
        raise ValidationFailed("Телефон: 11 цифр, например +7 912 345-67-89.", field="phone")
    return "+7" + digits[1:]


def normalize_email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationFailed("Адрес электронной почты введён с ошибкой.", field="email") from None
    return value


def check_birth_date(value: dt.date | None, today: dt.date) -> dt.date | None:
    if value is not None and not (dt.date(1900, 1, 1) <= value <= today):
        raise ValidationFailed("Дата рождения не может быть в будущем или раньше 1900 года.", field="birth_date")
    return value


def _clean(values: dict[str, object], today: dt.date) -> dict[str, object]:
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    for name in ("last_name", "first_name"):
        if name in cleaned and not cleaned[name]:
            raise ValidationFailed("Укажите фамилию и имя.", field=name)
    if "snils" in cleaned:
        cleaned["snils"] = normalize_snils(str(cleaned["snils"]))
    if "phone" in cleaned:
        cleaned["phone"] = normalize_phone(str(cleaned["phone"]))
    if "email" in cleaned:
        cleaned["email"] = normalize_email(str(cleaned["email"]))
    if "birth_date" in cleaned:
        cleaned["birth_date"] = check_birth_date(cleaned["birth_date"], today)  # type: ignore[arg-type]
    return cleaned


def _today(school: School) -> dt.date:
    return school_today(school.timezone)


def _require_manages(actor: User, *people: User) -> None:
    access_roles.require(access_roles.manages_people(actor) and tenancy.same_school(actor, *people))


def _shown(value: object) -> str:
    if value is None:
        return ""
    return ru_date(value) if isinstance(value, dt.date) else str(value)


def _history_values(name: str, old: object, new: object) -> tuple[str, str]:
    """The СНИЛС is never copied into the history; the page says «изменён»."""
    if name == "snils":
        return "", ""
    return _shown(old), _shown(new)


# --- writes -----------------------------------------------------------------------------------------------


WRONG_GRANTER_PASSWORD = (
    "Неверный пароль: человек не добавлен. Для роли администратора или директора введите свой текущий пароль."
)


def add_person(
    *,
    actor: User,
    school: School,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    snils: str = "",
    phone: str = "",
    email: str = "",
    roles: Iterable[str] = (),
    granter_password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """A new person of the school with their roles. They cannot sign in until credentials are issued.

    A new administrator or director needs the granter's current password (`granter_password`), as a role
    given on the card does (services.grant_role): a wrong or missing one creates nothing and is kept in the
    security log."""
    _require_manages(actor)
    tenancy.in_school_of(actor, school)
    extra = _clean({"snils": snils, "phone": phone, "email": email, "birth_date": birth_date}, _today(school))
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise ValidationFailed("Выберите хотя бы одну роль.", field="roles")
    if not access_people.roles_compatible(roles):
        raise ValidationFailed(services.STUDENT_CONFLICT, code=AccountsCode.STUDENT_ROLE_CONFLICT, field="roles")
    confirmed = sorted(r for r in roles if access_people.grant_needs_password(r))
    if confirmed:
        labels = ", ".join(f"«{Role(r).label}»" for r in confirmed)
        services.require_granter_password(
            actor=actor,
            password=granter_password,
            request=request,
            refusal=f"Новый пользователь с ролью {labels} не создан: неверный пароль.",
            message=WRONG_GRANTER_PASSWORD,
            details={"roles": confirmed, "new_person": True},
        )
    with transaction.atomic():
        person = services.create_person(
            actor=actor,
            school=school,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            birth_date=extra["birth_date"],  # type: ignore[arg-type]
            roles=roles,
            email=str(extra["email"]),
        )
        if extra["snils"] or extra["phone"]:
            person.snils, person.phone = str(extra["snils"]), str(extra["phone"])
            person.save(update_fields=["snils", "phone"])
    return person


@transaction.atomic
def update_person(*, actor: User, person: User, request: HttpRequest | None = None, **values: object) -> list[str]:
    """Change the person's names, birth date, СНИЛС, phone or e-mail (only the keywords given); returns the
    fields that changed. Each change goes into the history; the audit log gets the names of the fields."""
    _require_manages(actor, person)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Это поле не изменяется здесь: {', '.join(sorted(unknown))}.")
    assert person.school is not None  # _require_manages: same school as the actor
    cleaned = _clean(values, _today(person.school))
    changed = [name for name, value in cleaned.items() if getattr(person, name) != value]
    if not changed:
        return []
    for name in changed:
        old, new = _history_values(name, getattr(person, name), cleaned[name])
        services.record_change(actor=actor, person=person, field=name, old=old, new=new)
        setattr(person, name, cleaned[name])
    person.save(update_fields=changed)
    record(
        kind=EventKind.USER_CHANGED,
        summary=f"Изменены данные пользователя №{person.pk}.",
        actor=actor,
        subject=person,
        request=request,
        details={"fields": changed},
    )
    return changed


@transaction.atomic
def set_active(*, actor: User, person: User, active: bool, request: HttpRequest | None = None) -> None:
    """Deactivate (the person can no longer sign in; every record they are part of stays) or reactivate."""
    _require_manages(actor, person)
    if not active and person.pk == actor.pk:
        raise ValidationFailed(
            "Нельзя отключить самого себя: это сделает другой администратор.", code=AccountsCode.OWN_ACCOUNT
        )
    if person.is_active == active:
        return
    person.is_active = active
    person.save(update_fields=["is_active"])
    labels = ("отключён", "действует")
    services.record_change(
        actor=actor, person=person, field=PersonChange.ACTIVE, old=labels[not active], new=labels[active]
    )
    record(
        kind=EventKind.USER_ACTIVATED if active else EventKind.USER_DEACTIVATED,
        summary=f"Пользователь №{person.pk} {'включён' if active else 'отключён'}.",
        actor=actor,
        subject=person,
        request=request,
    )


def check_guardian(*, actor: User, parent: User, child: User) -> None:
    """Refuse a link before it is shown for confirmation: not a parent, not a student, already linked."""
    _require_manages(actor, parent, child)
    if not child.has_role(Role.STUDENT):
        raise ValidationFailed(f"{child.full_name} не ученик.")
    if not parent.has_role(Role.PARENT):
        raise ValidationFailed(f"{parent.full_name} не родитель.")
    if Guardianship.objects.filter(school_id=child.school_id, parent=parent, child=child).exists():
        raise ValidationFailed(f"{parent.full_name} уже указан(а) родителем {child.full_name}.")


@transaction.atomic
def link_guardian(*, actor: User, parent: User, child: User, relation: str = "") -> Guardianship:
    """Make `parent` a parent (законный представитель) of `child`; kept in both people's history."""
    check_guardian(actor=actor, parent=parent, child=child)
    link = services.link_parent(actor=actor, parent=parent, child=child, relation=relation.strip()[:30])
    for person, other in ((parent, child), (child, parent)):
        services.record_change(actor=actor, person=person, field=PersonChange.GUARDIANSHIP, new=other.full_name)
    return link


@transaction.atomic
def unlink_guardian(*, actor: User, link: Guardianship) -> None:
    parent, child = link.parent, link.child
    _require_manages(actor, parent, child)
    link.delete()
    for person, other in ((parent, child), (child, parent)):
        services.record_change(actor=actor, person=person, field=PersonChange.GUARDIANSHIP, old=other.full_name)


@transaction.atomic
def set_leads_class(*, actor: User, person: User, class_group: ClassGroup, leads: bool) -> None:
    """Make the person a class teacher (классный руководитель) of the class, or no longer; other class
    teachers of the class stay."""
    _require_manages(actor, person)
    teachers = list(class_group.class_teachers.all())
    if (person in teachers) == leads:
        return
    wanted = [*teachers, person] if leads else [t for t in teachers if t.pk != person.pk]
    schools.set_class_teachers(actor=actor, class_group=class_group, teachers=wanted)
    services.record_change(
        actor=actor,
        person=person,
        field=PersonChange.CLASS_TEACHER,
        old="" if leads else class_group.name,
        new=class_group.name if leads else "",
    )


# --- reads ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilter:
    q: str = ""
    role: str = ""
    class_id: int | None = None
    status: str = "active"  # "active", "inactive", "all"


@dataclass
class PersonRow:
    person: User
    role_labels: list[str]
    classes: list[str]  # the student's class, or «кл. рук. 5А» for a class teacher


def _search(qs: QuerySet[User], q: str) -> QuerySet[User]:
    """Every word must match a name or the login. SQLite folds only ASCII case, so the usual spellings of a
    Cyrillic word (as typed, lower, Capitalised, UPPER) are each tried; PostgreSQL folds them itself."""
    for word in q.split()[:4]:
        cond = Q()
        for variant in {word, word.lower(), word.capitalize(), word.upper()}:
            for name in ("last_name", "first_name", "middle_name", "username"):
                cond |= Q(**{f"{name}__icontains": variant})
        qs = qs.filter(cond)
    return qs


def _open_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


def filter_people(*, user: User, filters: PeopleFilter) -> QuerySet[User]:
    """The school's people matching the filters, for the list page and the API. A class means its students
    (not left before today), their parents and its class teachers."""
    access_people.require_reads_people(user)
    qs = access_people.visible_people(user)
    if filters.status == "active":
        qs = qs.filter(is_active=True)
    elif filters.status == "inactive":
        qs = qs.filter(is_active=False)
    if filters.role:
        qs = qs.filter(pk__in=RoleGrant.objects.filter(school_id=user.school_id, role=filters.role).values("user_id"))
    if filters.class_id is not None:
        in_class = Enrolment.objects.filter(school_id=user.school_id, class_group_id=filters.class_id).filter(
            Q(end__isnull=True) | Q(end__gte=_today(user.school))  # type: ignore[arg-type]
        )
        students = in_class.values("student_id")
        parents = Guardianship.objects.filter(school_id=user.school_id, child_id__in=students).values("parent_id")
        leaders = ClassGroup.class_teachers.through.objects.filter(
            classgroup_id=filters.class_id, classgroup__school_id=user.school_id
        ).values("user_id")
        qs = qs.filter(Q(pk__in=students) | Q(pk__in=parents) | Q(pk__in=leaders))
    if filters.q:
        qs = _search(qs, filters.q)
    return qs.order_by("last_name", "first_name", "middle_name", "pk")


def people_page(*, user: User, filters: PeopleFilter, page_number: str | int = 1) -> tuple[Page, list[PersonRow]]:
    """One page of the school's people for the people list: five queries whatever the school's size (count,
    the page, their roles, their current classes, the classes they lead)."""
    qs = filter_people(user=user, filters=filters)
    assert user.school is not None
    today = _today(user.school)
    qs = qs.prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.filter(school_id=user.school_id).order_by("role")),
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.filter(_open_on(today), school_id=user.school_id).select_related("class_group"),
            to_attr="current_enrolments",
        ),
        Prefetch(
            "led_classes",
            queryset=ClassGroup.objects.filter(school_id=user.school_id, year__end__gte=today).order_by(
                "grade", "letter"
            ),
            to_attr="current_led",
        ),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    rows = []
    for person in page.object_list:
        classes = [e.class_group.name for e in person.current_enrolments]  # type: ignore[attr-defined]
        classes += [f"кл. рук. {c.name}" for c in person.current_led]  # type: ignore[attr-defined]
        rows.append(PersonRow(person, [Role(g.role).label for g in person.role_grants.all()], classes))
    return page, rows


def current_class_names(student: User) -> list[str]:
    """The classes a student is in today (or will be: an enrolment that starts later), for the link page."""
    assert student.school is not None
    today = _today(student.school)
    enrolments = Enrolment.objects.filter(school_id=student.school_id, student=student).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    return [e.class_group.name for e in enrolments.select_related("class_group").order_by("start")]


@dataclass(frozen=True)
class FoundPerson:
    person: User
    note: str  # a student's class, so that two namesakes can be told apart (never a birth date)


def find_for_link(*, user: User, person: User, kind: str, text: str, limit: int = 20) -> list[FoundPerson]:
    """Parents (`kind="parent"`) to link to the student `person`, or students (`kind="child"`) to link to the
    parent `person`, whose name or login matches `text`; not those already linked. Two queries."""
    _require_manages(user, person)
    role = Role.PARENT if kind == "parent" else Role.STUDENT
    qs = User.objects.filter(school_id=user.school_id, is_active=True, role_grants__role=role).exclude(pk=person.pk)
    # Not those already linked to the person.
    qs = qs.exclude(children_links__child=person) if kind == "parent" else qs.exclude(parent_links__parent=person)
    assert user.school is not None
    today = _today(user.school)
    found = list(
        _search(qs, text)
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.filter(
                    Q(end__isnull=True) | Q(end__gte=today), school_id=user.school_id
                ).select_related("class_group"),
                to_attr="open_enrolments",
            )
        )[:limit]
    )
    return [FoundPerson(p, ", ".join(e.class_group.name for e in p.open_enrolments)) for p in found]


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor: str
    what: str
    old: str
    new: str


@dataclass
class PersonCard:
    person: User
    roles: list[str]
    parents: list[Guardianship]
    children: list[Guardianship]
    enrolments: list[Enrolment]
    led_classes: list[ClassGroup]
    history: list[HistoryRow] = field(default_factory=list)
    credential_class: ClassGroup | None = None  # where the person's credentials are issued


def history_rows(changes: Iterable[PersonChange], *, personal: bool) -> list[HistoryRow]:
    rows = []
    for change in changes:
        old, new = change.old_value, change.new_value
        if change.field == "snils":
            old, new = "", "изменён"
        elif change.field in PERSONAL_FIELDS and not personal:
            old, new = "скрыто", "скрыто"
        rows.append(
            HistoryRow(
                at=change.at,
                actor=change.actor.short_name if change.actor else "система",
                what=FIELD_LABELS.get(change.field, change.field),
                old=old,
                new=new,
            )
        )
    return rows


def person_card(*, user: User, person: User, history_limit: int = 100) -> PersonCard:
    """Everything the person page shows, in a fixed number of queries."""
    access_people.require_reads_people(user)
    assert user.school is not None
    today = _today(user.school)
    links = list(
        Guardianship.objects.filter(school_id=person.school_id)
        .filter(Q(parent=person) | Q(child=person))
        .select_related("parent", "child")
        .order_by("child__last_name", "parent__last_name")
    )
    enrolments = list(
        Enrolment.objects.filter(school_id=person.school_id, student=person)
        .select_related("class_group")
        .order_by("-start")
    )
    led = list(person.led_classes.filter(school_id=person.school_id, year__end__gte=today).order_by("grade", "letter"))
    changes = PersonChange.objects.filter(school_id=person.school_id, person=person).select_related("actor")
    card = PersonCard(
        person=person,
        roles=sorted(person.roles),
        parents=[link for link in links if link.child_id == person.pk],
        children=[link for link in links if link.parent_id == person.pk],
        enrolments=enrolments,
        led_classes=led,
        history=history_rows(changes[:history_limit], personal=access_people.sees_personal_data(user)),
    )
    current = next((e for e in enrolments if e.active_on(today) or e.start > today), None)
    if current is not None:
        card.credential_class = current.class_group
    elif card.children:
        child_ids = [link.child_id for link in card.children]
        open_ = Enrolment.objects.filter(school_id=person.school_id, student_id__in=child_ids).filter(
            Q(end__isnull=True) | Q(end__gte=today)
        )
        first = open_.select_related("class_group").order_by("class_group__grade").first()
        card.credential_class = first.class_group if first else None
    return card
