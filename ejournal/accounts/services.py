"""Writes of people and roles."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable

from django.contrib.auth import password_validation, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ejournal.access import people as access_people
from ejournal.access import roles as access_roles
from ejournal.access import tenancy
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import school_today
from ejournal.schools.models import School

from . import signals
from .auth import lockout, sessions
from .auth.mail import send_letter
from .errors import AccountsCode
from .models import Guardianship, PersonChange, Role, RoleGrant, User

log = logging.getLogger(__name__)


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
        access_roles.require(access_roles.manages_people(actor) and tenancy.same_school(actor, school))
    last_name, first_name = last_name.strip(), first_name.strip()
    if not last_name or not first_name:
        raise ValidationFailed("Укажите фамилию и имя.")
    roles = list(dict.fromkeys(roles))
    for role in roles:
        if role not in Role.values:
            raise ValidationFailed(f"Неизвестная роль: {role}.", code=AccountsCode.UNKNOWN_ROLE)
    if not access_people.roles_compatible(roles):
        raise ValidationFailed(STUDENT_CONFLICT, code=AccountsCode.STUDENT_ROLE_CONFLICT, field="roles")
    username = username or unique_username(last_name, first_name, middle_name)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"Логин «{username}» уже занят.", code=AccountsCode.LOGIN_TAKEN)
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
    """One row of the person's history (PersonChange); the caller leaves out values that must not be kept.
    The only writer of people's history, with record_changes."""
    return PersonChange.objects.create(
        school_id=person.school_id, person=person, actor=actor, field=field, old_value=old, new_value=new
    )


def record_changes(*, actor: User | None, people: Iterable[User], field: str, new: str) -> None:
    """The same change of many people in one insert (one-time passwords given to a class)."""
    PersonChange.objects.bulk_create(
        PersonChange(school_id=p.school_id, person=p, actor=actor, field=field, new_value=new) for p in people
    )


def _role_names(roles: Iterable[str]) -> str:
    return ", ".join(sorted(Role(r).label for r in roles))


STUDENT_CONFLICT = (
    "Ученик не может быть администратором, директором или заместителем директора: эти роли видят данные всей "
    "школы. Для сотрудника заведите отдельную учётную запись."
)


def grant_role(
    *,
    actor: User,
    user: User,
    role: str,
    request: HttpRequest | None = None,
    password: str | None = None,
    confirmed: bool = False,
) -> None:
    """Give a role. The administrator's and the director's roles also need the granter's current password
    (`password`): a wrong or missing one grants nothing and is kept in the security log. A student never
    holds a role that reads the whole school, nor such a person the student's role.

    `confirmed=True` says the caller has itself checked the granter's password for this grant (an import's
    commit: the administrator typed it when queueing the batch, the worker has no password to pass); only
    code that did so may set it."""
    access_roles.require(access_roles.manages_people(actor) and tenancy.same_school(actor, user))
    if role not in Role.values:
        raise ValidationFailed(f"Неизвестная роль: {role}.", code=AccountsCode.UNKNOWN_ROLE)
    if not access_people.roles_compatible({*user.roles, role}):
        raise ValidationFailed(STUDENT_CONFLICT, code=AccountsCode.STUDENT_ROLE_CONFLICT, field="role")
    if access_people.grant_needs_password(role) and not confirmed:
        require_granter_password(
            actor=actor,
            password=password,
            request=request,
            subject=user,
            refusal=f"Роль «{Role(role).label}» пользователю №{user.pk} не выдана: неверный пароль.",
            message="Неверный пароль: роль не выдана. Введите свой текущий пароль.",
            details={"role": role},
        )
    _grant(actor=actor, user=user, role=role, request=request)


def require_granter_password(
    *,
    actor: User,
    password: str | None,
    refusal: str,
    message: str,
    request: HttpRequest | None = None,
    subject: User | None = None,
    details: dict[str, object] | None = None,
) -> None:
    """The granter's own password before the administrator's or the director's role is handed out (on the
    card, with a new person, by an import); a wrong one is a refusal in the security log (`refusal`)."""
    _require_own_password(
        actor=actor,
        password=password,
        request=request,
        field="password",
        message=message,
        event=(EventKind.ROLE_GRANT_REFUSED, refusal, subject, details),
    )


def _require_own_password(
    *,
    actor: User,
    password: str | None,
    request: HttpRequest | None,
    field: str,
    message: str,
    event: tuple[str, str, User | None, dict[str, object] | None],
) -> None:
    """A signed-in person types their own password to confirm an action. A wrong one is kept in the security
    log and counts like a failed sign-in, so a stolen session cannot guess it without limit; within the
    account's delay it is not even checked. Called outside any transaction the record would roll back with."""
    delay = lockout.account_delay(lockout.account_key(actor.username))
    if delay is not None:
        raise ValidationFailed(delay.message(), code=AccountsCode.TOO_MANY_ATTEMPTS, field=field)
    if password and actor.check_password(password):
        return
    kind, summary, subject, details = event
    record(kind=kind, summary=summary, actor=actor, subject=subject, request=request, details=details)
    problem = lockout.count_failure(request=request, username=actor.username, known_device=False)
    code = AccountsCode.TOO_MANY_ATTEMPTS if problem else AccountsCode.WRONG_PASSWORD
    raise ValidationFailed(problem or message, code=code, field=field)


