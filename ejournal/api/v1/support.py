"""REST API of consultations (обращения), the FAQ and the training sessions (ejournal/support). The same
access as the pages (access/support.py): a person sees their own requests, the administrator the school's;
anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import roles
from ejournal.access import support as access
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user
from ejournal.support import services, training
from ejournal.support.models import Ticket, Training


def _data(request: Request) -> Any:
    return request.data if hasattr(request.data, "get") else {}


def _text(data: Any, name: str, limit: int = services.MAX_TEXT) -> str:
    return inputs.text_field(data.get(name, ""), name, limit=limit)


def _ticket(ticket: Ticket, *, full: bool, admin: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ticket.pk,
        "created_at": ticket.created_at.isoformat(),
        "status": ticket.status,
        "status_name": ticket.get_status_display(),
        "page": ticket.page_path,
        "page_title": ticket.page_title,
    }
    if not full:
        return out
    out["context"] = ticket.context
    out["file_name"] = ticket.file_name
    out["messages"] = [
        {"at": m.at.isoformat(), "text": m.text, "is_answer": m.is_answer}
        for m in ticket.messages.filter(school_id=ticket.school_id).order_by("at", "id")
    ]
    out["history"] = [
        {"at": h.at.isoformat(), "status": h.status, "note": h.note}
        for h in ticket.status_changes.filter(school_id=ticket.school_id).order_by("at", "id")
    ]
    if admin:
        out["author"] = ticket.author.short_name
        out["escalation"] = {
            "at": ticket.escalated_at.isoformat() if ticket.escalated_at else None,
            "to": ticket.escalated_to,
            "text": ticket.escalation_text,
            "prepared": services.prepare_escalation(ticket),
            "regional_answer": ticket.regional_answer,
            "regional_answered_at": ticket.regional_answered_at.isoformat() if ticket.regional_answered_at else None,
        }
    return out


class Tickets(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Мои обращения (администратору — все обращения школы)")
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.asks(user))
        tickets = access.tickets_for(user).order_by("-created_at", "-id")[:200]
        return Response({"tickets": [_ticket(t, full=False, admin=False) for t in tickets]})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 422: OpenApiTypes.OBJECT},
        summary="Задать вопрос: {text, page, page_title}; файл — multipart-поле file",
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.asks(user))
        data = _data(request)
        ticket = services.ask(
            actor=user,
            text=_text(data, "text"),
            page=_text(data, "page", 2000),
            title=_text(data, "page_title", 200),
            user_agent=request.headers.get("User-Agent", ""),
            upload=request.FILES.get("file"),
        )
        return Response(_ticket(ticket, full=True, admin=False), status=201)


class TicketDetail(APIView):
    @extend_schema(
        operation_id="support_ticket_item",
        responses={200: OpenApiTypes.OBJECT},
        summary="Обращение: переписка, состояние, история",
    )
    def get(self, request: Request, ticket_id: int) -> Response:
        user = current_user(request)
        return Response(_ticket(access.ticket_for(user, ticket_id), full=True, admin=access.answers(user)))


class TicketAction(APIView):
    """POST with {text} (reply, escalate with {how: email|copy}, regional), or {} (take, close), or
    {category, question, answer} (publish to the FAQ)."""

    action = ""
    admin_only = False

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT})
    def post(self, request: Request, ticket_id: int) -> Response:
        user = current_user(request)
        ticket = access.ticket_for(user, ticket_id)
        roles.require(access.answers(user) if self.admin_only else access.writes_ticket(user, ticket))
        data = _data(request)
        if self.action == "reply":
            services.reply(actor=user, ticket=ticket, text=_text(data, "text"))
        elif self.action == "close":
            services.close(actor=user, ticket=ticket)
        elif self.action == "take":
            services.take(actor=user, ticket=ticket)
        elif self.action == "escalate":
            how = data.get("how")
            if how not in ("email", "copy"):
                raise ValidationFailed("Поле «how»: email или copy.", field="how")
            services.escalate(actor=user, ticket=ticket, text=_text(data, "text"), send=how == "email")
        elif self.action == "regional":
            services.record_regional_answer(actor=user, ticket=ticket, text=_text(data, "text"))
        elif self.action == "publish":
            entry = services.publish_faq(
                actor=user,
                ticket=ticket,
                category=_text(data, "category", 100),
                question=_text(data, "question"),
                answer=_text(data, "answer"),
            )
            return Response({"faq_id": entry.pk})
        ticket.refresh_from_db()
        return Response(_ticket(ticket, full=True, admin=access.answers(user)))


class Faq(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Слова для поиска")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Частые вопросы школы",
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.asks(user))
        words = inputs.text_field(request.query_params.get("q", ""), "q", limit=200)
        entries = services.search_faq(access.faq_for(user), words)
        return Response(
            {
                "entries": [
                    {"id": e.pk, "category": e.category, "question": e.question, "answer": e.answer} for e in entries
                ]
            }
        )


def _training(t: Training, taken: int, mine: bool) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "starts_at": t.starts_at.isoformat(),
        "place": t.place,
        "link": t.link,
        "audience": t.audience,
        "capacity": t.capacity,
        "taken": taken,
        "signed_up": mine,
    }


class Trainings(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Предстоящие обучающие занятия")
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.asks(user))
        rows = training.listing(user)
        return Response({"trainings": [_training(r.training, r.taken, r.mine) for r in rows]})

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 422: OpenApiTypes.OBJECT},
        summary="Опубликовать занятие: {title, day, time, place, link, audience, capacity}",
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.answers(user))
        data = _data(request)
        capacity = data.get("capacity")
        t = training.publish(
            actor=user,
            title=_text(data, "title", 200),
            day=inputs.date_field(data.get("day"), "day"),
            time=inputs.time_or_none(data.get("time")),
            place=_text(data, "place", 200),
            link=_text(data, "link", 500),
            audience=str(data.get("audience") or ""),
            capacity=capacity if isinstance(capacity, int) and not isinstance(capacity, bool) else None,
        )
        return Response(_training(t, 0, False), status=201)


class TrainingSignUp(APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT}, summary="Записаться")
    def post(self, request: Request, training_id: int) -> Response:
        user = current_user(request)
        t = access.training_for(user, training_id)
        training.sign_up(actor=user, training=t)
        return Response(_training(t, t.signups.filter(school_id=t.school_id).count(), True))

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT}, summary="Отменить запись")
    def delete(self, request: Request, training_id: int) -> Response:
        user = current_user(request)
        t = access.training_for(user, training_id)
        training.cancel(actor=user, training=t)
        return Response(_training(t, t.signups.filter(school_id=t.school_id).count(), False))


class TrainingAttendance(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Кто записался и кто пришёл (администратор)")
    def get(self, request: Request, training_id: int) -> Response:
        user = current_user(request)
        roles.require(access.answers(user))
        t = access.training_for(user, training_id)
        signups = t.signups.filter(school_id=t.school_id).select_related("user").order_by("user__last_name")
        return Response(
            {"signups": [{"user_id": s.user_id, "name": s.user.short_name, "attended": s.attended} for s in signups]}
        )

    @extend_schema(
        request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, summary="Посещаемость: {present: [id]}"
    )
    def post(self, request: Request, training_id: int) -> Response:
        user = current_user(request)
        roles.require(access.answers(user))
        t = access.training_for(user, training_id)
        raw = _data(request).get("present")
        if not isinstance(raw, list) or len(raw) > 1000:
            raise ValidationFailed("Поле «present» — список номеров пользователей.", field="present")
        present = [inputs.id_field(v, "present") for v in raw]
        training.record_attendance(actor=user, training=t, present=[p for p in present if p is not None])
        return self.get(request, training_id)


def _action(name: str, admin_only: bool) -> Any:
    return TicketAction.as_view(action=name, admin_only=admin_only)


urlpatterns = [
    path("support/tickets/", Tickets.as_view(), name="api-support-tickets"),
    path("support/tickets/<id:ticket_id>/", TicketDetail.as_view(), name="api-support-ticket"),
    path("support/tickets/<id:ticket_id>/reply/", _action("reply", False), name="api-support-ticket-reply"),
    path("support/tickets/<id:ticket_id>/close/", _action("close", False), name="api-support-ticket-close"),
    path("support/tickets/<id:ticket_id>/take/", _action("take", True), name="api-support-ticket-take"),
    path("support/tickets/<id:ticket_id>/escalate/", _action("escalate", True), name="api-support-ticket-escalate"),
    path("support/tickets/<id:ticket_id>/regional/", _action("regional", True), name="api-support-ticket-regional"),
    path("support/tickets/<id:ticket_id>/publish/", _action("publish", True), name="api-support-ticket-publish"),
    path("support/faq/", Faq.as_view(), name="api-support-faq"),
    path("support/trainings/", Trainings.as_view(), name="api-support-trainings"),
    path("support/trainings/<id:training_id>/signup/", TrainingSignUp.as_view(), name="api-support-training-signup"),
    path(
        "support/trainings/<id:training_id>/attendance/",
        TrainingAttendance.as_view(),
        name="api-support-training-attendance",
    ),
]
