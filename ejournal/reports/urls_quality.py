"""Quality reports (views_quality): the index of every report, the school summary and its drill-down,
the teacher's report, the municipal summary and the archive of automated reports."""

from django.urls import path

from . import views_quality as views

urlpatterns = [
    path("", views.index, name="index"),
    path("school/", views.school_page, name="school"),
    path("teacher/", views.teacher_page, name="teacher"),
    path("classes/", views.class_list, name="classes"),
    path("classes/<id:class_id>/", views.class_page, name="class"),
    path("journals/<id:assignment_id>/", views.journal_page, name="journal"),
    path("students/<id:student_id>/", views.student_page, name="student"),
    path("region/", views.region_page, name="region"),
    path("archive/", views.archive, name="archive"),
    path("archive/<id:report_id>.<str:file_format>", views.archive_file, name="archive_file"),
]
