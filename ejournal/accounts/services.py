"""Writes of people and roles."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest

from ejournal.access import roles as access_roles
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import school_today
from ejournal.schools.models import School

from .models import Guardianship, PersonChange, Role, RoleGrant, User


def _username_base(last_name: str, *names: str) -> str:
    table = str.maketrans(
        {
            "а": "a",
            "б": "b",
            "в": "v",
            "г": "g",
            "д": "d",
            "е": "e",
            "ё": "e",
            "ж": "zh",
            "з": "z",
            "и": "i",
            "й": "i",
            "к": "k",
            "л": "l",
            "м": "m",
            "н": "n",
            "о": "o",
            "п": "p",
            "р": "r",
            "с": "s",
            "т": "t",
            "у": "u",
            "ф": "f",
            "х": "kh",
            "ц": "ts",
            "ч": "ch",
            "ш": "sh",
            "щ": "shch",
            "ъ": "",
            "ы": "y",
            "ь": "",
            "э": "e",
            "ю": "iu",
            "я": "ia",
        }
    )
    initials = "".join(name.strip()[:1].lower().translate(table) for name in names)
    base = f"{last_name.strip().lower().translate(table)}.{initials}"
    return "".join(c for c in base if c.isascii() and (c.isalnum() or c == ".")).strip(".") or "user"


def unique_username(last_name: str, *names: str) -> str:
    """A login from the transliterated surname and initials («ivanova.ap»), with a number when it is taken
    (logins are global)."""
    base = _username_base(last_name, *names)
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


@transaction.atomic
def create_school(
    *, name: str, short_name: str, timezone: str = "Asia/Yekaterinburg", municipality: str = ""
) -> School:
    """A new school; done by the operator from the console (`ejournal createschool`)."""
    if not name.strip() or not short_name.strip():
        raise ValidationFailed("Укажите полное и краткое наименование школы.")
    return School.objects.create(
        name=name.strip(), short_name=short_name.strip(), timezone=timezone, municipality=municipality
    )


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    school: School,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    roles: Iterable[str] = (),
    username: str | None = None,
    password: str | None = None,
    email: str = "",
) -> User:
    """A person of the school with roles. `actor=None` only from the console when a school is set up."""
    if actor is not None:
        access_roles.require(access_roles.manages_people(actor) and actor.school_id == school.pk)
    last_name, first_name = last_name.strip(), first_name.strip()
    if not last_name or not first_name:
        raise ValidationFailed("Укажите фамилию и имя.")
    roles = list(dict.fromkeys(roles))
    for role in roles:
        if role not in Role.values:
            raise ValidationFailed(f"Неизвестная роль: {role}.")
    username = username or unique_username(last_name, first_name, middle_name)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"Логин «{username}» уже занят.")
    user = User(
        school=school,
        username=username,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name.strip(),
        birth_date=birth_date,
        email=email,
    )
    if password:
        user.set_password(password)
    else:
        # No one can sign in until the class teacher or administrator issues credentials.
        user.set_unusable_password()
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(school=school, user=user, role=r) for r in roles)
    record(
        kind=EventKind.USER_CREATED,
        summary=f"Создан пользователь №{user.pk}.",
        actor=actor,
        subject=user,
        details={"roles": roles},
    )
    return user


def record_change(*, actor: User | None, person: User, field: str, old: str = "", new: str = "") -> PersonChange:
    """One row of the person's history (PersonChange); the caller leaves out values that must not be kept."""
    return PersonChange.objects.create(
        school_id=person.school_id, person=person, actor=actor, field=field, old_value=old, new_value=new
    )


def _role_names(roles: Iterable[str]) -> str:
    return ", ".join(sorted(Role(r).label for r in roles))


@transaction.atomic
def grant_role(*, actor: User, user: User, role: str, request: HttpRequest | None = None) -> None:
    access_roles.require(access_roles.manages_people(actor) and actor.school_id == user.school_id)
    if role not in Role.values:
        raise ValidationFailed(f"Неизвестная роль: {role}.")
    before = user.roles
    _, created = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"school_id": user.school_id})
    user.__dict__.pop("roles", None)
    if created:
        record_change(
            actor=actor,
            person=user,
            field=PersonChange.ROLES,
            old=_role_names(before),
            new=_role_names(before | {role}),
        )
        record(
            kind=EventKind.ROLE_GRANTED,
            summary=f"Пользователю №{user.pk} выдана роль «{Role(role).label}».",
            actor=actor,
            subject=user,
            request=request,
            details={"role": role},
        )


@transaction.atomic
def revoke_role(*, actor: User, user: User, role: str, request: HttpRequest | None = None) -> None:
    """Take a role away; what the person did in it (marks, lessons, history) stays. The administrator
    cannot take the administrator's role from themselves, and a class teacher keeps the teacher's role
    until their classes get another class teacher."""
    access_roles.require(access_roles.manages_people(actor) and actor.school_id == user.school_id)
    if role not in Role.values:
        raise ValidationFailed(f"Неизвестная роль: {role}.")
    if role == Role.ADMIN and user.pk == actor.pk:
        raise ValidationFailed("Нельзя снять роль администратора с самого себя: это сделает другой администратор.")
    if role == Role.TEACHER:
        today = school_today(user.school.timezone)  # type: ignore[union-attr]
        led = list(user.led_classes.filter(year__end__gte=today).order_by("grade", "letter"))
        if led:
            names = ", ".join(group.name for group in led)
            raise ValidationFailed(f"Пользователь — классный руководитель ({names}): сначала назначьте другого.")
    before = user.roles
    deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    user.__dict__.pop("roles", None)
    if deleted:
        record_change(
            actor=actor,
            person=user,
            field=PersonChange.ROLES,
            old=_role_names(before),
            new=_role_names(before - {role}),
        )
        record(
            kind=EventKind.ROLE_REVOKED,
            summary=f"У пользователя №{user.pk} снята роль «{Role(role).label}».",
            actor=actor,
            subject=user,
            request=request,
            details={"role": role},
        )


@transaction.atomic
def link_parent(*, actor: User | None, parent: User, child: User, relation: str = "") -> Guardianship:
    if actor is not None:
        access_roles.require(access_roles.manages_people(actor) and actor.school_id == parent.school_id)
    if parent.school_id != child.school_id:
        access_roles.require(False)
    if not child.has_role(Role.STUDENT):
        raise ValidationFailed(f"{child.full_name} не ученик.")
    if not parent.has_role(Role.PARENT):
        raise ValidationFailed(f"{parent.full_name} не родитель.")
    link, _ = Guardianship.objects.get_or_create(
        parent=parent, child=child, defaults={"school_id": child.school_id, "relation": relation}
    )
    return link


def new_password(length: int = 10) -> str:
    """Readable: no 0/O, 1/l/I confusion on a printed slip."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))
