"""REST API of the retention register (реестр хранения): the administrator and the director read it (with
`?label=` the files copied to one disk), the administrator deletes an expired stored book or report with
confirmation and a reason (ejournal/retention). Anyone else: 404."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import retention as access
from ejournal.access import roles
from ejournal.core import inputs
from ejournal.core.requests import current_user
from ejournal.retention import services
from ejournal.retention.register import Item, register


def _item(item: Item) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id,
        "title": item.title,
        "category": item.category,
        "since": item.since.isoformat(),
        "until": item.until.isoformat(),
        "status": item.status,
        "sha256": item.sha256,
        "where": item.where,
        "deletable": item.deletable,
        "copies": [
            {"at": c.at.isoformat(), "label": c.label, "holder": c.holder, "recipient": c.recipient}
            for c in item.copies
        ],
    }


class RetentionRegister(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("label", str, description="Метка диска: только записанные на него копии")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Реестр хранения: что хранится, с какого дня, до какого, где копии",
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.reads_register(user))
        label = inputs.text_field(request.query_params.get("label", ""), "label", limit=100)
        data = register(user=user, label=label)
        school = data.school
        return Response(
            {
                "today": data.today.isoformat(),
                "terms": {
                    "journals_years": school.retention_journal_years,
                    "summaries_years": school.retention_summary_years,
                    "warn_days": school.retention_warn_days,
                },
                "items": [_item(i) for i in data.items],
                "deletions": [
                    {
                        "at": d.at.isoformat(),
                        "actor": d.actor.full_name,
                        "kind": d.kind,
                        "id": d.item_id,
                        "title": d.title,
                        "sha256": d.sha256,
                        "reason": d.reason,
                    }
                    for d in data.deletions
                ],
            }
        )


class RetentionDelete(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 422: OpenApiTypes.OBJECT},
        summary="Удалить хранимую запись с истёкшим сроком: {kind: book|report, id, confirm: true, reason}",
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.deletes_expired(user))
        data = request.data if isinstance(request.data, dict) else {}
        done = services.delete_expired(
            actor=user,
            kind=str(data.get("kind") or ""),
            item_id=inputs.id_field(data.get("id"), "id"),
            confirmed=data.get("confirm") is True,
            reason=inputs.text_field(data.get("reason", ""), "reason", limit=500),
        )
        return Response({"deleted": {"kind": done.kind, "id": done.item_id, "title": done.title}})


urlpatterns = [
    path("retention/", RetentionRegister.as_view(), name="api-retention"),
    path("retention/delete/", RetentionDelete.as_view(), name="api-retention-delete"),
]
