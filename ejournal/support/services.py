"""Support requests: asked from a page, answered or escalated by the administrator, closed; every status
change goes to the append-only history; the author is notified of an answer. Answered questions become FAQ
entries."""

from __future__ import annotations

import os
import re
from importlib import metadata
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from ejournal.access import support as access
from ejournal.accounts.auth.mail import send_letter
from ejournal.accounts.models import Role, User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, ValidationFailed
from ejournal.journal.attachments import ALLOWED_TEXT, clean_name, detect_type, size_ru
from ejournal.notifications.services import notify

from .errors import SupportCode
from .models import FaqEntry, Status, StatusChange, Ticket, TicketMessage

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TEXT = 5000
# The browser families people use at school, most specific first (Yandex and Edge also say «Chrome»).
_BROWSERS = (
    ("YaBrowser", "Яндекс Браузер"),
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("Chrome", "Chrome"),
    ("Version", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS", "macOS"),
    ("Linux", "Linux"),
)


def short_agent(agent: str) -> str:
    """«Chrome 120, Windows» from a User-Agent header: enough to reproduce, nothing that tells one person."""
    browser = next(
        (f"{name} {m.group(1)}" for key, name in _BROWSERS if (m := re.search(rf"{key}/(\d+)", agent))), "браузер ?"
    )
    system = next((name for key, name in _SYSTEMS if key in agent), "")
    return f"{browser}, {system}" if system else browser


def _roles_ru(user: User) -> str:
    return ", ".join(Role(r).label for r in sorted(user.roles)) or "—"


def page_of(raw: str) -> str:
    """The path of the page the question came from, without its query string (which may name people)."""
    path = (raw or "").split("?", 1)[0].split("#", 1)[0].strip()
    return path[:300] if path.startswith("/") and not path.startswith("//") else ""


def _check_file(upload: File) -> tuple[str, str, bytes]:
    name = clean_name(upload.name or "")
    size = upload.size or 0
    if size > MAX_FILE_BYTES:
        raise ValidationFailed(
            f"Файл «{name}» — {size_ru(size)}: к вопросу можно приложить файл не больше "
            f"{size_ru(MAX_FILE_BYTES)}. Вопрос не отправлен; уменьшите файл или опишите проблему словами.",
            code=SupportCode.FILE_TOO_LARGE,
            field="file",
        )
    file_type = detect_type(upload) if size > 0 else None
    if file_type is None or os.path.splitext(name)[1].lower() not in file_type.extensions:
        raise ValidationFailed(
            f"Файл «{name}» не принимается: к вопросу можно приложить {ALLOWED_TEXT} "
            f"(тип проверяется по содержимому файла).",
            code=SupportCode.BAD_FILE_TYPE,
            field="file",
        )
    upload.seek(0)
    data = upload.read()
    return name, file_type.content_type, data if isinstance(data, bytes) else data.encode()


def _text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Напишите текст.", field=field)
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"Текст длиннее {MAX_TEXT} знаков.", field=field)
    return text


def _set_status(ticket: Ticket, actor: User, status: str, note: str = "") -> None:
    if ticket.status == status:
        return
    ticket.status = status
    ticket.save(update_fields=["status"])
    StatusChange.objects.create(
        school_id=ticket.school_id, ticket=ticket, actor=actor, at=clock.now(), status=status, note=note[:200]
    )


def _url(ticket: Ticket) -> str:
    return reverse("support:ticket", kwargs={"ticket_id": ticket.pk})


@transaction.atomic
def ask(
    *, actor: User, text: str, page: str = "", title: str = "", user_agent: str = "", upload: File | None = None
) -> Ticket:
    """A new request from the page `page`; the context (role, school, browser) is attached automatically."""
    text = _text(text)
    name, file_type, data = _check_file(upload) if upload is not None else ("", "", None)
    assert actor.school is not None
    now = clock.now()
    ticket = Ticket.objects.create(
        school_id=actor.school_id,
        author=actor,
        created_at=now,
        page_path=page_of(page),
        page_title=(title or "").strip()[:200],
        context=f"Роль: {_roles_ru(actor)}; школа: {actor.school.name}; браузер: {short_agent(user_agent or '')}"[:300],
        file_name=name,
        file_type=file_type,
        file_data=data,
    )
    TicketMessage.objects.create(school_id=actor.school_id, ticket=ticket, author=actor, at=now, text=text)
    StatusChange.objects.create(school_id=actor.school_id, ticket=ticket, actor=actor, at=now, status=Status.NEW)
    admins = User.objects.filter(school_id=actor.school_id, is_active=True, role_grants__role=Role.ADMIN)
    for admin in admins.exclude(pk=actor.pk).distinct():
        notify(
            recipient=admin,
            event="message",
            title="Новое обращение",
            text=f"Обращение №{ticket.pk} ждёт ответа.",
            url=_url(ticket),
        )
    return ticket


def _open(ticket: Ticket) -> None:
    if ticket.status == Status.CLOSED:
        raise Conflict(
            f"Обращение №{ticket.pk} закрыто: в него больше не пишут. Задайте новый вопрос.",
            code=SupportCode.CLOSED,
        )


