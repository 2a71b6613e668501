"""A URL configuration where `support:ask` resolves (the support app's URL name), for the panel's link test."""

from django.http import HttpResponse
from django.urls import include, path

support = ([path("ask/", lambda request: HttpResponse(), name="ask")], "support")
urlpatterns = [path("help/", include("ejournal.help.urls")), path("support/", include(support))]
