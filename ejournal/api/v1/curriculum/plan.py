"""REST API of the curriculum: subjects, the учебный план, assignments (нагрузка) and the КТП."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ejournal.access import curriculum as access
from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.curriculum import plans, services
from ejournal.curriculum.models import CurriculumHours, PlannedTopic, Subject, TeachingAssignment
from ejournal.schools.models import AcademicYear, ClassGroup, Subgroup

from .common import ScopedSerializer, int_param, param, require_manager, user_of

# --- subjects and the учебный план ------------------------------------------------------------------------


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = ["id", "name", "short_name", "pass_fail"]
        extra_kwargs = {"short_name": {"required": False, "allow_blank": True}}


class SubjectList(generics.ListAPIView):
    """The school's subjects; the administrator and deputy add them."""

    serializer_class = SubjectSerializer

    def get_queryset(self) -> QuerySet[Subject]:
        return access.visible_subjects(user_of(self.request)).order_by("name")

    @extend_schema(request=SubjectSerializer, responses={201: SubjectSerializer})
    def post(self, request: Request) -> Response:
        require_manager(request)
        data = SubjectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subject = services.create_subject(actor=user_of(request), **data.validated_data)
        return Response(SubjectSerializer(subject).data, status=status.HTTP_201_CREATED)


class CurriculumHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = CurriculumHours
        fields = ["id", "year", "grade", "subject", "hours_per_week"]


class CurriculumCellSerializer(ScopedSerializer):
    year = serializers.PrimaryKeyRelatedField(queryset=AcademicYear.objects.none())
    grade = serializers.IntegerField(min_value=1, max_value=11)
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.none())
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=12)

    scopes = {"year": access_schools.visible_years, "subject": access.visible_subjects}


class CurriculumHoursView(generics.ListAPIView):
    """Учебный план of a year (?year=, the current one by default); PUT sets one cell, 0 removes it."""

    serializer_class = CurriculumHoursSerializer

    def get_queryset(self) -> QuerySet[CurriculumHours]:
        user = user_of(self.request)
        roles.require(roles.reads_whole_school(user))
        lines = CurriculumHours.objects.filter(school_id=user.school_id).order_by("grade", "subject__name")
        year = int_param(self.request, "year")
        return lines.filter(year_id=year) if year else lines

    @extend_schema(parameters=[param("year", OpenApiTypes.INT, "Учебный год")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CurriculumCellSerializer, responses={200: CurriculumHoursSerializer, 204: None})
    def put(self, request: Request) -> Response:
        require_manager(request)
        data = CurriculumCellSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        line = services.set_curriculum_hours(actor=user_of(request), **data.validated_data)
        if line is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(CurriculumHoursSerializer(line).data)


# --- assignments ----------------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    teacher_name = serializers.CharField(source="teacher.short_name", read_only=True)
    class_name = serializers.CharField(source="class_group.name", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    subgroup_name = serializers.CharField(source="subgroup.name", read_only=True, default=None)

    class Meta:
        model = TeachingAssignment
        fields = [
            "id",
            "teacher",
            "teacher_name",
            "class_group",
            "class_name",
            "subgroup",
            "subgroup_name",
            "subject",
            "subject_name",
            "start",
            "end",
        ]


def assignable(user: User) -> QuerySet[User]:
    return access.assignable_teachers(user)


def _visible_subgroups(user: User) -> QuerySet[Subgroup]:
    return access_schools.visible_subgroups(user)


class AssignmentCreateSerializer(ScopedSerializer):
    teacher = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    class_group = serializers.PrimaryKeyRelatedField(queryset=ClassGroup.objects.none())
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.none())
    subgroup = serializers.PrimaryKeyRelatedField(
        queryset=Subgroup.objects.none(), required=False, allow_null=True, default=None
    )
    start = serializers.DateField(required=False, allow_null=True, default=None)

    scopes = {
        "teacher": assignable,
        "class_group": access_schools.visible_classes,
        "subject": access.visible_subjects,
        "subgroup": _visible_subgroups,
    }


def _assignments(user: User) -> QuerySet[TeachingAssignment]:
    return access.visible_assignments(user).select_related("teacher", "class_group", "subgroup", "subject")


class AssignmentList(generics.ListAPIView):
    """Нагрузка the user may see: the school's for management, own and own classes' for a teacher."""

    serializer_class = AssignmentSerializer

    def get_queryset(self) -> QuerySet[TeachingAssignment]:
        qs = _assignments(user_of(self.request)).order_by("class_group__grade", "class_group__letter", "subject__name")
        for name, lookup in (("year", "class_group__year_id"), ("teacher", "teacher_id"), ("class", "class_group_id")):
            value = int_param(self.request, name)
            if value is not None:
                qs = qs.filter(**{lookup: value})
        return qs

    @extend_schema(
        parameters=[
            param("year", OpenApiTypes.INT, "Учебный год"),
            param("teacher", OpenApiTypes.INT, "Учитель"),
            param("class", OpenApiTypes.INT, "Класс"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def post(self, request: Request) -> Response:
        require_manager(request)
        data = AssignmentCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        assignment = services.create_assignment(actor=user_of(request), **data.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentDetail(generics.RetrieveAPIView):
    serializer_class = AssignmentSerializer

    def get_queryset(self) -> QuerySet[TeachingAssignment]:
        return _assignments(user_of(self.request))


class EndSerializer(serializers.Serializer):
    last_day = serializers.DateField()


class AssignmentEnd(generics.GenericAPIView):
    """The teacher stops teaching after `last_day`; their empty lessons after it go away."""

    serializer_class = EndSerializer

    def get_queryset(self) -> QuerySet[TeachingAssignment]:
        return _assignments(user_of(self.request))

    @extend_schema(request=EndSerializer, responses={200: AssignmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        assignment = self.get_object()
        require_manager(request)
        data = EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.end_assignment(actor=user_of(request), assignment=assignment, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data)


# --- КТП -----------------------------------------------------------------------------------------------------


class PlannedTopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedTopic
        fields = ["id", "position", "title", "hours"]


class PlanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="XLSX или CSV со столбцами «№», «Тема», «Часы».")


class PlannedTopics(generics.ListAPIView):
    """The КТП of an assignment; a POST of a file replaces it (a file with a broken row changes nothing and
    answers 422 with `errors`, one line per row)."""

    serializer_class = PlannedTopicSerializer
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None

    def assignment(self) -> TeachingAssignment:
        return get_object_or_404(access.visible_plans(user_of(self.request)), pk=self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[PlannedTopic]:
        assignment = self.assignment()
        return PlannedTopic.objects.filter(school_id=assignment.school_id, assignment=assignment).order_by("position")

    @extend_schema(
        request={"multipart/form-data": PlanUploadSerializer}, responses={201: PlannedTopicSerializer(many=True)}
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = self.assignment()
        data = PlanUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > plans.MAX_FILE_BYTES:
            raise ValidationFailed(f"Файл больше {plans.MAX_FILE_BYTES // 1024 // 1024} МБ.", field="file")
        topics = plans.import_plan(
            actor=user_of(request), assignment=assignment, filename=upload.name or "", data=upload.read()
        )
        return Response(PlannedTopicSerializer(topics, many=True).data, status=status.HTTP_201_CREATED)
