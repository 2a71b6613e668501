"""A URL configuration without the support app: the panel must render without its link."""

from django.urls import include, path

urlpatterns = [path("help/", include("ejournal.help.urls"))]
