"""REST API of the school structure: years with periods and holidays, classes, enrolment, subgroups.

Reads and writes follow the pages: the administrator and deputy change, the director reads, everyone
else gets 404. Querysets come from access/; writes call the same services as the pages, so a broken rule
answers {"code", "message", "fields"} (api/v1/errors.py) with the service's status and saves nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from ejournal.access import curriculum as access_curriculum
from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user as _user
from ejournal.core.time import ru_date, school_today
from ejournal.curriculum.models import Subject
from ejournal.schools import selectors, services
from ejournal.schools.calendar_defaults import recommended_year
from ejournal.schools.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Holiday,
    Period,
    PeriodScheme,
    Subgroup,
    SubgroupMember,
)
from ejournal.schools.setup import create_year_from_spec


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class PeriodSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = ["id", "number", "name", "start", "end"]


class PeriodSchemeSerializer(serializers.ModelSerializer):
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = PeriodScheme
        fields = ["id", "kind", "grade_from", "grade_to", "periods"]


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["id", "name", "kind", "start", "end", "grade_from", "grade_to"]


class YearSerializer(serializers.ModelSerializer):
    class Meta:
        model = AcademicYear
        fields = ["id", "name", "start", "end"]


class YearDetailSerializer(YearSerializer):
    schemes = PeriodSchemeSerializer(many=True, read_only=True)
    holidays = HolidaySerializer(many=True, read_only=True)

    class Meta(YearSerializer.Meta):
        fields = [*YearSerializer.Meta.fields, "schemes", "holidays"]


class YearCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    start = serializers.DateField()
    end = serializers.DateField()
    fill_recommended = serializers.BooleanField(
        default=False, help_text="Заполнить периоды, каникулы и праздники по рекомендованному календарю."
    )


class YearUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=20, required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class ScopedSerializer(serializers.Serializer):
    """Related ids are looked up only among what the user sees: another school's id is "not found"."""

    def scope_user(self) -> User | None:
        request = self.context.get("request")
        return request.user if request is not None else None

    def set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
        target.queryset = queryset  # type: ignore[attr-defined]


class ClassSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    class_teachers = PersonSerializer(many=True, read_only=True)
    students_now = serializers.IntegerField(read_only=True, help_text="Учеников в классе сегодня.")

    class Meta:
        model = ClassGroup
        fields = ["id", "year", "grade", "letter", "name", "class_teachers", "students_now"]


class SubgroupSerializer(serializers.ModelSerializer):
    students = serializers.SerializerMethodField()

    class Meta:
        model = Subgroup
        fields = ["id", "class_group", "subject", "name", "students"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_students(self, obj: Subgroup) -> list[int]:
        return sorted(m.student_id for m in obj.members.all())


class ClassDetailSerializer(ClassSerializer):
    subgroups = SubgroupSerializer(many=True, read_only=True)

    class Meta(ClassSerializer.Meta):
        fields = [*ClassSerializer.Meta.fields, "subgroups"]


class ClassCreateSerializer(ScopedSerializer):
    year = serializers.PrimaryKeyRelatedField(queryset=AcademicYear.objects.none())
    grade = serializers.IntegerField(min_value=1, max_value=11)
    letter = serializers.CharField(max_length=4)
    class_teachers = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.scope_user()
        if user is not None:
            self.set_queryset("year", access_schools.visible_years(user))
            self.set_queryset("class_teachers", access_schools.visible_teachers(user))


class EnrolmentSerializer(serializers.ModelSerializer):
    student = PersonSerializer(read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "student", "class_group", "start", "end", "reason_out"]


class EnrolSerializer(ScopedSerializer):
    student = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.scope_user()
        if user is not None:
            self.set_queryset("student", access_schools.visible_students(user))


class TransferSerializer(ScopedSerializer):
    to_class = serializers.PrimaryKeyRelatedField(queryset=ClassGroup.objects.none())
    first_day = serializers.DateField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.scope_user()
        if user is not None:
            self.set_queryset("to_class", access_schools.visible_classes(user))


class SubgroupCreateSerializer(ScopedSerializer):
    class_group = serializers.PrimaryKeyRelatedField(queryset=ClassGroup.objects.none())
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.none())
    name = serializers.CharField(max_length=50)
    students = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.scope_user()
        if user is not None:
            self.set_queryset("class_group", access_schools.visible_classes(user))
            self.set_queryset("subject", access_curriculum.visible_subjects(user))
            self.set_queryset("students", access_schools.visible_students(user))


