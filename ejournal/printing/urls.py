from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("", views.book, name="book"),
    path("journal/<id:assignment_id>/", views.journal, name="journal"),
    path("stored/", views.stored, name="stored"),
    path("stored/make/", views.make, name="make"),
]
