"""REST API of people, roles and credentials (a class's, or one person's); the same rules as the pages.

The administrator changes people, the director reads them, everyone else gets 404. Credentials of a class
are issued by its class teacher or the administrator; the one-time passwords come back once, in the
answer to the POST, and are never stored in clear.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from ejournal.access import people as access_people
from ejournal.accounts import credentials, people, services
from ejournal.accounts.models import Role, RoleGrant, User
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.requests import current_user as _user


class PersonRecordSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    roles = serializers.SerializerMethodField()
    has_password = serializers.SerializerMethodField(help_text="Выдан ли пароль.")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "last_name",
            "first_name",
            "middle_name",
            "full_name",
            "birth_date",
            "snils",
            "phone",
            "email",
            "roles",
            "is_active",
            "has_password",
            "must_change_password",
            "last_login",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or not access_people.sees_personal_data(_user(request)):
            for name in people.PERSONAL_FIELDS:
                self.fields.pop(name, None)

    def get_roles(self, obj: User) -> list[str]:
        return sorted(g.role for g in obj.role_grants.all())

    def get_has_password(self, obj: User) -> bool:
        return obj.has_usable_password()


class PersonWriteSerializer(serializers.Serializer):
    last_name = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150)
    middle_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    snils = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)


class PersonCreateSerializer(PersonWriteSerializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), min_length=1)
    password = serializers.CharField(
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="Текущий пароль создающего: обязателен, если среди ролей есть администратор или директор.",
    )


class RoleGrantSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    password = serializers.CharField(
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="Текущий пароль выдающего: обязателен для ролей администратора и директора.",
    )


class CredentialRosterSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    full_name = serializers.CharField(source="person.full_name")
    username = serializers.CharField(source="person.username")
    is_student = serializers.BooleanField()
    role = serializers.CharField()
    status = serializers.CharField()
    issuable = serializers.BooleanField(help_text="false: пароль этому человеку выдаёт только администратор")


class CredentialIssueSerializer(serializers.Serializer):
    people = serializers.ListField(child=serializers.IntegerField(), required=False)
    all = serializers.BooleanField(default=False, help_text="Всем ученикам класса и их родителям.")


class IssuedCredentialSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    full_name = serializers.CharField(source="name")
    role = serializers.CharField()
    username = serializers.CharField(source="login")
    password = serializers.CharField(help_text="Одноразовый пароль: показывается один раз.")


def _with_roles(people_qs: QuerySet[User], user: User) -> QuerySet[User]:
    """The people with their roles in one more query, read in the user's school (the shard of the list)."""
    return people_qs.prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.filter(school_id=user.school_id))
    )


class PeopleView(generics.GenericAPIView):
    """The director reads; the administrator writes; to anyone else the resource does not exist."""

    serializer_class = PersonRecordSerializer

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication first: anonymous gets 403
        user = _user(request)
        access_people.require_reads_people(user)
        if request.method not in SAFE_METHODS:
            access_people.require_manages_people(user)

    def get_queryset(self) -> Any:
        return _with_roles(access_people.visible_people(_user(self.request)), _user(self.request))

    def person(self) -> User:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def answer(self, person: User, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(fresh).data, status=code)


class PersonList(PeopleView, generics.ListAPIView):
    def get_queryset(self) -> Any:
        params = self.request.query_params
        role = params.get("role", "")
        if role and role not in Role.values:
            raise ValidationFailed("Неизвестная роль.", field="role")
        status_ = params.get("status", "active")
        if status_ not in ("active", "inactive", "all"):
            raise ValidationFailed("Параметр status: active, inactive или all.", field="status")
        filters = people.PeopleFilter(
            q=params.get("q", "").strip()[:100],
            role=role,
            class_id=inputs.parse_id(params.get("class"), "class"),
            status=status_,
        )
        user = _user(self.request)
        return _with_roles(people.filter_people(user=user, filters=filters), user)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Фамилия, имя, отчество или логин"),
            OpenApiParameter("role", OpenApiTypes.STR, enum=Role.values),
            OpenApiParameter("class", OpenApiTypes.INT, description="Ученики класса, их родители, классные рук."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["active", "inactive", "all"]),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonRecordSerializer})
    def post(self, request: Request) -> Response:
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user(request)
        values = dict(data.validated_data)
        password = values.pop("password", None)
        person = people.add_person(
            actor=user,
            school=user.school,  # type: ignore[arg-type]
            granter_password=password,
            request=request,
            **values,
        )
        return self.answer(person, status.HTTP_201_CREATED)


