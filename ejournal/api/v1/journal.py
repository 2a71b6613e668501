"""REST API of the journal: the grid, cells (marks and attendance), the lesson record, period marks,
history, and closing periods.

The same access/ scopes, services and selectors as the pages: an object outside the user's scope is 404,
a broken rule answers {"code", "message", "fields"} (api/v1/errors.py) with the service's status (422 bad value or
enrolment, 423 closed period, 409 conflict — with "current", the cell as it is now) and saves nothing.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import journal as access
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.api.v1.errors import raise_first_error
from ejournal.api.v1.inputs import period_param
from ejournal.api.v1.journal_grid import GridSerializer, grid_payload
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.core.requests import current_user as _user
from ejournal.curriculum.models import PlannedTopic
from ejournal.journal import (
    cell_requests,
    listing,
    lookups,
    payloads,
    period_mark_requests,
    period_marks,
    periods,
    selectors,
    services,
)
from ejournal.journal import lessons as lesson_records
from ejournal.journal.errors import StaleEdit
from ejournal.journal.models import PeriodMarkKind
from ejournal.schools.models import ClassGroup, Period


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    raise_first_error(serializer)
    return dict(serializer.validated_data)


# --- serializers (input, and the shapes the schema documents) -------------------------------------------


class MarkItemSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=10)
    kind = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CellInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text="Как в клетке: «5», «5/4», «н», «оп 5»; пусто очищает",
    )
    marks = MarkItemSerializer(
        many=True, required=False, help_text="Вместо text: отметки с видом работы и комментарием"
    )
    attendance = serializers.CharField(required=False, allow_blank=True, max_length=4)
    kind = serializers.IntegerField(required=False, allow_null=True, help_text="Вид работы для новых отметок")
    version = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text="Версия клетки, которую видел клиент"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CellMarkSerializer(serializers.Serializer):
    value = serializers.CharField()
    kind = serializers.IntegerField()
    comment = serializers.CharField()
    late = serializers.BooleanField()


class CellSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    student = serializers.IntegerField()
    text = serializers.CharField()
    version = serializers.CharField()
    attendance = serializers.CharField()
    marks = CellMarkSerializer(many=True)
    late = serializers.BooleanField()


class RowFiguresSerializer(serializers.Serializer):
    average = serializers.CharField(allow_null=True)
    marks_count = serializers.IntegerField()
    norm = serializers.IntegerField()
    suggested = serializers.CharField()
    deviation = serializers.BooleanField()


class CellResultSerializer(serializers.Serializer):
    cell = CellSerializer()
    row = RowFiguresSerializer(allow_null=True)


class HistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    what = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    reason = serializers.CharField()


class CellHistorySerializer(serializers.Serializer):
    cell = CellSerializer()
    student = serializers.CharField()
    lesson = serializers.CharField()
    history = HistorySerializer(many=True)


class LessonInputSerializer(serializers.Serializer):
    topic = serializers.CharField(required=False, allow_blank=True, max_length=500)
    planned_topic = serializers.IntegerField(required=False, allow_null=True)
    homework = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    due_date = serializers.DateField(required=False, allow_null=True)
    kind = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class LessonPanelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    number = serializers.IntegerField()
    topic = serializers.CharField()
    planned_topic = serializers.IntegerField(allow_null=True)
    suggestion = serializers.DictField(allow_null=True)
    homework = serializers.DictField()
    kind = serializers.IntegerField(allow_null=True)
    editable = serializers.BooleanField()
    history = HistorySerializer(many=True)


class PeriodMarkInputSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True, max_length=10, help_text="5…1, н/а, осв, зач, незач; пусто удаляет")
    kind = serializers.ChoiceField(choices=PeriodMarkKind.choices, default=PeriodMarkKind.PERIOD)
    period = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.CharField(required=False, allow_blank=True, max_length=16)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PeriodMarkSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    kind = serializers.CharField()
    period = serializers.IntegerField(allow_null=True)
    value = serializers.CharField()
    version = serializers.CharField()
    suggested = serializers.CharField()
    average = serializers.CharField(allow_null=True)
    marks_count = serializers.IntegerField()
    norm = serializers.IntegerField()
    deviation = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())


class ClosureInputSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    class_group = serializers.IntegerField(required=False, allow_null=True, help_text="Пусто — для всей школы")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


# --- views ---------------------------------------------------------------------------------------------


class JournalList(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Журналы, доступные пользователю")
    def get(self, request: Request) -> Response:
        groups = listing.journal_index(_user(request))
        return Response(
            [
                {
                    "title": g.title,
                    "journals": [
                        {
                            "assignment": j.assignment_id,
                            "title": j.title,
                            "teacher": j.teacher_name,
                            "periods": [{"id": p.pk, "name": p.name} for p in j.periods],
                        }
                        for j in g.journals
                    ],
                }
                for g in groups
            ]
        )


class JournalGrid(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("period", int, description="Период; без него — текущий")],
        responses={200: GridSerializer},
        summary="Сетка журнала: ученики × уроки периода, с отметками из другого класса (только чтение)",
    )
    def get(self, request: Request, assignment_id: int) -> Response:
        user = _user(request)
        grid = selectors.journal_grid(
            user=user, assignment=assignment_id, period=lookups.period_for(user, period_param(request))
        )
        return Response(grid_payload(grid))


class CellView(APIView):
    @extend_schema(request=CellInputSerializer, responses={200: CellResultSerializer}, summary="Записать клетку")
    def put(self, request: Request, lesson_id: int, student_id: int) -> Response:
        # The body is read by the page's adapter too (CellInputSerializer only documents it).
        result = cell_requests.save_cell(
            user=_user(request), lesson_id=lesson_id, student_id=student_id, body=request.data
        )
        if isinstance(result, cell_requests.CellConflict):
            raise StaleEdit(result.message, current=result.current)
        return Response({"cell": result.cell, "row": result.row})


class CellHistoryView(APIView):
    @extend_schema(responses={200: CellHistorySerializer}, summary="История клетки")
    def get(self, request: Request, lesson_id: int, student_id: int) -> Response:
        user = _user(request)
        lesson = lookups.lesson_for(user, lesson_id)
        student = lookups.student_for(user, student_id)
        return Response(
            {
                "cell": payloads.cell(services.cell_state(lesson=lesson, student=student)),
                "student": student.full_name,
                "lesson": payloads.lesson_label(lesson),
                "history": payloads.history(selectors.cell_history(user=user, lesson=lesson, student=student)),
            }
        )


class LessonView(APIView):
    @extend_schema(responses={200: LessonPanelSerializer}, summary="Урок: тема, задание, вид работы, история")
    def get(self, request: Request, lesson_id: int) -> Response:
        user = _user(request)
        return Response(payloads.lesson_panel(user=user, lesson=lookups.lesson_for(user, lesson_id)))

    @extend_schema(request=LessonInputSerializer, responses={200: LessonPanelSerializer}, summary="Записать урок")
    def put(self, request: Request, lesson_id: int) -> Response:
        user = _user(request)
        data = _valid(LessonInputSerializer, request.data)
        lesson = lookups.lesson_for(user, lesson_id)
        planned = None
        if data.get("planned_topic") is not None:
            planned = PlannedTopic.objects.filter(school_id=user.school_id, pk=data["planned_topic"]).first()
            if planned is None:
                raise ValidationFailed("Такой темы в КТП нет.", field="planned_topic")
        lesson_records.save_lesson_record(
            actor=user,
            lesson=lesson,
            topic=data.get("topic"),
            planned_topic=planned,
            homework=data.get("homework"),
            due_date=data.get("due_date"),
            kind=lookups.kind_for(user, data.get("kind")),
            reason=data.get("reason", ""),
        )
        return Response(payloads.lesson_panel(user=user, lesson=lookups.lesson_for(user, lesson_id)))


class PeriodMarkView(APIView):
    @extend_schema(
        request=PeriodMarkInputSerializer,
        responses={200: PeriodMarkSerializer},
        summary="Отметка за период, год, экзамен или итоговая",
    )
    def put(self, request: Request, assignment_id: int, student_id: int) -> Response:
        # The body is read by the page's adapter too (PeriodMarkInputSerializer only documents it).
        result = period_mark_requests.save_period_mark(
            user=_user(request), assignment_id=assignment_id, student_id=student_id, body=request.data
        )
        if isinstance(result, period_mark_requests.PeriodMarkConflict):
            raise StaleEdit(result.message, current=result.current)
        return Response(result.mark)


class PeriodMarkHistoryView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=PeriodMarkKind.values),
            OpenApiParameter("period", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="История отметки за период",
    )
    def get(self, request: Request, assignment_id: int, student_id: int) -> Response:
        user = _user(request)
        assignment = lookups.assignment_for(user, assignment_id)
        student = lookups.student_for(user, student_id)
        kind = request.query_params.get("kind") or PeriodMarkKind.PERIOD
        if kind not in PeriodMarkKind.values:
            raise ValidationFailed("Неизвестный вид итоговой отметки.", field="kind")
        period = lookups.period_for(user, period_param(request))
        history = selectors.period_mark_history(
            user=user, assignment=assignment, student=student, kind=kind, period=period
        )
        state = period_marks.period_mark_state(assignment=assignment, student=student, kind=kind, period=period)
        return Response({"mark": payloads.period_mark(state), "history": payloads.history(history)})


def _closure_target(user: User, data: dict[str, Any]) -> tuple[Period, ClassGroup | None]:
    access.require_can_close_periods(user)
    period = lookups.period_for(user, data["period"])
    if period is None:
        raise NotFound()
    group = None
    if data.get("class_group") is not None:
        group = access_schools.visible_classes(user).filter(pk=data["class_group"]).first()
        if group is None:
            raise NotFound()
    return period, group


class ClosureView(APIView):
    @extend_schema(request=ClosureInputSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Закрыть период")
    def post(self, request: Request) -> Response:
        user = _user(request)
        period, group = _closure_target(user, _valid(ClosureInputSerializer, request.data))
        closure = periods.close_period(actor=user, period=period, class_group=group)
        return Response(
            {"period": period.pk, "class_group": group.pk if group else None, "closed_at": closure.closed_at},
            status=201,
        )


class ReopenView(APIView):
    @extend_schema(request=ClosureInputSerializer, responses={204: None}, summary="Открыть закрытый период")
    def post(self, request: Request) -> Response:
        user = _user(request)
        data = _valid(ClosureInputSerializer, request.data)
        period, group = _closure_target(user, data)
        periods.reopen_period(actor=user, period=period, class_group=group, reason=data.get("reason", ""))
        return Response(status=204)


urlpatterns = [
    path("journal/", JournalList.as_view(), name="api-journals"),
    path("journal/<id:assignment_id>/grid/", JournalGrid.as_view(), name="api-journal-grid"),
    path("journal/lessons/<id:lesson_id>/", LessonView.as_view(), name="api-journal-lesson"),
    path("journal/lessons/<id:lesson_id>/cells/<id:student_id>/", CellView.as_view(), name="api-journal-cell"),
    path(
        "journal/lessons/<id:lesson_id>/cells/<id:student_id>/history/",
        CellHistoryView.as_view(),
        name="api-journal-cell-history",
    ),
    path(
        "journal/<id:assignment_id>/period-marks/<id:student_id>/",
        PeriodMarkView.as_view(),
        name="api-journal-period-mark",
    ),
    path(
        "journal/<id:assignment_id>/period-marks/<id:student_id>/history/",
        PeriodMarkHistoryView.as_view(),
        name="api-journal-period-mark-history",
    ),
    path("journal/closures/", ClosureView.as_view(), name="api-journal-closures"),
    path("journal/closures/reopen/", ReopenView.as_view(), name="api-journal-reopen"),
]
