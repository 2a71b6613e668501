"""REST API of the diary: the students whose diary the user may open, and for each the week, the marks by
subject for a period, the homework list (and one homework), and the period and year marks of every year.

Read-only, for the same people as the pages: a student (own diary) and a parent (their children). Anyone
else's diary, a period that is not the student's, homework of another class is 404; staff have no diary.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access.diary import diary_student, diary_students
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user as _user
from ejournal.diary import payloads
from ejournal.diary.homework import homework_item, homework_list
from ejournal.diary.inputs import parse_week, student_today
from ejournal.diary.marks import period_report, results
from ejournal.diary.selectors import diary_week


class DiaryStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    own = serializers.BooleanField(help_text="Дневник самого пользователя (ученика)")


class DiaryFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField(help_text="Скачать файл (та же сессия)")


class DiaryLessonMarkSerializer(serializers.Serializer):
    value = serializers.CharField()
    kind = serializers.CharField(help_text="Вид работы")
    weight = serializers.CharField(help_text="Вес вида работы, «2.00»")
    comment = serializers.CharField()


class DiaryLessonHomeworkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    files = DiaryFileSerializer(many=True)


class DiaryWeekLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    starts_at = serializers.TimeField(allow_null=True)
    ends_at = serializers.TimeField(allow_null=True)
    subject = serializers.CharField()
    subgroup = serializers.CharField()
    teacher = serializers.CharField()
    room = serializers.CharField()
    topic = serializers.CharField()
    cancelled = serializers.BooleanField()
    substituted = serializers.BooleanField()
    change_note = serializers.CharField()
    attendance = serializers.CharField(help_text="н, б, у, п, оп или пусто")
    marks = DiaryLessonMarkSerializer(many=True)
    homework = DiaryLessonHomeworkSerializer(many=True)


class DiaryWeekDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    class_name = serializers.CharField(help_text="Класс ученика в этот день; пусто — не зачислен")
    lessons = DiaryWeekLessonSerializer(many=True)


class DiaryWeekSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    monday = serializers.DateField()
    days = DiaryWeekDaySerializer(many=True)


class DiaryPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    year = serializers.CharField()


class DiarySubjectMarkSerializer(serializers.Serializer):
    lesson_id = serializers.IntegerField()
    date = serializers.DateField()
    value = serializers.CharField()
    kind = serializers.CharField()
    weight = serializers.CharField()
    comment = serializers.CharField()


class DiarySubjectLineSerializer(serializers.Serializer):
    subject_id = serializers.IntegerField()
    subject = serializers.CharField()
    average = serializers.CharField(allow_null=True, help_text="Средневзвешенный балл, «4.33»")
    period_mark = serializers.CharField()
    year_mark = serializers.CharField()
    marks = DiarySubjectMarkSerializer(many=True)


class DiaryPeriodReportSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    period = DiaryPeriodSerializer(allow_null=True)
    periods = DiaryPeriodSerializer(many=True)
    subjects = DiarySubjectLineSerializer(many=True)


class DiaryHomeworkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    lesson_date = serializers.DateField()
    due_date = serializers.DateField(help_text="Срок; если учитель его не указал — дата урока")
    due_given = serializers.BooleanField()
    text = serializers.CharField()
    files = DiaryFileSerializer(many=True)


class DiaryHomeworkListSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    today = serializers.DateField()
    upcoming = DiaryHomeworkItemSerializer(many=True)
    past = DiaryHomeworkItemSerializer(many=True)
    past_offset = serializers.IntegerField()
    next_past_offset = serializers.IntegerField(allow_null=True)


class DiaryResultsSubjectSerializer(serializers.Serializer):
    subject_id = serializers.IntegerField()
    subject = serializers.CharField()
    periods = serializers.ListField(child=serializers.CharField())
    finals = serializers.DictField(child=serializers.CharField(), help_text="year, exam, final")


class DiaryResultsYearSerializer(serializers.Serializer):
    year = serializers.CharField()
    periods = serializers.ListField(child=serializers.DictField())
    final_kinds = serializers.ListField(child=serializers.CharField())
    subjects = DiaryResultsSubjectSerializer(many=True)


class DiaryResultsSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    years = DiaryResultsYearSerializer(many=True)


def _query_int(request: Request, name: str, read: Callable[[str], int | None], wanted: str) -> int | None:
    """A number read by core.inputs (`read`); empty is None. The diary's API refuses a bad one with 422."""
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return None
    value = read(raw)
    if value is None:
        raise ValidationFailed(f"Параметр «{name}»: нужно {wanted}.", field=name)
    return value


