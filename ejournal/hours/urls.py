from django.urls import path

from . import views

app_name = "hours"

urlpatterns = [
    path("", views.index, name="index"),
    path("teachers/<id:teacher_id>/", views.teacher, name="teacher"),
    path("teachers/<id:teacher_id>/confirm/", views.confirm, name="confirm"),
]
