"""What the register does: warns the administrator before a term ends (daily tick) and deletes, only when the
administrator asks and confirms, a stored book or report whose term is over — logged in `Deletion`."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse

from ejournal.access import retention as access
from ejournal.access import roles
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import ValidationFailed
from ejournal.core.time import ru_date
from ejournal.notifications.services import notify
from ejournal.printing.models import StoredBook
from ejournal.reports.models import StoredReport
from ejournal.schools.models import School

from .models import Deletion
from .register import DELETABLE, Item, school_items

log = logging.getLogger(__name__)
MAX_REASON = 500


def warn_school(school: School, today: dt.date) -> int:
    """Tell the administrators what nears the end of its term (or is past it) — one message a day at most,
    rewritten while it waits (dedupe). Returns how many items were named."""
    items = [i for i in school_items(school, today) if i.status != "kept"]
    if not items:
        return 0
    expired = sum(1 for i in items if i.status == "expired")
    first = min(items, key=lambda i: i.until)
    title = f"Реестр хранения: сроки хранения истекают ({len(items)})"
    text = (
        f"Срок хранения истёк или истекает в ближайшие {school.retention_warn_days} дн. у {len(items)} "
        f"записей реестра (истёк: {expired}); ближайший — «{first.title}», до {ru_date(first.until)}. "
        f"Ничего не удаляется само: решение за ответственным администратором."
    )
    for person in access.warned_about_expiry(school.pk):
        notify(
            recipient=person,
            event="message",
            title=title,
            text=text,
            url=reverse("retention:register"),
            dedupe_key=f"retention:{school.pk}:{today.isoformat()}",
        )
    return len(items)


def warn_all(now: dt.datetime) -> int:
    """The daily tick: every active school's administrators are warned of what nears its end."""
    named = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        named += warn_school(school, now.astimezone(ZoneInfo(school.timezone)).date())
    return named


def _find(school: School, kind: str, item_id: int) -> Item | None:
    today = clock.school_today(school)
    return next((i for i in school_items(school, today) if i.kind == kind and i.id == item_id), None)


@transaction.atomic
def delete_expired(*, actor: User, kind: str, item_id: int | None, confirmed: bool, reason: str) -> Deletion:
    """Delete one expired stored book or report of the actor's school. Refused (nothing changed) unless the
    actor is the administrator, the item exists in the register, its term is over, and the deletion is
    confirmed with a reason."""
    roles.require(access.deletes_expired(actor))
    school = School.objects.get(pk=actor.school_id)
    if kind not in DELETABLE or item_id is None:
        raise ValidationFailed(
            "Удалить можно только книгу журнала или сохранённый отчёт с истёкшим сроком хранения.", field="kind"
        )
    item = _find(school, kind, item_id)
    if item is None:
        raise ValidationFailed("Такой записи в реестре хранения нет.", field="id")
    if item.status != "expired":
        raise ValidationFailed(
            f"Срок хранения «{item.title}» не истёк: до {ru_date(item.until)}. Удалять нельзя.", field="id"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Укажите основание удаления (например, номер акта).", field="reason")
    if not confirmed:
        raise ValidationFailed("Подтвердите удаление: отметьте «Подтверждаю удаление».", field="confirm")
    if kind == "book":
        books = StoredBook.objects.filter(school_id=school.pk)
        if books.filter(superseded_by_id=item.id).exists():
            raise ValidationFailed(
                "На эту книгу ссылается заменённая ею книга: сначала удалите ту (её срок истекает не позже).",
                field="id",
            )
        books.filter(pk=item.id).delete()
    else:
        StoredReport.objects.filter(school_id=school.pk, pk=item.id).delete()
    deletion = Deletion.objects.create(
        school=school,
        at=clock.now(),
        actor=actor,
        kind=kind,
        item_id=item.id,
        title=item.title[:400],
        sha256=item.sha256,
        since=item.since,
        until=item.until,
        reason=reason[:MAX_REASON],
    )
    log.info("retention: %s %s of school %s deleted by %s", kind, item.id, school.pk, actor.pk)
    return deletion
