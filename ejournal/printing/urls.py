from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("", views.book, name="book"),
    path("stored/", views.stored, name="stored"),
]
