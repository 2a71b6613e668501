from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.register_page, name="register"),
    path("delete/", views.delete, name="delete"),
]
