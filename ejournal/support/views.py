"""Pages of consultations (обращения), the FAQ and the training sessions (access/support.py; outside one's
scope: 404)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ejournal.access import roles
from ejournal.access import support as access
from ejournal.access.navigation import menu_for
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user

from . import services, training
from .models import Audience, Status, Ticket, Training


def _text(request: HttpRequest, name: str, limit: int = services.MAX_TEXT) -> str:
    return inputs.text_field(request.POST.get(name, ""), name, limit=limit)


@login_required
@require_GET
def tickets_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.asks(user))
    tickets = access.tickets_for(user).select_related("author").order_by("-created_at", "-id")[:200]
    return render(request, "support/tickets.html", {"tickets": tickets, "answers": access.answers(user)})


@login_required
@require_http_methods(["GET", "POST"])
def ask_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.asks(user))
    source = request.POST if request.method == "POST" else request.GET
    # The help panel links here with ?page=<path>; a page may add &title=. Without a title, the menu item
    # the page belongs to names it.
    page = services.page_of(str(source.get("page", "")))
    title = str(source.get("title", "")).strip()[:200] or _menu_title(user, page)
    text = ""
    status = 200
    if request.method == "POST":
        with refused() as refusal:
            text = _text(request, "text")
            ticket = services.ask(
                actor=user,
                text=text,
                page=page,
                title=title,
                user_agent=request.headers.get("User-Agent", ""),
                upload=request.FILES.get("file"),
            )
            messages.success(request, f"Вопрос отправлен: обращение №{ticket.pk}. Ответ придёт в уведомления.")
            return redirect("support:ticket", ticket_id=ticket.pk)
        messages.error(request, refusal.message)
        status = refusal.status
    context = {"page": page, "title": title, "text": text, "max_mb": services.MAX_FILE_BYTES // (1024 * 1024)}
    return render(request, "support/ask.html", context, status=status)


def _menu_title(user: User, page: str) -> str:
    found = [item for item in menu_for(user) if page.startswith(item.url) and item.url != "/"]
    return max(found, key=lambda item: len(item.url)).title if found else ""


@login_required
@require_GET
def ticket_page(request: HttpRequest, ticket_id: int) -> HttpResponse:
    user = current_user(request)
    ticket = access.ticket_for(user, ticket_id)
    admin = access.answers(user)
    question, answer = services.draft_faq(ticket) if admin else ("", "")
    context = {
        "ticket": ticket,
        "thread": ticket.messages.filter(school_id=ticket.school_id).select_related("author"),
        "history": ticket.status_changes.filter(school_id=ticket.school_id).select_related("actor"),
        "answers": admin,
        "open": ticket.status != Status.CLOSED,
        "escalation": ticket.escalation_text or (services.prepare_escalation(ticket) if admin else ""),
        "support_email": services.settings.SUPPORT_EMAIL,
        "faq_question": question,
        "faq_answer": answer,
    }
    return render(request, "support/ticket.html", context)


@login_required
@require_GET
def ticket_file(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access.ticket_for(current_user(request), ticket_id)
    roles.require(bool(ticket.file_data))
    response = HttpResponse(bytes(ticket.file_data or b""), content_type=ticket.file_type)
    response["Content-Disposition"] = content_disposition_header(True, ticket.file_name)
    return response


def _ticket_action(
    request: HttpRequest, ticket_id: int, *, admin_only: bool, act: Callable[[User, Ticket], object], done: str
) -> HttpResponse:
    user = current_user(request)
    ticket = access.ticket_for(user, ticket_id)
    roles.require(access.answers(user) if admin_only else access.writes_ticket(user, ticket))
    with refused() as refusal:
        act(user, ticket)
        messages.success(request, done)
    if refusal.error is not None:
        messages.error(request, refusal.message)
    return redirect("support:ticket", ticket_id=ticket.pk)


@login_required
@require_POST
def reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _ticket_action(
        request,
        ticket_id,
        admin_only=False,
        act=lambda u, t: services.reply(actor=u, ticket=t, text=_text(request, "text")),
        done="Сообщение добавлено.",
    )


@login_required
@require_POST
def take(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _ticket_action(
        request, ticket_id, admin_only=True, act=lambda u, t: services.take(actor=u, ticket=t), done="Взято в работу."
    )


@login_required
@require_POST
def close(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _ticket_action(
        request, ticket_id, admin_only=False, act=lambda u, t: services.close(actor=u, ticket=t), done="Закрыто."
    )


@login_required
@require_POST
def escalate(request: HttpRequest, ticket_id: int) -> HttpResponse:
    send = request.POST.get("how") == "email"
    return _ticket_action(
        request,
        ticket_id,
        admin_only=True,
        act=lambda u, t: services.escalate(actor=u, ticket=t, text=_text(request, "text"), send=send),
        done="Передано в техподдержку." + (" Письмо уйдёт в ближайшую минуту." if send else ""),
    )


@login_required
@require_POST
def regional(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _ticket_action(
        request,
        ticket_id,
        admin_only=True,
        act=lambda u, t: services.record_regional_answer(actor=u, ticket=t, text=_text(request, "text")),
        done="Ответ техподдержки записан. Ответьте пользователю.",
    )


@login_required
@require_POST
def publish(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _ticket_action(
        request,
        ticket_id,
        admin_only=True,
        act=lambda u, t: services.publish_faq(
            actor=u,
            ticket=t,
            category=_text(request, "category", 100),
            question=_text(request, "question"),
            answer=_text(request, "answer"),
        ),
        done="Опубликовано в частых вопросах.",
    )


@login_required
@require_GET
def faq_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.asks(user))
    words = inputs.text_field(request.GET.get("q", ""), "q", limit=200)
    entries = services.search_faq(access.faq_for(user), words)
    return render(request, "support/faq.html", {"entries": entries, "q": words})


@login_required
@require_http_methods(["GET", "POST"])
def trainings_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.asks(user))
    admin = access.answers(user)
    status = 200
    if request.method == "POST":
        roles.require(admin)
        with refused() as refusal:
            training.publish(
                actor=user,
                title=_text(request, "title", 200),
                day=inputs.date_or_none(request.POST.get("day")),
                time=inputs.time_or_none(request.POST.get("time")),
                place=_text(request, "place", 200),
                link=_text(request, "link", 500),
                audience=request.POST.get("audience", ""),
                capacity=inputs.count_or_none(request.POST.get("capacity"), high=training.MAX_CAPACITY),
            )
            messages.success(request, "Занятие опубликовано.")
            return redirect("support:trainings")
        messages.error(request, refusal.message)
        status = refusal.status
    rows = training.listing(user)
    context = {"rows": rows, "answers": admin, "audiences": Audience.choices}
    return render(request, "support/trainings.html", context, status=status)


@login_required
@require_GET
def training_page(request: HttpRequest, training_id: int) -> HttpResponse:
    user = current_user(request)
    roles.require(access.answers(user))
    session = access.training_for(user, training_id)
    signups = (
        session.signups.filter(school_id=session.school_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return render(request, "support/training.html", {"t": session, "signups": signups})


def _training_action(
    request: HttpRequest, training_id: int, act: Callable[[User, Training], object], done: str, back: str
) -> HttpResponse:
    user = current_user(request)
    session = access.training_for(user, training_id)
    with refused() as refusal:
        act(user, session)
        messages.success(request, done)
    if refusal.error is not None:
        messages.error(request, refusal.message)
    if back == "training":
        return redirect("support:training", training_id=session.pk)
    return redirect("support:trainings")


@login_required
@require_POST
def signup(request: HttpRequest, training_id: int) -> HttpResponse:
    return _training_action(
        request, training_id, lambda u, t: training.sign_up(actor=u, training=t), "Вы записаны.", "trainings"
    )


@login_required
@require_POST
def cancel(request: HttpRequest, training_id: int) -> HttpResponse:
    return _training_action(
        request, training_id, lambda u, t: training.cancel(actor=u, training=t), "Запись отменена.", "trainings"
    )


@login_required
@require_POST
def attendance(request: HttpRequest, training_id: int) -> HttpResponse:
    user = current_user(request)
    roles.require(access.answers(user))
    present = [n for n in (inputs.id_or_none(v) for v in request.POST.getlist("present")) if n is not None]
    return _training_action(
        request,
        training_id,
        lambda u, t: training.record_attendance(actor=u, training=t, present=present),
        "Посещаемость записана.",
        "training",
    )
