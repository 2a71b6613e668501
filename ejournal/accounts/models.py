"""People: one User per person, several roles per person, parents linked to children."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from ejournal.core.models import AppendOnly, SchoolScoped, update_in_school


class Role(models.TextChoices):
    ADMIN = "admin", "ответственный администратор ЭЖ"
    DIRECTOR = "director", "директор"
    DEPUTY = "deputy", "заместитель директора по УВР"
    TEACHER = "teacher", "учитель"
    STUDENT = "student", "ученик"
    PARENT = "parent", "родитель"


STAFF_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER})
MANAGEMENT_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY})


class User(AbstractUser):
    """A person of one school. `first_name`/`last_name` from Django; Russian names add the patronymic."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="школа",
    )
    middle_name = models.CharField("отчество", max_length=150, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    snils = models.CharField("СНИЛС", max_length=14, blank=True)
    phone = models.CharField("телефон", max_length=20, blank=True)
    must_change_password = models.BooleanField("сменить пароль при входе", default=False)

    objects = UserManager()

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [models.Index(fields=["school", "last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """«Иванова А. П.» as journals print a teacher."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or self.school_id is None:
            return frozenset()
        return frozenset(self.role_grants.filter(school_id=self.school_id).values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def _do_update(self, base_qs: Any, *args: Any, **kwargs: Any) -> Any:
        # A person's row is saved with their school in the WHERE, as school data is (region staff: IS NULL).
        return update_in_school(self, super()._do_update, base_qs, *args, **kwargs)


class RoleGrant(SchoolScoped):
    """A role held by a person in their school; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("роль", max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "роль"
        verbose_name_plural = "роли"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class Guardianship(SchoolScoped):
    """A parent (законный представитель) of a child; a child may have several, a parent several children."""

    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="children_links")
    child = models.ForeignKey(User, on_delete=models.CASCADE, related_name="parent_links")
    relation = models.CharField("кем приходится", max_length=30, blank=True)

    class Meta:
        verbose_name = "родитель — ребёнок"
        verbose_name_plural = "родители — дети"
        constraints = [models.UniqueConstraint(fields=["parent", "child"], name="guardianship_unique")]


class PersonChange(AppendOnly, SchoolScoped):
    """One change to a person (append-only: the model refuses update and delete, and on PostgreSQL a trigger
    too, migration 0006): who, when, which field, old and new value.

    `field` is a User field name or one of the relations below. The СНИЛС is never copied here: its row
    says only that it changed (both values empty).
    """

    ROLES = "roles"
    ACTIVE = "is_active"
    PASSWORD = "password"
    GUARDIANSHIP = "guardianship"
    CLASS_TEACHER = "class_teacher"

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField("что изменено", max_length=32)
    old_value = models.TextField("было", blank=True)
    new_value = models.TextField("стало", blank=True)

    class Meta:
        verbose_name = "изменение пользователя"
        verbose_name_plural = "история изменений пользователей"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["school", "person", "at"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.field}"


class UserSession(models.Model):
    """A signed-in session of a person, for «Мои сеансы»; the session data itself stays in the session store
    (database or cache), so ending a session deletes it there by its key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField()
    last_active_at = models.DateTimeField()

    class Meta:
        verbose_name = "сеанс"
        verbose_name_plural = "сеансы"
        indexes = [models.Index(fields=["user", "last_active_at"])]

    def __str__(self) -> str:
        return f"сеанс {self.pk} с {self.started_at:%d.%m.%Y %H:%M}"


class LoginFailure(models.Model):
    """A failed sign-in (scope «login») or a password reset request (scope «reset») for the lockout.

    `key` is a hash of the login and the IP address: no login or address is kept in clear."""

    scope = models.CharField(max_length=16)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%d.%m.%Y %H:%M}"


class ExternalIdentity(SchoolScoped):
    """A person's account at an OpenID Connect provider (ESIA: the person's oid), linked once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField("поставщик", max_length=32)
    subject = models.CharField("идентификатор у поставщика", max_length=255)
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = "внешняя учётная запись"
        verbose_name_plural = "внешние учётные записи"
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique"),
            models.UniqueConstraint(fields=["user", "provider"], name="external_identity_one_per_provider"),
        ]


class LinkCode(SchoolScoped):
    """A one-time code the school gives a person to link their ESIA account; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="link_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "код привязки Госуслуг"
        verbose_name_plural = "коды привязки Госуслуг"
