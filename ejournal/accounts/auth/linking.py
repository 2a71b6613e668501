"""Who an ESIA/OIDC identity is in the school: linked once, by СНИЛС or by a one-time link code.

A new person is never created from an outside account: the school knows its people, and an unknown
account gets «учётная запись не найдена, обратитесь в школу».
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from ejournal.access import people as access_people
from ejournal.access import roles as access_roles
from ejournal.accounts.models import ExternalIdentity, LinkCode, User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import ValidationFailed

from .oidc import Identity, OIDCError

LINK_CODE_DAYS = 14
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I on a printed slip


def snils_variants(snils: str) -> list[str]:
    """A СНИЛС as users and imports write it: «112-233-445 95» or eleven digits."""
    digits = re.sub(r"\D", "", snils)
    if len(digits) != 11:
        return []
    return [digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"]


def linked_user(identity: Identity) -> User | None:
    link = ExternalIdentity.objects.select_related("user").filter(provider=identity.provider, subject=identity.subject)
    found = link.first()
    return found.user if found is not None and found.user.is_active else None


@transaction.atomic
def link(*, user: User, identity: Identity, how: str, request: HttpRequest | None) -> User:
    if not user.is_active:
        raise OIDCError("Учётная запись в школе отключена. Обратитесь в школу.")
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(
                school_id=user.school_id,
                user=user,
                provider=identity.provider,
                subject=identity.subject,
                linked_at=timezone.now(),
            )
    except IntegrityError as e:
        raise OIDCError("К этой учётной записи школы уже привязана другая учётная запись. Обратитесь в школу.") from e
    record(
        kind=EventKind.ESIA_LINKED,
        summary=f"Привязана учётная запись входа ({identity.provider}, {how})",
        actor=user,
        subject=user,
        request=request,
    )
    return user


def find_or_link(identity: Identity, request: HttpRequest | None) -> User | None:
    """The linked person; on the first sign-in links by СНИЛС when exactly one active person has it."""
    user = linked_user(identity)
    if user is not None:
        return user
    variants = snils_variants(identity.snils)
    if not variants:
        return None
    candidates = list(User.objects.filter(snils__in=variants, is_active=True, school__isnull=False)[:2])
    if len(candidates) != 1:
        return None
    return link(user=candidates[0], identity=identity, how="по СНИЛС", request=request)


def _hash(code: str) -> str:
    normal = "".join(code.split()).upper().replace("-", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}\x1e{normal}".encode()).hexdigest()


@transaction.atomic
def issue_link_code(*, actor: User, person: User, request: HttpRequest | None = None) -> str:
    """A one-time code (shown once, kept only as a hash) valid for two weeks; earlier codes stop working."""
    access_roles.require(access_people.may_issue_link_code(actor, person))
    if not person.is_active:
        raise ValidationFailed("Учётная запись отключена: код привязки не выдаётся.")
    now = timezone.now()
    LinkCode.objects.filter(user=person, used_at__isnull=True).update(used_at=now)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    LinkCode.objects.create(
        school_id=person.school_id,
        user=person,
        code_hash=_hash(raw),
        issued_by=actor,
        expires_at=now + dt.timedelta(days=LINK_CODE_DAYS),
    )
    record(
        kind=EventKind.CREDENTIALS_ISSUED,
        summary="Выдан код привязки Госуслуг",
        actor=actor,
        subject=person,
        request=request,
    )
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def redeem_link_code(*, identity: Identity, code: str, request: HttpRequest | None) -> User | None:
    """Link by the code the school gave; None when the code is unknown, used or expired."""
    found = (
        LinkCode.objects.select_for_update()
        .select_related("user")
        .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now())
        .filter(Q(user__is_active=True))
        .first()
    )
    if found is None:
        return None
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    return link(user=found.user, identity=identity, how="по коду", request=request)
