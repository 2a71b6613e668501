from django.urls import path

from .views import assignments, changes, plans, subjects, timetable

app_name = "curriculum"
urlpatterns = [
    path("subjects/", subjects.subjects, name="subjects"),
    path("subjects/new/", subjects.subject_create, name="subject_create"),
    path("subjects/<id:pk>/", subjects.subject_update, name="subject_update"),
    path("subjects/<id:pk>/delete/", subjects.subject_delete, name="subject_delete"),
    path("subjects/hours/", subjects.curriculum_save, name="curriculum_save"),
    path("assignments/", assignments.assignments, name="assignments"),
    path("assignments/new/", assignments.assignment_create, name="assignment_create"),
    path("assignments/<id:pk>/end/", assignments.assignment_end, name="assignment_end"),
    path("timetable/", timetable.timetable, name="timetable"),
    path("timetable/cell/", timetable.timetable_cell, name="timetable_cell"),
    path("timetable/bells/", timetable.bells, name="bells"),
    path("timetable/generate/", timetable.generate, name="generate"),
    path("timetable/teacher/", timetable.teacher_week, name="teacher_week"),
    path("changes/", changes.changes, name="changes"),
    path("changes/extra/", changes.extra_lesson, name="extra_lesson"),
    path("changes/lesson/<id:pk>/", changes.lesson_change, name="lesson_change"),
    path("plans/", plans.plans, name="plans"),
    path("plans/template.csv", plans.plan_template, name="plan_template"),
    path("plans/<id:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<id:pk>/ktp.csv", plans.plan_export, name="plan_export"),
]
