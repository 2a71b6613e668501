"""People in the Django admin, for the installation's operators (admin_site.py): to look, never to write.

Roles, parents and passwords change only through the product's pages and services, which check the rules and
keep every change in the person's history; a raw admin form would do neither. No secret is shown: no password
hash, no two-factor key (django-otp's device admin is taken out), no СНИЛС or birth date.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Guardianship, RoleGrant, User

# django-otp registers its TOTP devices, whose form shows the secret key and a QR code of it.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


USER_FIELDS = (
    "username",
    "last_name",
    "first_name",
    "middle_name",
    "school",
    "email",
    "phone",
    "is_active",
    "must_change_password",
    "last_login",
    "date_joined",
    "is_staff",
    "is_superuser",
)
LINK_FIELDS = ("parent", "child", "relation", "school")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    can_delete = False
    fields = ("role", "school", "granted_at")
    readonly_fields = ("role", "school", "granted_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "last_name", "first_name", "middle_name", "school", "is_active"]
    list_filter = ["school", "is_active", "role_grants__role"]
    search_fields = ["username", "last_name", "first_name"]
    inlines = [RoleGrantInline]
    # An explicit list: `password` (the hash) and the personal data never reach the page.
    fields = USER_FIELDS
    readonly_fields = USER_FIELDS


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "school", "granted_at"]
    list_filter = ["school", "role"]
    list_select_related = ["user", "school"]


@admin.register(Guardianship)
class GuardianshipAdmin(ReadOnlyAdmin):
    list_display = ["parent", "child", "relation", "school"]
    list_filter = ["school"]
    list_select_related = ["parent", "child", "school"]
    fields = LINK_FIELDS
    readonly_fields = LINK_FIELDS
