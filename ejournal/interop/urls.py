from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("upload/", views.import_upload, name="upload"),
    path("<id:batch_id>/", views.import_detail, name="detail"),
    path("<id:batch_id>/commit/", views.import_commit, name="commit"),
    path("<id:batch_id>/discard/", views.import_discard, name="discard"),
    path("templates/<str:kind>.<str:fmt>", views.template_file, name="template"),
]
