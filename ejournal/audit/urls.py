from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.security_log, name="security_log"),
    path("usage/", views.usage_page, name="usage"),
]
