from django.urls import path

from . import views

app_name = "diary"
urlpatterns = [
    path("", views.own_week, name="week"),
    path("<int:student_id>/", views.student_week, name="student_week"),
]
