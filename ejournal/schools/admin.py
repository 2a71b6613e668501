"""The school structure in Django admin, for the operator.

Everything is shown read-only, the school's settings included: their rules (no overlapping periods, one
class at a time, lessons on new holidays…) and the security log of settings changes live in the services,
which the Russian pages and the API call; a raw admin form would bypass them. New schools come from
`manage.py createschool`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Holiday,
    Period,
    PeriodScheme,
    School,
    Subgroup,
    SubgroupMember,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, searched and filtered, never changed here: the services keep the rules."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ["short_name", "name", "municipality", "timezone", "is_active"]
    list_filter = ["is_active", "municipality"]
    search_fields = ["name", "short_name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PeriodInline(ReadOnlyInline):
    model = Period
    fields = ["number", "start", "end"]


class HolidayInline(ReadOnlyInline):
    model = Holiday
    fields = ["name", "kind", "start", "end", "grade_from", "grade_to"]


@admin.register(AcademicYear)
class AcademicYearAdmin(ReadOnlyAdmin):
    list_display = ["name", "school", "start", "end"]
    list_filter = ["school"]
    search_fields = ["name"]
    inlines = [HolidayInline]


@admin.register(PeriodScheme)
class PeriodSchemeAdmin(ReadOnlyAdmin):
    list_display = ["year", "kind", "grade_from", "grade_to", "school"]
    list_filter = ["school", "kind", "year"]
    list_select_related = ["year", "school"]
    inlines = [PeriodInline]


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "scheme", "start", "end", "school"]
    list_filter = ["school", "scheme__kind", "scheme__year"]
    list_select_related = ["scheme__year", "school"]


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "start", "end", "grade_from", "grade_to", "year", "school"]
    list_filter = ["school", "kind", "year"]
    list_select_related = ["year", "school"]
    search_fields = ["name"]


class EnrolmentInline(ReadOnlyInline):
    model = Enrolment
    fields = ["student", "start", "end", "reason_out"]


class SubgroupInline(ReadOnlyInline):
    model = Subgroup
    fields = ["subject", "name"]


@admin.register(ClassGroup)
class ClassGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "grade", "letter", "works_on_saturday", "school"]
    list_filter = ["school", "year", "grade"]
    list_select_related = ["year", "school"]
    search_fields = ["letter"]
    inlines = [EnrolmentInline, SubgroupInline]


class SubgroupMemberInline(ReadOnlyInline):
    model = SubgroupMember
    fields = ["student"]


@admin.register(Subgroup)
class SubgroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "class_group", "subject", "school"]
    list_filter = ["school", "subject"]
    list_select_related = ["class_group", "subject", "school"]
    search_fields = ["name"]
    inlines = [SubgroupMemberInline]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["student", "class_group", "start", "end", "reason_out", "school"]
    list_filter = ["school", "class_group__year", "class_group__grade"]
    list_select_related = ["student", "class_group", "school"]
    search_fields = ["student__last_name", "student__first_name"]
    date_hierarchy = "start"