class PersonDetail(PeopleView, generics.RetrieveAPIView):
    @extend_schema(request=PersonWriteSerializer, responses={200: PersonRecordSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        person = self.person()
        data = PersonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        people.update_person(actor=_user(request), person=person, request=request, **data.validated_data)
        return self.answer(person)


class PersonDeactivate(PeopleView):
    active = False

    @extend_schema(request=None, responses={200: PersonRecordSerializer})
    def post(self, request: Request, pk: int) -> Response:
        person = self.person()
        people.set_active(actor=_user(request), person=person, active=self.active, request=request)
        return self.answer(person)


class PersonActivate(PersonDeactivate):
    active = True


class PersonRoles(PeopleView):
    @extend_schema(request=RoleGrantSerializer, responses={200: PersonRecordSerializer})
    def post(self, request: Request, pk: int) -> Response:
        person = self.person()
        data = RoleGrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.grant_role(
            actor=_user(request), user=person, role=v["role"], request=request, password=v.get("password")
        )
        return self.answer(person)


class PersonRole(PeopleView):
    @extend_schema(request=None, responses={200: PersonRecordSerializer})
    def delete(self, request: Request, pk: int, role: str) -> Response:
        person = self.person()
        if not RoleGrant.objects.filter(school_id=person.school_id, user=person, role=role).exists():
            raise ValidationFailed("У пользователя нет этой роли.", field="role")
        services.revoke_role(actor=_user(request), user=person, role=role, request=request)
        return self.answer(person)


class PersonPassword(PeopleView):
    """A new one-time password for one person (staff included), as «Выдать одноразовый пароль» on the card:
    the administrator, for anyone of the school but themselves; the person's sessions end."""

    @extend_schema(request=None, responses={201: IssuedCredentialSerializer})
    def post(self, request: Request, pk: int) -> Response:
        person = self.person()
        issued = credentials.issue_person_credentials(actor=_user(request), person=person, request=request)
        response = Response(IssuedCredentialSerializer(issued).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class ClassCredentials(generics.GenericAPIView):
    """The class's students and their parents with the state of their credentials; POST issues passwords."""

    serializer_class = CredentialRosterSerializer
    pagination_class = None

    def group(self) -> Any:
        return credentials.require_class(_user(self.request), self.kwargs["class_id"])

    @extend_schema(responses={200: CredentialRosterSerializer(many=True)})
    def get(self, request: Request, class_id: int) -> Response:
        rows = credentials.credential_roster(user=_user(request), class_group=self.group())
        return Response(CredentialRosterSerializer(rows, many=True).data)

    @extend_schema(request=CredentialIssueSerializer, responses={201: IssuedCredentialSerializer(many=True)})
    def post(self, request: Request, class_id: int) -> Response:
        group = self.group()
        data = CredentialIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if not v["all"] and "people" not in v:
            raise ValidationFailed("Укажите people (список id) или all: true.", field="people")
        issued = credentials.issue_credentials(
            actor=_user(request), class_group=group, person_ids=None if v["all"] else v["people"], request=request
        )
        response = Response(IssuedCredentialSerializer(issued, many=True).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("people/", PersonList.as_view(), name="api-people"),
    path("people/<id:pk>/", PersonDetail.as_view(), name="api-person"),
    path("people/<id:pk>/deactivate/", PersonDeactivate.as_view(), name="api-person-deactivate"),
    path("people/<id:pk>/activate/", PersonActivate.as_view(), name="api-person-activate"),
    path("people/<id:pk>/roles/", PersonRoles.as_view(), name="api-person-roles"),
    path("people/<id:pk>/roles/<str:role>/", PersonRole.as_view(), name="api-person-role"),
    path("people/<id:pk>/password/", PersonPassword.as_view(), name="api-person-password"),
    path("people/credentials/<id:class_id>/", ClassCredentials.as_view(), name="api-class-credentials"),
]
