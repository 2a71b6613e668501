"""REST API of the paper book (issue 16): the same functions and access rules as the «Печать журнала» pages.

- `printing/book/`: without `class_group` — what the user may print (classes, periods, parts) as JSON; with
  `class_group` and `period` (or `date_from` and `date_to`) — the PDF (`subject`, `part=summary` optional).
- `printing/journals/<assignment_id>/`: one journal (a subject of a class) for its teacher, the class teacher
  and management; without a period or dates — its periods as JSON, with them — the PDF.
- `printing/stored/`: the books made in the worker (management); `?book=<id>` is downloaded on the page.
- `printing/jobs/`: the background jobs making the books of a period with their progress (GET), or ask for one
  (POST {period, class_group?} → 202; the job's progress is then read from this list).

Outside the user's scope is a 404; bad parameters a 400/422 with a Russian message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import printing as access
from ejournal.access.roles import require
from ejournal.access.tenancy import get_for
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.inputs import parse_date, parse_id
from ejournal.core.requests import current_user
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.journal.periods import periods_of_class
from ejournal.printing import stored
from ejournal.printing.exports import book_download
from ejournal.printing.models import BookJob, StoredBook
from ejournal.printing.selectors import PARTS, school_periods
from ejournal.schools.models import ClassGroup, Period

SPAN = [
    OpenApiParameter("period", int, description="Период (или date_from и date_to)"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="С (ГГГГ-ММ-ДД), в пределах учебного года класса"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="По (ГГГГ-ММ-ДД)"),
    OpenApiParameter("part", str, enum=list(PARTS), description="book — журнал, summary — только сводная ведомость"),
]


def _period(p: Period) -> dict[str, object]:
    return {"id": p.pk, "name": p.name, "year": p.scheme.year_id, "start": p.start, "end": p.end}


def _span(user: User, q: Any) -> dict[str, Any]:
    period_id = parse_id(q.get("period"), "period")
    return {
        "period": get_for(user, Period.objects.select_related("scheme"), period_id) if period_id else None,
        "start": parse_date(q.get("date_from"), "date_from"),
        "end": parse_date(q.get("date_to"), "date_to"),
        "part": q.get("part") or "book",
    }


def _asks_pdf(q: Any) -> bool:
    return any(q.get(name) for name in ("period", "date_from", "date_to"))


class BookView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("class_group", int, description="Класс; без него — что можно напечатать (JSON)"),
            *SPAN,
            OpenApiParameter("subject", int, description="Только журнал этого предмета"),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "application/json"): OpenApiTypes.OBJECT},
        summary="Классный журнал книгой (PDF) или список того, что можно напечатать",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        user = current_user(request)
        require(access.opens_printing(user))
        q = request.query_params
        class_id = parse_id(q.get("class_group"), "class_group")
        if class_id is None:
            classes = access.printable_classes(user).select_related("year").order_by("-year__start", "grade", "letter")
            return Response(
                {
                    "classes": [{"id": c.pk, "name": c.name, "year": c.year_id} for c in classes],
                    "periods": [_period(p) for p in school_periods(user.school_id)],
                    "parts": PARTS,
                }
            )
        group = get_for(user, ClassGroup, class_id)
        require(access.may_print_class(user, group))
        subject_id = parse_id(q.get("subject"), "subject")
        subject = get_for(user, Subject, subject_id) if subject_id else None
        return book_download(request=request, user=user, class_group=group, subject=subject, **_span(user, q))


class JournalView(APIView):
    @extend_schema(
        parameters=SPAN,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "application/json"): OpenApiTypes.OBJECT},
        summary="Журнал одного предмета класса (PDF) или его периоды",
    )
    def get(self, request: Request, assignment_id: int) -> Response | HttpResponse:
        user = current_user(request)
        assignment = get_for(user, TeachingAssignment.objects.select_related("class_group", "subject"), assignment_id)
        require(access.may_print_journal(user, assignment))
        q = request.query_params
        group = assignment.class_group
        if not _asks_pdf(q):
            return Response(
                {
                    "class_group": {"id": group.pk, "name": group.name},
                    "subject": {"id": assignment.subject_id, "name": assignment.subject.name},
                    "periods": [_period(p) for p in periods_of_class(group)],
                    "parts": PARTS,
                }
            )
        return book_download(
            request=request, user=user, class_group=group, subject=assignment.subject, **_span(user, q)
        )


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


class StoredView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Книги журнала, сделанные сервером")
    def get(self, request: Request) -> Response:
        user = current_user(request)
        require(access.reads_stored_books(user))
        books = StoredBook.objects.filter(school_id=user.school_id).defer("pdf").select_related("class_group")
        page = reverse("printing:stored")
        return Response(
            [
                {
                    "id": b.pk,
                    "class_group": {"id": b.class_group_id, "name": b.class_group.name},
                    "period": b.period_id,
                    "made_at": _time(b.made_at),
                    "draft": b.draft,
                    "superseded_at": _time(b.superseded_at),
                    "superseded_by": b.superseded_by_id,
                    "size": b.size,
                    "sha256": b.sha256,
                    "download": f"{page}?book={b.pk}",
                }
                for b in books
            ]
        )


def _job(job: BookJob) -> dict[str, object]:
    return {
        "id": job.pk,
        "period": job.period_id,
        "class_group": job.class_group_id,
        "requested_by": job.requested_by_id,
        "created_at": _time(job.created_at),
        "finished_at": _time(job.finished_at),
        "status": job.status,
        "status_text": job.get_status_display(),
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "made": job.made,
        "message": job.message,
    }


class JobsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Задания на книги журнала и их ход")
    def get(self, request: Request) -> Response:
        user = current_user(request)
        require(access.reads_stored_books(user))
        return Response([_job(j) for j in stored.recent_jobs(user.school_id)])

    @extend_schema(
        request={"application/json": {"type": "object", "properties": {"period": {"type": "integer"},
                                                                       "class_group": {"type": "integer"}}}},
        responses={202: OpenApiTypes.OBJECT},
        summary="Сделать книги периода в фоне (все классы ступени или один класс)",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        user = current_user(request)
        require(access.reads_stored_books(user))
        body = request.data if isinstance(request.data, dict) else {}
        period_id = parse_id(body.get("period"), "period")
        class_id = parse_id(body.get("class_group"), "class_group")
        if period_id is None:
            raise ValidationFailed("Укажите период: его номер записи (period).", field="period")
        period = get_for(user, Period.objects.select_related("scheme"), period_id)
        group = get_for(user, ClassGroup, class_id) if class_id else None
        job = stored.request_books(actor=user, period=period, class_group=group)
        return Response(_job(job), status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("printing/book/", BookView.as_view(), name="api-printing-book"),
    path("printing/journals/<id:assignment_id>/", JournalView.as_view(), name="api-printing-journal"),
    path("printing/stored/", StoredView.as_view(), name="api-printing-stored"),
    path("printing/jobs/", JobsView.as_view(), name="api-printing-jobs"),
]
