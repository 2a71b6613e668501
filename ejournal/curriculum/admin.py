"""Curriculum data in the Django admin, for support staff: to look, not to write.

The pages and the API check the school's rules on every write (a teacher, class or room in one place at a time,
holidays, periods, who may change what); the admin would write around them, so here everything is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Bell, CurriculumHours, Lesson, PlannedTopic, Subject, TeachingAssignment, TimetableSlot


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "short_name", "pass_fail", "school"]
    list_filter = ["school", "pass_fail"]
    search_fields = ["name", "short_name"]


@admin.register(CurriculumHours)
class CurriculumHoursAdmin(ReadOnlyAdmin):
    list_display = ["year", "grade", "subject", "hours_per_week", "school"]
    list_filter = ["school", "year", "grade"]
    list_select_related = ["year", "subject", "school"]


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["teacher", "class_group", "subgroup", "subject", "start", "end", "school"]
    list_filter = ["school", "class_group__year"]
    list_select_related = ["teacher", "class_group", "subgroup", "subject", "school"]
    search_fields = ["teacher__last_name", "subject__name"]


@admin.register(PlannedTopic)
class PlannedTopicAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "position", "title", "hours"]
    list_filter = ["school"]
    list_select_related = ["assignment__class_group", "assignment__subject", "assignment__subgroup"]
    search_fields = ["title"]


@admin.register(Bell)
class BellAdmin(ReadOnlyAdmin):
    list_display = ["number", "starts_at", "ends_at", "school"]
    list_filter = ["school"]


@admin.register(TimetableSlot)
class TimetableSlotAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "weekday", "number", "room", "year"]
    list_filter = ["school", "year", "weekday"]
    list_select_related = ["assignment__class_group", "assignment__subject", "assignment__subgroup", "year"]


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["date", "number", "class_group", "subject", "teacher", "substitute", "status", "origin"]
    list_filter = ["school", "status", "origin"]
    list_select_related = ["class_group", "subject", "teacher", "substitute"]
    date_hierarchy = "date"
    search_fields = ["topic", "change_note"]