@transaction.atomic
def reply(*, actor: User, ticket: Ticket, text: str) -> TicketMessage:
    """The administrator's answer (status «ответ дан», the author is notified) or the author's follow-up
    (the request waits for an answer again: «в работе»)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _open(ticket)
    text = _text(text)
    is_answer = access.answers(actor) and actor.pk != ticket.author_id
    message = TicketMessage.objects.create(
        school_id=ticket.school_id, ticket=ticket, author=actor, at=clock.now(), text=text, is_answer=is_answer
    )
    if is_answer:
        _set_status(ticket, actor, Status.ANSWERED)
        notify(
            recipient=ticket.author,
            event="message",
            title="Ответ на ваш вопрос",
            text=f"На обращение №{ticket.pk} дан ответ.",
            url=_url(ticket),
        )
    elif ticket.status != Status.NEW:
        _set_status(ticket, actor, Status.IN_PROGRESS, "уточнение автора")
    return message


@transaction.atomic
def close(*, actor: User, ticket: Ticket) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _open(ticket)
    _set_status(ticket, actor, Status.CLOSED)
    return ticket


@transaction.atomic
def take(*, actor: User, ticket: Ticket) -> Ticket:
    """The administrator takes a request into work («в работе»)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _open(ticket)
    _set_status(ticket, actor, Status.IN_PROGRESS)
    return ticket


def product_version() -> str:
    try:
        return metadata.version("ejournal")
    except metadata.PackageNotFoundError:
        return "неизвестна"


def _without_children(school_id: int, text: str) -> str:
    """Students' surnames and first names replaced by «[ученик]»: the regional support needs no child's name."""
    names: set[str] = set()
    for last, first in User.objects.filter(school_id=school_id, role_grants__role=Role.STUDENT).values_list(
        "last_name", "first_name"
    ):
        names.update(n for n in (last, first) if len(n) >= 3)
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "[ученик]", text, flags=re.IGNORECASE)
    return text


def prepare_escalation(ticket: Ticket) -> str:
    """The message for the regional technical support: what, where, when, the version, the steps — without
    children's personal data (students' names removed); the administrator edits it before sending."""
    steps = "\n".join(
        f"- {m.text}" for m in ticket.messages.filter(school_id=ticket.school_id, is_answer=False).order_by("at", "id")
    )
    asked = ticket.created_at.astimezone(ZoneInfo(ticket.school.timezone))
    text = (
        f"Школа: {ticket.school.name}\n"
        f"Обращение №{ticket.pk} от {asked:%d.%m.%Y %H:%M} ({ticket.school.timezone})\n"
        f"Версия ЭЖ: {product_version()}\n"
        f"Страница: {ticket.page_title or '—'} ({ticket.page_path or '—'})\n"
        f"Контекст: {ticket.context}\n\n"
        f"Что произошло и шаги пользователя:\n{steps}\n"
    )
    return _without_children(ticket.school_id, text)


@transaction.atomic
def escalate(*, actor: User, ticket: Ticket, text: str, send: bool) -> Ticket:
    """Pass the request to the regional technical support: by e-mail to settings.SUPPORT_EMAIL through the
    worker (`send`), or copied by the administrator into another channel. Recorded on the request."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _open(ticket)
    text = _text(text, "text")
    address = settings.SUPPORT_EMAIL if send else ""
    if send and not address:
        raise ValidationFailed(
            "Адрес региональной техподдержки не настроен (EJOURNAL_SUPPORT_EMAIL). Скопируйте сообщение и "
            "отправьте его сами.",
            code=SupportCode.NO_SUPPORT_ADDRESS,
        )
    ticket.escalated_at = clock.now()
    ticket.escalation_text = text
    ticket.escalated_to = address or "скопировано администратором"
    ticket.save(update_fields=["escalated_at", "escalation_text", "escalated_to"])
    _set_status(ticket, actor, Status.ESCALATED, ticket.escalated_to)
    if send:
        subject = f"ЭЖ: обращение №{ticket.pk}, {ticket.school.name}"
        transaction.on_commit(lambda: send_letter.enqueue(subject, text, address))
    return ticket


@transaction.atomic
def record_regional_answer(*, actor: User, ticket: Ticket, text: str) -> Ticket:
    """The answer of the regional support, pasted in; the request goes back into work for the user's answer."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _open(ticket)
    if ticket.escalated_at is None:
        raise ValidationFailed("Обращение не передавалось в техподдержку.")
    ticket.regional_answer = _text(text)
    ticket.regional_answered_at = clock.now()
    ticket.save(update_fields=["regional_answer", "regional_answered_at"])
    _set_status(ticket, actor, Status.IN_PROGRESS, "получен ответ техподдержки")
    return ticket


@transaction.atomic
def publish_faq(*, actor: User, ticket: Ticket | None, category: str, question: str, answer: str) -> FaqEntry:
    """An FAQ entry, edited and anonymised by the administrator, from an answered request."""
    if ticket is not None and ticket.status not in (Status.ANSWERED, Status.CLOSED):
        raise ValidationFailed("В частые вопросы публикуют вопрос, на который уже дан ответ.")
    category = (category or "").strip()
    if not category or len(category) > 100:
        raise ValidationFailed("Укажите раздел (до 100 знаков).", field="category")
    question, answer = _text(question, "question"), _text(answer, "answer")
    return FaqEntry.objects.create(
        school_id=actor.school_id,
        category=category,
        question=question,
        answer=answer,
        search_text=f"{category}\n{question}\n{answer}".casefold(),
        published_at=clock.now(),
        published_by=actor,
        ticket=ticket,
    )


def search_faq(entries: QuerySet[FaqEntry], words: str) -> QuerySet[FaqEntry]:
    """Entries holding every word (in the question, the answer or the category), in any case."""
    for word in (words or "").casefold().split()[:10]:
        entries = entries.filter(search_text__contains=word)
    return entries


def draft_faq(ticket: Ticket) -> tuple[str, str]:
    """The question and the last answer of a request, without students' names, for the publishing form."""
    messages = list(ticket.messages.filter(school_id=ticket.school_id).order_by("at", "id"))
    question = next((m.text for m in messages if not m.is_answer), "")
    answer = next((m.text for m in reversed(messages) if m.is_answer), "")
    return _without_children(ticket.school_id, question), _without_children(ticket.school_id, answer)
