"""REST API of the timetable: bells, the weekly grid, generating lessons, dated lessons with their changes
(замены, cancellations, moves) and extra lessons."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ejournal.access import curriculum as access
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.curriculum import services
from ejournal.curriculum.models import Bell, Lesson, TeachingAssignment, TimetableSlot
from ejournal.schools.models import AcademicYear, ClassGroup

from .common import ScopedSerializer, date_param, int_param, param, require_manager, user_of
from .plan import assignable

# --- bells and the weekly grid -------------------------------------------------------------------------------


class BellSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bell
        fields = ["number", "starts_at", "ends_at"]


class BellList(generics.ListAPIView):
    serializer_class = BellSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Bell]:
        return access.visible_bells(user_of(self.request)).order_by("number")


class SlotSerializer(serializers.ModelSerializer):
    class_group = serializers.IntegerField(source="assignment.class_group_id", read_only=True)
    teacher = serializers.IntegerField(source="assignment.teacher_id", read_only=True)
    subject = serializers.IntegerField(source="assignment.subject_id", read_only=True)
    subgroup = serializers.IntegerField(source="assignment.subgroup_id", read_only=True, allow_null=True)

    class Meta:
        model = TimetableSlot
        fields = [
            "id",
            "year",
            "assignment",
            "weekday",
            "number",
            "room",
            "class_group",
            "teacher",
            "subject",
            "subgroup",
        ]


class SlotCreateSerializer(ScopedSerializer):
    year = serializers.PrimaryKeyRelatedField(queryset=AcademicYear.objects.none())
    assignment = serializers.PrimaryKeyRelatedField(queryset=TeachingAssignment.objects.none())
    weekday = serializers.IntegerField(min_value=1, max_value=6, help_text="1 — понедельник … 6 — суббота")
    number = serializers.IntegerField(min_value=0, max_value=12)
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    scopes = {"year": access_schools.visible_years, "assignment": access.visible_assignments}


def _slots(user: User) -> QuerySet[TimetableSlot]:
    return access.visible_slots(user).select_related("assignment")


class SlotList(generics.ListAPIView):
    """The weekly grid (?class=, ?teacher=, ?year=); a POST puts an assignment into it, refusing a teacher,
    class or room that is busy at that time."""

    serializer_class = SlotSerializer

    def get_queryset(self) -> QuerySet[TimetableSlot]:
        qs = _slots(user_of(self.request)).order_by("weekday", "number", "assignment__class_group__grade")
        for name, lookup in (
            ("year", "year_id"),
            ("class", "assignment__class_group_id"),
            ("teacher", "assignment__teacher_id"),
        ):
            value = int_param(self.request, name)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        return qs

    @extend_schema(
        parameters=[
            param("year", OpenApiTypes.INT, "Учебный год"),
            param("class", OpenApiTypes.INT, "Класс"),
            param("teacher", OpenApiTypes.INT, "Учитель"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SlotCreateSerializer, responses={201: SlotSerializer})
    def post(self, request: Request) -> Response:
        require_manager(request)
        data = SlotCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        slot = services.set_slot(actor=user_of(request), **data.validated_data)
        return Response(SlotSerializer(slot).data, status=status.HTTP_201_CREATED)


class SlotDetail(generics.RetrieveDestroyAPIView):
    serializer_class = SlotSerializer

    def get_queryset(self) -> QuerySet[TimetableSlot]:
        return _slots(user_of(self.request))

    def perform_destroy(self, instance: TimetableSlot) -> None:
        services.clear_slot(actor=user_of(self.request), slot=instance)


class GenerateSerializer(ScopedSerializer):
    year = serializers.PrimaryKeyRelatedField(queryset=AcademicYear.objects.none())
    class_group = serializers.PrimaryKeyRelatedField(
        queryset=ClassGroup.objects.none(), required=False, allow_null=True, default=None
    )
    since = serializers.DateField(required=False, allow_null=True, default=None)

    scopes = {"year": access_schools.visible_years, "class_group": access_schools.visible_classes}


class GenerationSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    removed = serializers.IntegerField()
    kept = serializers.IntegerField()


class Generate(generics.GenericAPIView):
    """Сформировать уроки: the dated lessons of the year (or one class, from a date) from the weekly grid."""

    serializer_class = GenerateSerializer

    @extend_schema(request=GenerateSerializer, responses={200: GenerationSerializer})
    def post(self, request: Request) -> Response:
        require_manager(request)
        data = GenerateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        result = services.generate_lessons(actor=user_of(request), **data.validated_data)
        return Response(
            {"created": result.created, "removed": result.removed, "kept": result.kept, "skipped": result.skipped}
        )


# --- dated lessons and their changes -------------------------------------------------------------------------


class LessonSerializer(serializers.ModelSerializer):
    class_name = serializers.CharField(source="class_group.name", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    subgroup_name = serializers.CharField(source="subgroup.name", read_only=True, default=None)
    teacher_name = serializers.CharField(source="teacher.short_name", read_only=True)
    substitute_name = serializers.CharField(source="substitute.short_name", read_only=True, default=None)

    class Meta:
        model = Lesson
        fields = [
            "id",
            "date",
            "number",
            "assignment",
            "class_group",
            "class_name",
            "subgroup",
            "subgroup_name",
            "subject",
            "subject_name",
            "teacher",
            "teacher_name",
            "substitute",
            "substitute_name",
            "status",
            "origin",
            "moved_from",
            "moved_from_number",
            "change_note",
            "room",
            "topic",
        ]
        read_only_fields = fields


def _lessons(user: User) -> QuerySet[Lesson]:
    return access.visible_lessons(user).select_related("class_group", "subgroup", "subject", "teacher", "substitute")


class LessonList(generics.ListAPIView):
    """Dated lessons the user may see: ?date= or ?from=&to=, ?class=, ?teacher= (given or substituted)."""

    serializer_class = LessonSerializer

    def get_queryset(self) -> QuerySet[Lesson]:
        request = self.request
        qs = _lessons(user_of(request)).order_by("date", "number", "class_group__grade", "class_group__letter", "pk")
        day, start, end = (date_param(request, name) for name in ("date", "from", "to"))
        if day:
            qs = qs.filter(date=day)
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        class_id, teacher_id = int_param(request, "class"), int_param(request, "teacher")
        if class_id is not None:
            qs = qs.filter(class_group_id=class_id)
        if teacher_id is not None:
            qs = qs.filter(Q(teacher_id=teacher_id) | Q(substitute_id=teacher_id))
        return qs

    @extend_schema(
        parameters=[
            param("date", OpenApiTypes.DATE, "Дата"),
            param("from", OpenApiTypes.DATE, "С даты"),
            param("to", OpenApiTypes.DATE, "По дату"),
            param("class", OpenApiTypes.INT, "Класс"),
            param("teacher", OpenApiTypes.INT, "Учитель (по расписанию или на замене)"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class LessonDetail(generics.RetrieveAPIView):
    serializer_class = LessonSerializer

    def get_queryset(self) -> QuerySet[Lesson]:
        return _lessons(user_of(self.request))


class ReplaceSerializer(ScopedSerializer):
    substitute = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), allow_null=True, help_text="null снимает замену"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    scopes = {"substitute": assignable}


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MoveSerializer(serializers.Serializer):
    date = serializers.DateField()
    number = serializers.IntegerField(min_value=0, max_value=12)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LessonAction(generics.GenericAPIView):
    """One change of a dated lesson; the answer is the lesson as it is now."""

    def get_queryset(self) -> QuerySet[Lesson]:
        return _lessons(user_of(self.request))

    def get_object(self) -> Lesson:
        lesson = super().get_object()
        require_manager(self.request)
        return lesson

    def done(self, lesson: Lesson) -> Response:
        return Response(LessonSerializer(self.get_queryset().get(pk=lesson.pk)).data)


class LessonReplace(LessonAction):
    """Замена: another teacher gives the lesson; one busy at that time is refused."""

    serializer_class = ReplaceSerializer

    @extend_schema(request=ReplaceSerializer, responses={200: LessonSerializer})
    def post(self, request: Request, pk: int) -> Response:
        lesson = self.get_object()
        data = ReplaceSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return self.done(services.replace_teacher(actor=user_of(request), lesson=lesson, **data.validated_data))


class LessonCancel(LessonAction):
    serializer_class = CancelSerializer

    @extend_schema(request=CancelSerializer, responses={200: LessonSerializer})
    def post(self, request: Request, pk: int) -> Response:
        lesson = self.get_object()
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.done(
            services.cancel_lesson(actor=user_of(request), lesson=lesson, note=data.validated_data["reason"])
        )


class LessonRestore(LessonAction):
    """A cancelled lesson takes place after all, unless its time is taken meanwhile."""

    @extend_schema(request=None, responses={200: LessonSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return self.done(services.restore_lesson(actor=user_of(request), lesson=self.get_object()))


class LessonMove(LessonAction):
    """Перенос to another day and lesson number; a holiday, a busy teacher or class is refused."""

    serializer_class = MoveSerializer

    @extend_schema(request=MoveSerializer, responses={200: LessonSerializer})
    def post(self, request: Request, pk: int) -> Response:
        lesson = self.get_object()
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return self.done(
            services.move_lesson(
                actor=user_of(request), lesson=lesson, day=v["date"], number=v["number"], note=v["note"]
            )
        )


class ExtraLessonSerializer(ScopedSerializer):
    assignment = serializers.PrimaryKeyRelatedField(queryset=TeachingAssignment.objects.none())
    date = serializers.DateField()
    number = serializers.IntegerField(min_value=0, max_value=12)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    scopes = {"assignment": access.visible_assignments}


class ExtraLessons(generics.GenericAPIView):
    """A lesson beyond the timetable (make-up, consultation)."""

    serializer_class = ExtraLessonSerializer

    @extend_schema(request=ExtraLessonSerializer, responses={201: LessonSerializer})
    def post(self, request: Request) -> Response:
        require_manager(request)
        data = ExtraLessonSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        v = data.validated_data
        lesson = services.add_extra_lesson(
            actor=user_of(request), assignment=v["assignment"], day=v["date"], number=v["number"], note=v["note"]
        )
        return Response(
            LessonSerializer(_lessons(user_of(request)).get(pk=lesson.pk)).data, status=status.HTTP_201_CREATED
        )