class StudentsView(APIView):
    @extend_schema(responses={200: DiaryStudentSerializer(many=True)}, summary="Чьи дневники доступны: свой, детей")
    def get(self, request: Request) -> Response:
        user = _user(request)
        return Response([payloads.student(s, own=s.pk == user.pk) for s in diary_students(user)])


class WeekView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("week", OpenApiTypes.DATE, description="Любой день недели; по умолчанию — сегодня")
        ],
        responses={200: DiaryWeekSerializer},
        summary="Неделя дневника: уроки, темы, задания, отметки, посещаемость",
    )
    def get(self, request: Request, student_id: int) -> Response:
        student = diary_student(_user(request), student_id)
        raw = request.query_params.get("week", "")
        day = parse_week(raw) if raw else student_today(student)
        if day is None:
            raise ValidationFailed(
                f"Параметр «week»: дата в виде {inputs.DATE_FORMAT_HINT} между {inputs.MIN_DATE.year} и "
                f"{inputs.MAX_DATE.year} годом.",
                field="week",
            )
        return Response(payloads.week(diary_week(student, day)))


class MarksView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("period", OpenApiTypes.INT, description="Учебный период; по умолчанию — текущий")],
        responses={200: DiaryPeriodReportSerializer},
        summary="Отметки по предметам за период: каждая отметка, средневзвешенный балл, отметки за период и год",
    )
    def get(self, request: Request, student_id: int) -> Response:
        student = diary_student(_user(request), student_id)
        period_id = _query_int(request, "period", inputs.id_or_none, "номер периода — целое число от 1")
        return Response(payloads.report(period_report(student, period_id=period_id, today=student_today(student))))


class HomeworkListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("past", OpenApiTypes.INT, description="Сдвиг по прошедшим заданиям")],
        responses={200: DiaryHomeworkListSerializer},
        summary="Домашние задания: предстоящие по сроку, затем прошедшие",
    )
    def get(self, request: Request, student_id: int) -> Response:
        student = diary_student(_user(request), student_id)
        offset = _query_int(request, "past", inputs.count_or_none, f"целое число от 0 до {inputs.MAX_OFFSET}") or 0
        return Response(payloads.homework(homework_list(student, today=student_today(student), past_offset=offset)))


class HomeworkItemView(APIView):
    @extend_schema(
        responses={200: DiaryHomeworkItemSerializer},
        summary="Одно домашнее задание с файлами",
        operation_id="diary_students_homework_item",
    )
    def get(self, request: Request, student_id: int, homework_id: int) -> Response:
        student = diary_student(_user(request), student_id)
        return Response(payloads.homework_item(homework_item(student, homework_id)))


class ResultsView(APIView):
    @extend_schema(
        responses={200: DiaryResultsSerializer}, summary="Отметки за периоды, годовые, экзаменационные, итоговые"
    )
    def get(self, request: Request, student_id: int) -> Response:
        student = diary_student(_user(request), student_id)
        return Response(payloads.results(student.pk, results(student)))


urlpatterns = [
    path("diary/students/", StudentsView.as_view(), name="api-diary-students"),
    path("diary/students/<id:student_id>/week/", WeekView.as_view(), name="api-diary-week"),
    path("diary/students/<id:student_id>/marks/", MarksView.as_view(), name="api-diary-marks"),
    path("diary/students/<id:student_id>/homework/", HomeworkListView.as_view(), name="api-diary-homework"),
    path(
        "diary/students/<id:student_id>/homework/<id:homework_id>/",
        HomeworkItemView.as_view(),
        name="api-diary-homework-item",
    ),
    path("diary/students/<id:student_id>/results/", ResultsView.as_view(), name="api-diary-results"),
]