@transaction.atomic
def _grant(*, actor: User, user: User, role: str, request: HttpRequest | None) -> None:
    before = user.roles
    _, created = RoleGrant.objects.get_or_create(school_id=user.school_id, user=user, role=role)
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
    access_roles.require(access_roles.manages_people(actor) and tenancy.same_school(actor, user))
    if role not in Role.values:
        raise ValidationFailed(f"Неизвестная роль: {role}.", code=AccountsCode.UNKNOWN_ROLE)
    if role == Role.ADMIN and user.pk == actor.pk:
        raise ValidationFailed(
            "Нельзя снять роль администратора с самого себя: это сделает другой администратор.",
            code=AccountsCode.OWN_ACCOUNT,
        )
    if role == Role.TEACHER:
        today = school_today(user.school.timezone)  # type: ignore[union-attr]
        led = list(user.led_classes.filter(school_id=user.school_id, year__end__gte=today).order_by("grade", "letter"))
        if led:
            names = ", ".join(group.name for group in led)
            raise ValidationFailed(f"Пользователь — классный руководитель ({names}): сначала назначьте другого.")
    before = user.roles
    deleted, _ = RoleGrant.objects.filter(school_id=user.school_id, user=user, role=role).delete()
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
        access_roles.require(access_roles.manages_people(actor) and tenancy.same_school(actor, parent))
    access_roles.require(tenancy.one_school(parent, child))
    if not child.has_role(Role.STUDENT):
        raise ValidationFailed(f"{child.full_name} не ученик.")
    if not parent.has_role(Role.PARENT):
        raise ValidationFailed(f"{parent.full_name} не родитель.")
    link, _ = Guardianship.objects.get_or_create(
        school_id=child.school_id, parent=parent, child=child, defaults={"relation": relation}
    )
    return link


def new_password(length: int = 10) -> str:
    """Readable: no 0/O, 1/l/I confusion on a printed slip."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


# --- one's own password ------------------------------------------------------------------------------------

WRONG_CURRENT_PASSWORD = "Текущий пароль введён неверно. Проверьте раскладку клавиатуры и Caps Lock."


def change_own_password(
    *, actor: User, new_password: str, current_password: str | None = None, request: HttpRequest | None = None
) -> int:
    """Set the person's own password; returns how many other sessions were ended.

    The current password is required except in the forced change after a one-time password (the person has
    just typed it to sign in). A wrong one is counted like a failed sign-in (lockout), so a stolen session
    cannot guess it without limit, and nothing changes. On success the change is in the security log, every
    other session of the person ends (this one stays signed in under a new key), and the person is told in
    the inbox and by e-mail after commit — a failing mail never undoes the change.
    """
    if not actor.must_change_password:
        _require_own_password(
            actor=actor,
            password=current_password,
            request=request,
            field="old_password",
            message=WRONG_CURRENT_PASSWORD,
            event=(EventKind.LOGIN_FAILED, "Неверный текущий пароль при смене пароля", actor, None),
        )
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as e:
        raise ValidationFailed(" ".join(e.messages), code=AccountsCode.WEAK_PASSWORD, field="new_password1") from None
    forced = actor.must_change_password
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        ended = _end_other_sessions(actor, request)
        lockout.clear(lockout.ACCOUNT, lockout.account_key(actor.username))
        record(
            kind=EventKind.PASSWORD_CHANGED,
            summary="Пароль изменён после входа с одноразовым паролем" if forced else "Пароль изменён владельцем",
            actor=actor,
            subject=actor,
            request=request,
            details={"other_sessions_ended": ended},
        )
        transaction.on_commit(lambda: tell_password_changed(actor))
    return ended


def after_password_reset(*, user: User, request: HttpRequest | None = None) -> int:
    """The password was set through the link of a reset letter: the person proved they own the mailbox.
    Every session ends (whoever held one, held it with the old password), the account's delay is lifted,
    and the reset is in the security log. Returns how many sessions were ended."""
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        ended = sessions.end_all(user=user)
        lockout.clear(lockout.ACCOUNT, lockout.account_key(user.username))
        record(
            kind=EventKind.PASSWORD_RESET,
            summary="Пароль сброшен по ссылке из письма",
            subject=user,
            request=request,
            details={"sessions_ended": ended},
        )
    return ended


def _end_other_sessions(user: User, request: HttpRequest | None) -> int:
    """Keep the request's session signed in under a new key (update_session_auth_hash) and end the rest."""
    keep = None
    if request is not None and hasattr(request, "session"):
        old_key = request.session.session_key
        update_session_auth_hash(request, user)
        keep = request.session.session_key
        if old_key and keep and old_key != keep:
            sessions.rename(old_key, keep)
    return sessions.end_all(user=user, keep=keep)


def tell_password_changed(user: User) -> None:
    """The inbox message and the letter about a changed password. Never raises: the password is changed
    already, and a lost notice must not turn into an error page."""
    when = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    title = "Пароль изменён"
    text = (
        f"Пароль вашей учётной записи в ЭЖ изменён {when}; другие сеансы завершены. "
        "Если это сделали не вы, сразу обратитесь к администратору школы."
    )
    emailed = False
    # The inbox is the notifications app's, above accounts: it listens (NotificationsConfig.ready()).
    for _receiver, answer in signals.password_changed.send_robust(sender=User, user=user, title=title, text=text):
        if isinstance(answer, Exception):
            log.error("password change notice for user %s was not put into the inbox", user.pk, exc_info=answer)
        elif answer is True:
            emailed = True
    if user.email and not emailed:
        try:
            send_letter.enqueue(f"ЭЖ: {title.lower()}", text, user.email)
        except Exception:
            log.exception("password change letter for user %s was not queued", user.pk)
