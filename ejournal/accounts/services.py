"""Writes of people and roles."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction

from ejournal.access import roles as access_roles
from ejournal.core.errors import ValidationFailed
from ejournal.schools.models import School

from .models import Guardianship, Role, RoleGrant, User


def _username_base(last_name: str, first_name: str) -> str:
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
    base = f"{last_name.lower().translate(table)}.{first_name[:1].lower().translate(table)}"
    return "".join(c for c in base if c.isascii() and (c.isalnum() or c == ".")) or "user"


def unique_username(last_name: str, first_name: str) -> str:
    """A login like «ivanova.a», with a number when the name is taken (logins are global)."""
    base = _username_base(last_name, first_name)
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
    username = username or unique_username(last_name, first_name)
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
    return user


@transaction.atomic
def grant_role(*, actor: User, user: User, role: str) -> None:
    access_roles.require(access_roles.manages_people(actor) and actor.school_id == user.school_id)
    if role not in Role.values:
        raise ValidationFailed(f"Неизвестная роль: {role}.")
    RoleGrant.objects.get_or_create(user=user, role=role, defaults={"school_id": user.school_id})
    user.__dict__.pop("roles", None)


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
