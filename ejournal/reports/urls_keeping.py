"""Attendance, «Анализ работы с классным журналом ЭЖ» and program execution (views_keeping)."""

from django.urls import path

from . import views_keeping

urlpatterns = [
    path("attendance/", views_keeping.attendance, name="attendance"),
    path("journal-keeping/", views_keeping.journal_keeping, name="journal_keeping"),
    path("program-execution/", views_keeping.program_execution_page, name="program_execution"),
]