class StructureView(generics.GenericAPIView):
    """Management reads; the administrator and deputy write; to anyone else the resource does not exist."""

    def writer_allowed(self, user: User) -> bool:
        return roles.manages_structure(user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication first: anonymous gets 403
        user = _user(request)
        roles.require(access_schools.reads_structure(user))
        if request.method not in SAFE_METHODS:
            roles.require(self.writer_allowed(user))


def _today(user: User) -> Any:
    return school_today(user.school.timezone)  # type: ignore[union-attr]


def _subgroups_with_members(user: User) -> QuerySet[Subgroup]:
    members = SubgroupMember.objects.filter(school_id=user.school_id)
    return (
        access_schools.visible_subgroups(user)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("class_group", "subject", "name")
    )


class YearList(StructureView, generics.ListAPIView):
    serializer_class = YearSerializer

    def get_queryset(self) -> QuerySet[AcademicYear]:
        return access_schools.visible_years(_user(self.request)).order_by("-start")

    @extend_schema(request=YearCreateSerializer, responses={201: YearSerializer})
    def post(self, request: Request) -> Response:
        data = YearCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = _user(request)
        school = user.school
        assert school is not None  # reads_structure: the user is in a school
        if v["fill_recommended"]:
            spec = dataclasses.replace(
                recommended_year(v["start"].year), name=v["name"], start=v["start"], end=v["end"]
            )
            year = create_year_from_spec(actor=user, school=school, spec=spec)
        else:
            year = services.create_year(actor=user, school=school, name=v["name"], start=v["start"], end=v["end"])
        return Response(YearSerializer(year).data, status=status.HTTP_201_CREATED)


class YearDetail(StructureView, generics.RetrieveAPIView):
    serializer_class = YearDetailSerializer

    def get_queryset(self) -> QuerySet[AcademicYear]:
        school_id = _user(self.request).school_id
        return access_schools.visible_years(_user(self.request)).prefetch_related(
            Prefetch(
                "schemes",
                queryset=PeriodScheme.objects.filter(school_id=school_id)
                .order_by("grade_from")
                .prefetch_related(
                    Prefetch("periods", queryset=Period.objects.filter(school_id=school_id).order_by("number"))
                ),
            ),
            Prefetch("holidays", queryset=Holiday.objects.filter(school_id=school_id).order_by("start", "grade_from")),
        )

    @extend_schema(request=YearUpdateSerializer, responses={200: YearDetailSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        year = self.get_object()
        data = YearUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.update_year(
            actor=_user(request),
            year=year,
            name=v.get("name", year.name),
            start=v.get("start", year.start),
            end=v.get("end", year.end),
        )
        return Response(YearDetailSerializer(self.get_object()).data)


class YearHolidays(StructureView, generics.ListAPIView):
    serializer_class = HolidaySerializer

    def year(self) -> AcademicYear:
        return get_object_or_404(access_schools.visible_years(_user(self.request)), pk=self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[Holiday]:
        return access_schools.visible_holidays(_user(self.request)).filter(year=self.year()).order_by("start")

    @extend_schema(request=HolidaySerializer, responses={201: HolidaySerializer})
    def post(self, request: Request, pk: int) -> Response:
        year = self.year()
        data = HolidaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = services.add_holiday(actor=_user(request), year=year, **data.validated_data)
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)


class ClassList(StructureView, generics.ListAPIView):
    serializer_class = ClassSerializer

    def get_queryset(self) -> QuerySet[ClassGroup]:
        user = _user(self.request)
        classes = access_schools.visible_classes(user)
        year = self.request.query_params.get("year")
        if year:
            classes = classes.filter(year_id=inputs.parse_id(year, "year"))
        return selectors.with_roster_size(classes, on=_today(user))

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Только классы этого учебного года")]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ClassCreateSerializer, responses={201: ClassSerializer})
    def post(self, request: Request) -> Response:
        data = ClassCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        v = data.validated_data
        group = services.create_class(
            actor=_user(request),
            year=v["year"],
            grade=v["grade"],
            letter=v["letter"],
            class_teachers=v.get("class_teachers", []),
        )
        return Response(ClassSerializer(self.get_queryset().get(pk=group.pk)).data, status=status.HTTP_201_CREATED)


class ClassDetail(StructureView, generics.RetrieveAPIView):
    serializer_class = ClassDetailSerializer

    def get_queryset(self) -> QuerySet[ClassGroup]:
        user = _user(self.request)
        return selectors.with_roster_size(access_schools.visible_classes(user), on=_today(user)).prefetch_related(
            Prefetch("subgroups", queryset=_subgroups_with_members(user))
        )


class ClassEnrolments(StructureView, generics.ListAPIView):
    serializer_class = EnrolmentSerializer

    def writer_allowed(self, user: User) -> bool:
        return roles.manages_people(user)

    def class_group(self) -> ClassGroup:
        user = _user(self.request)
        return get_object_or_404(access_schools.visible_classes(user).select_related("year"), pk=self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[Enrolment]:
        return (
            access_schools.visible_enrolments(_user(self.request))
            .filter(class_group=self.class_group())
            .select_related("student")
            .order_by("student__last_name", "student__first_name", "start")
        )

    @extend_schema(request=EnrolSerializer, responses={201: EnrolmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        group = self.class_group()
        data = EnrolSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        v = data.validated_data
        enrolment = services.enrol(
            actor=_user(request), student=v["student"], class_group=group, start=v["start"], end=v["end"]
        )
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentTransfer(StructureView):
    serializer_class = TransferSerializer

    def writer_allowed(self, user: User) -> bool:
        return roles.manages_people(user)

    @extend_schema(request=TransferSerializer, responses={201: EnrolmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Move the student of this enrolment to another class from `first_day`; returns the new enrolment."""
        user = _user(request)
        enrolment = get_object_or_404(
            access_schools.visible_enrolments(user).select_related("student", "class_group"), pk=pk
        )
        data = TransferSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        first_day = data.validated_data["first_day"]
        # The service moves whatever enrolment holds on that day; this one must be it.
        if not enrolment.active_on(first_day):
            raise ValidationFailed(
                f"Зачисление {enrolment.student.full_name} в {enrolment.class_group.name} "
                f"({ru_date(enrolment.start)}–{ru_date(enrolment.end) if enrolment.end else '…'}) "
                f"на {ru_date(first_day)} не действует.",
                field="first_day",
            )
        new = services.transfer(
            actor=user, student=enrolment.student, to_class=data.validated_data["to_class"], first_day=first_day
        )
        return Response(EnrolmentSerializer(new).data, status=status.HTTP_201_CREATED)


class SubgroupList(StructureView, generics.ListAPIView):
    serializer_class = SubgroupSerializer

    def get_queryset(self) -> QuerySet[Subgroup]:
        subgroups = _subgroups_with_members(_user(self.request))
        class_group = self.request.query_params.get("class_group")
        if class_group:
            subgroups = subgroups.filter(class_group_id=inputs.parse_id(class_group, "class_group"))
        return subgroups

    @extend_schema(
        parameters=[OpenApiParameter("class_group", OpenApiTypes.INT, description="Только подгруппы этого класса")]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SubgroupCreateSerializer, responses={201: SubgroupSerializer})
    def post(self, request: Request) -> Response:
        data = SubgroupCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        v = data.validated_data
        subgroup = services.create_subgroup(
            actor=_user(request),
            class_group=v["class_group"],
            subject=v["subject"],
            name=v["name"],
            students=v.get("students", []),
        )
        return Response(
            SubgroupSerializer(self.get_queryset().get(pk=subgroup.pk)).data, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("years/", YearList.as_view(), name="api-years"),
    path("years/<id:pk>/", YearDetail.as_view(), name="api-year"),
    path("years/<id:pk>/holidays/", YearHolidays.as_view(), name="api-year-holidays"),
    path("classes/", ClassList.as_view(), name="api-classes"),
    path("classes/<id:pk>/", ClassDetail.as_view(), name="api-class"),
    path("classes/<id:pk>/enrolments/", ClassEnrolments.as_view(), name="api-class-enrolments"),
    path("enrolments/<id:pk>/transfer/", EnrolmentTransfer.as_view(), name="api-enrolment-transfer"),
    path("subgroups/", SubgroupList.as_view(), name="api-subgroups"),
]
