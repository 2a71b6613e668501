from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Guardianship, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    fields = ["role", "school"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "middle_name", "school", "is_active"]
    list_filter = ["school", "is_active", "role_grants__role"]
    search_fields = ["username", "last_name", "first_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Школа", {"fields": ("school", "middle_name", "birth_date", "snils", "phone", "must_change_password")}),
    )


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ["parent", "child", "relation", "school"]
    list_filter = ["school"]
    raw_id_fields = ["parent", "child"]
