from django.urls import path

from . import views

app_name = "diary"
urlpatterns = [
    path("", views.week, name="week"),
    path("<id:student_id>/", views.week, name="student_week"),
    path("marks/", views.marks, name="marks"),
    path("<id:student_id>/marks/", views.marks, name="student_marks"),
    path("homework/", views.homework, name="homework"),
    path("<id:student_id>/homework/", views.homework, name="student_homework"),
    path("<id:student_id>/homework/<id:homework_id>/", views.homework_detail, name="student_homework_item"),
    path("results/", views.results_page, name="results"),
    path("<id:student_id>/results/", views.results_page, name="student_results"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
