"""Two-factor sign-in with a TOTP app (django-otp's TOTPDevice): set-up with a QR code, codes at sign-in,
mandatory for staff where the school says so, reset by the administrator.

Whether the person still owes a code is decided once at sign-in and kept in the session, so that pages
pay no query for it.
"""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal.access import roles as access_roles
from ejournal.access import tenancy
from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record

from . import lockout
from .sessions import is_staff

STATE = "ej_2fa"
VERIFY = "verify"  # has a device: asks for a code
SETUP = "setup"  # the school requires 2FA for staff and the person has no device yet
# django-otp doubles a device's waiting time after each wrong code; the person is told to wait.
THROTTLED = "Подождите несколько секунд и введите новый код из приложения."


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required_for(user: User) -> bool:
    return bool(user.school is not None and user.school.staff_2fa_required and is_staff(user))


def state_at_login(user: User) -> str | None:
    if confirmed_device(user) is not None:
        return VERIFY
    return SETUP if required_for(user) else None


def pending(request: HttpRequest) -> str | None:
    return request.session.get(STATE)


def new_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown on the set-up page (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="ЭЖ", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR-код для приложения")


def secret(device: TOTPDevice) -> str:
    """The key as an app types it in: base32 in groups of four."""
    b32 = base64.b32encode(device.bin_key).decode()
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def _clean(token: str) -> str:
    return "".join(token.split())


@transaction.atomic
def confirm(*, user: User, token: str, request: HttpRequest) -> str | None:
    """Turn 2FA on with the first code from the app (replacing an earlier device); None, or the reason."""
    device = new_device(user)
    if not device.verify_is_allowed()[0]:
        return THROTTLED
    if not device.verify_token(_clean(token)):
        return "Код не подошёл. Введите шесть цифр, которые показывает приложение сейчас."
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if request.session.get(STATE) == SETUP:
        del request.session[STATE]
    record(kind=EventKind.TWO_FACTOR, summary="Подключена двухфакторная аутентификация", actor=user, request=request)
    return None


def verify(*, user: User, token: str, request: HttpRequest) -> str | None:
    """Check a sign-in code; None on success, else the Russian reason."""
    key = lockout.key_for(user.pk)
    lock = lockout.locked(lockout.TOTP, key)
    if lock is not None:
        return lock.message()
    device = confirmed_device(user)
    if device is not None and not device.verify_is_allowed()[0]:
        return THROTTLED
    if device is not None and device.verify_token(_clean(token)):
        lockout.clear(lockout.TOTP, key)
        request.session.pop(STATE, None)
        return None
    record(
        kind=EventKind.LOGIN_FAILED, summary="Неверный код двухфакторной аутентификации", subject=user, request=request
    )
    lock = lockout.register_failure(lockout.TOTP, key)
    if lock is not None:
        record(kind=EventKind.LOCKOUT, summary="Блокировка: неверные коды 2FA", subject=user, request=request)
        return lock.message()
    return "Неверный код. Введите шесть цифр из приложения; проверьте время на телефоне."


@transaction.atomic
def reset(*, actor: User, person: User, request: HttpRequest | None = None) -> None:
    """The administrator turns a person's 2FA off (lost phone); the person sets it up again at next sign-in."""
    access_roles.require(access_roles.manages_people(actor) and tenancy.same_school(actor, person))
    TOTPDevice.objects.filter(user=person).delete()
    record(
        kind=EventKind.TWO_FACTOR,
        summary="Администратор сбросил двухфакторную аутентификацию",
        actor=actor,
        subject=person,
        request=request,
    )
