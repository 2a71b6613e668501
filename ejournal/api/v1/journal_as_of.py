"""«Журнал на дату» in the API: a journal's grid and a class's сводная ведомость as they stood at a past
moment, with every later change (journal/as_of.py). The same access as the grid and the class overview."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import journal as access
from ejournal.api.v1.inputs import period_param
from ejournal.api.v1.journal_grid import grid_payload
from ejournal.core import time as clock
from ejournal.core.errors import NotFound
from ejournal.core.requests import current_user
from ejournal.journal import as_of, lookups
from ejournal.journal import periods as journal_periods

MOMENT = [
    OpenApiParameter("date", OpenApiTypes.DATE, description="Дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ); без неё — сейчас"),
    OpenApiParameter("time", str, description="Время ЧЧ:ММ в часовом поясе школы; без него — конец дня"),
    OpenApiParameter("period", int, description="Период; без него — текущий"),
]


def _changes(changes: list[as_of.LaterChange]) -> list[dict[str, Any]]:
    return [
        {
            "at": c.at.isoformat(),
            "actor": c.actor,
            "what": c.what,
            "where": c.where,
            "old": c.old,
            "new": c.new,
            "reason": c.reason,
        }
        for c in changes
    ]


class JournalAsOf(APIView):
    @extend_schema(
        parameters=MOMENT,
        responses={200: OpenApiTypes.OBJECT},
        summary="Журнал на дату: сетка, как она была в указанный момент, и все изменения после него",
    )
    def get(self, request: Request, assignment_id: int) -> Response:
        user = current_user(request)
        journal = access.visible_journals(user).filter(pk=assignment_id).select_related("school").first()
        if journal is None:
            raise NotFound()
        moment = as_of.parse_moment(journal.school, request.query_params.get("date"), request.query_params.get("time"))
        period = lookups.period_for(user, period_param(request))
        data = as_of.journal_as_of(user=user, assignment=assignment_id, period=period, moment=moment)
        return Response(
            {"moment": moment.isoformat(), "grid": grid_payload(data.grid), "changes": _changes(data.changes)}
        )


class SheetAsOf(APIView):
    @extend_schema(
        parameters=MOMENT,
        responses={200: OpenApiTypes.OBJECT},
        summary="Сводная ведомость класса (отметки за период) на дату и все изменения после неё",
    )
    def get(self, request: Request, class_id: int) -> Response:
        user = current_user(request)
        group = access.overview_classes(user).filter(pk=class_id).select_related("school").first()
        if group is None:
            raise NotFound()
        class_periods = journal_periods.periods_of_class(group)
        period_id = period_param(request)
        if period_id is None:
            period = journal_periods.current_period(class_periods, clock.school_today(group.school))
        else:
            period = next((p for p in class_periods if p.pk == period_id), None)
        if period is None:
            raise NotFound()
        moment = as_of.parse_moment(group.school, request.query_params.get("date"), request.query_params.get("time"))
        sheet = as_of.sheet_as_of(user=user, class_group=group, period=period, moment=moment)
        return Response(
            {
                "moment": moment.isoformat(),
                "class": sheet.class_name,
                "period": {"id": period.pk, "name": period.name},
                "subjects": [{"id": pk, "name": name} for pk, name in sheet.subjects],
                "students": [
                    {"id": line.student_id, "name": line.name, "marks": {str(k): v for k, v in line.marks.items()}}
                    for line in sheet.lines
                ],
                "changes": _changes(sheet.changes),
            }
        )


urlpatterns = [
    path("journal/<id:assignment_id>/as-of/", JournalAsOf.as_view(), name="api-journal-as-of"),
    path("journal/classes/<id:class_id>/as-of/", SheetAsOf.as_view(), name="api-journal-sheet-as-of"),
]
