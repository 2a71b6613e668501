from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.index, name="index"),
    path("page/<slug:topic>/", views.topic, name="topic"),
    path("doc/<slug:doc>/", views.doc, name="doc"),
]
