"""REST API of the class overview («Сводка класса»): every subject of a class for a period.

/api/v1/classes/ belongs to the school structure (schools.py); the overview is the journal's, so it
lives under /api/v1/journal/classes/. The same selector and access/ scope as the page: the class
teacher of the class and management; anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.accounts.models import User
from ejournal.api.v1.inputs import period_param
from ejournal.journal.overview import ClassOverview, OverviewRow, class_overview

# The absence reasons by name, in the order of overview.MISSED_CODES (б, у, п, н).
MISSED_KEYS = ("ill", "excused", "unexcused", "unsettled")


def _missed(figures: tuple[int, ...]) -> dict[str, int]:
    total, *by_reason = figures
    return {"total": total, **dict(zip(MISSED_KEYS, by_reason, strict=True))}


def _row(row: OverviewRow) -> dict[str, Any]:
    return {
        "id": row.student_id,
        "name": row.name,
        "enrolled_from": row.enrolled_from.isoformat() if row.enrolled_from else None,
        "enrolled_to": row.enrolled_to.isoformat() if row.enrolled_to else None,
        "subjects": [
            None
            if cell is None
            else {
                "average": str(cell.average) if cell.average is not None else None,
                "marks_count": cell.marks_count,
                "norm": cell.norm,
                "below_norm": cell.below_norm,
                "period_mark": cell.period_mark,
            }
            for cell in row.cells
        ],
        "missed": {"lessons": _missed(row.lessons_missed), "days": _missed(row.days_missed)},
    }


def overview_payload(overview: ClassOverview) -> dict[str, Any]:
    """The overview as JSON: subjects in column order; per student one entry per subject in the same
    order (null where the student is not in the subject's subgroup), and lessons and days missed."""
    period = overview.period
    return {
        "class": {"id": overview.class_id, "name": overview.class_name},
        "period": {
            "id": period.pk,
            "name": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "periods": [{"id": p.pk, "name": p.name} for p in overview.periods],
        "subjects": [
            {
                "assignment": c.assignment_id,
                "subject": c.subject_id,
                "subgroup": c.subgroup_id,
                "title": c.title,
                "teacher": c.teacher_name,
                "norm": c.norm,
            }
            for c in overview.columns
        ],
        "students": [_row(row) for row in overview.rows],
    }


class ClassOverviewView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("period", int, description="Период; без него — текущий")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Сводка класса: все предметы и пропуски за период",
    )
    def get(self, request: Request, class_id: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        period = period_param(request)
        return Response(overview_payload(class_overview(user=user, class_group=class_id, period=period)))


urlpatterns = [
    path("journal/classes/<id:class_id>/overview/", ClassOverviewView.as_view(), name="api-journal-class-overview"),
]
