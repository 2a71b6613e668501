from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.preferences, name="preferences"),
    path("undelivered/", views.undelivered, name="undelivered"),
    path("undelivered/<id:delivery_id>/retry/", views.retry, name="retry"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("telegram/<str:secret>/", views.telegram_webhook, name="telegram_webhook"),
]
